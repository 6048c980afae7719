// The docs find-time study kit: participants time tasks with the stopwatch form; the page withholds every figure
// until 5 participants timed a task in each phase, then shows minutes saved with its interval and the
// assumptions it is scaled with, and the one-pager states the finding once it is clear. axe finds nothing.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

/** Participant i's seconds: before 300 + 30i, after 60 + 10i, so each saves 4 to 5.3 minutes. */
const before = (i: number) => 300 + 30 * i
const after = (i: number) => 60 + 10 * i

async function record(page: Page, participant: string, task: string, phase: 'before' | 'after', seconds: number) {
  const form = page.getByTestId('stopwatch-form')
  await form.getByLabel(/^Participant/).fill(participant)
  await form.getByLabel(/^Task/).fill(task)
  await form.getByRole('radio', { name: phase === 'before' ? /^Before/ : /^After/ }).check()
  await form.getByLabel('Seconds').fill(String(seconds))
  await form.getByRole('radio', { name: 'Yes' }).check()
  await form.getByRole('button', { name: 'Record my time' }).click()
  await expect(form.getByRole('status')).toContainText(`${phase} for “${task}”`)
}

async function violations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze()
  return axe.violations.map((violation) => `${violation.impact} ${violation.id}: ${violation.help}`)
}

test('the stopwatch form records times; no figure before 5 participants a phase, then one with its interval', async ({
  page,
  sql,
  problems,
}) => {
  test.setTimeout(180_000)
  const task = `Find the e2e runbook ${Date.now()}`
  await page.goto('/')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Docs study' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Docs find-time study' })).toBeVisible()
  await expect(page.getByTestId('study-how')).toContainText('Pick at least 5 participants')
  await expect(page.getByTestId('study-assumptions')).toContainText('Look-ups per engineer-week')
  expect(await violations(page)).toEqual([])

  // the stopwatch fills the seconds
  const form = page.getByTestId('stopwatch-form')
  await form.getByRole('button', { name: 'Start' }).click()
  await expect(form.getByRole('button', { name: 'Record my time' })).toBeDisabled()
  await page.waitForTimeout(300)
  await form.getByRole('button', { name: 'Stop' }).click()
  await expect(form.getByLabel('Seconds')).toHaveValue(/^\d+\.\d$/)

  // a refused form says what is wrong on each field and records nothing
  const rows = async () => (await sql<{ n: number }[]>`select count(*)::int as n from study_observations`)[0]?.n
  const stored = await rows()
  await form.getByLabel('Seconds').fill('soon')
  await form.getByRole('button', { name: 'Record my time' }).click()
  await expect(page.locator('#study-participant-error')).toContainText('Participant')
  await expect(page.locator('#study-seconds-error')).toContainText('Seconds')
  await expect(page.locator('#study-phase-error')).toContainText('Phase')
  expect(await rows()).toBe(stored)
  expect(await violations(page)).toEqual([])

  for (let i = 1; i <= 4; i++) {
    await record(page, `Participant ${i}`, task, 'before', before(i))
    await record(page, `participant ${i}`, task, 'after', after(i))
  }
  await page.reload()
  const row = page.getByTestId('study-tasks').getByRole('row', { name: new RegExp(task) })
  await expect(row).toContainText('not enough data: 4 of 5 participants')
  await expect(row).not.toContainText('min saved')
  // nor any phase's mean: with four people, one person's own time could be read off
  await expect(row).toContainText('4 people (a figure from 5)')
  await expect(row).not.toContainText('found 100%')
  // names are never stored
  const [named] = await sql<
    { n: number }[]
  >`select count(*)::int as n from study_observations where participant_key ilike '%participant%'`
  expect(named?.n).toBe(0)

  await record(page, 'Participant 5', task, 'before', before(5))
  await record(page, 'Participant 5', task, 'after', after(5))
  await page.reload()
  // by hand: the mean of (before − after) = mean of 240 + 20i seconds over i = 1…5 = 300 s = 5.0 minutes
  await expect(row).toContainText('5.0 min saved (95% interval')
  await expect(row).toContainText('paired: 5 did both')
  await expect(page.getByTestId('study-overall')).toHaveAttribute('data-state', 'estimate')
  await expect(page.getByTestId('study-extrapolation')).toContainText('FTEs a year')
  await expect(page.getByTestId('study-finding')).toContainText('FTEs a year freed by central docs (95% interval')
  expect(await violations(page)).toEqual([])

  // the one-pager states it (a standing page: it may show its last answer while the new one computes)
  await expect(async () => {
    await page.goto('/report')
    await expect(page.getByTestId('report-headlines')).toContainText('FTEs a year freed by central docs', {
      timeout: 1_000,
    })
  }).toPass({ timeout: 60_000 })
  expect(problems).toEqual([])
})
