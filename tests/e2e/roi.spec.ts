// ROI assumptions: a wrong value is refused on its field and nothing is stored; a right one is stored with
// who changed it and when, and the one-pager says it used it.
import type { Page } from '@playwright/test'
import { storageState } from '@/tests/helpers/e2e-env'
import { expect, test } from './fixtures'

/** Opens the ROI page once its figures are the current data's: a standing page may first show its last answer. */
async function openCurrent(page: Page) {
  await expect(async () => {
    await page.goto('/roi')
    await expect(page.getByTestId('freshness-note')).toHaveCount(0, { timeout: 500 })
  }).toPass({ timeout: 60_000 })
}

test('ROI assumptions are validated, kept with who changed what and when, and named on the one-pager', async ({
  page,
  sql,
  problems,
  engine,
}) => {
  // who: the demo's local user, or the admin the Postgres project signed in
  const who = engine === 'embedded' ? 'demo user' : 'Alice Admin <alice@example.com>'
  const rows = async () => (await sql<{ n: number }[]>`select count(*)::int as n from roi_assumptions`)[0]?.n
  const before = await rows()
  await page.goto('/roi')
  await expect(page.getByRole('heading', { level: 1, name: 'ROI assumptions' })).toBeVisible()
  const form = page.getByTestId('assumptions-form')
  const daily = form.getByLabel(/^Loaded cost of an engineer per working day/)
  const responders = form.getByLabel(/^People working an incident/)

  await daily.fill('-5')
  await responders.fill('two')
  await form.getByRole('button', { name: 'Save assumptions' }).click()
  await expect(page.locator('#engineer_daily_cost-error')).toHaveText(
    'Loaded cost of an engineer per working day must be between 50 and 10,000',
  )
  await expect(page.locator('#responders_per_incident-error')).toHaveText('People working an incident must be a number')
  expect(await rows()).toBe(before)

  await daily.fill('950')
  await responders.fill('4')
  await form.getByLabel(/^Why/).fill('finance figures for 2027')
  await form.getByRole('button', { name: 'Save assumptions' }).click()
  await expect(form.getByRole('status')).toHaveText('Saved 2 changes.')
  expect(await rows()).toBe((before ?? 0) + 2)
  const [stored] = await sql<{ value: string; changed_by: string; note: string }[]>`
    select value::text, changed_by, note from roi_assumptions where key = 'engineer_daily_cost' order by changed_at desc, id desc limit 1`
  expect(stored).toEqual({ value: '950', changed_by: who, note: 'finance figures for 2027' })
  await expect(
    page.getByTestId('assumption-history').getByRole('row', {
      name: `${who} Loaded cost of an engineer per working day 950 USD per day finance figures for 2027`,
    }),
  ).toBeVisible()

  await page.goto('/report')
  await expect(page.getByTestId('report-assumptions')).toContainText(
    `Loaded cost of an engineer per working day: 950 USD per day (set by ${who} on`,
  )
  // the cost model is a choice among named presets, the throughput a switch: labelled form elements, not number boxes
  await page.goto('/roi')
  const preset = form.getByLabel('Portal cost model')
  const throughput = form.getByLabel('Count more merged work as value')
  expect(await preset.evaluate((element) => element.tagName)).toBe('SELECT')
  expect(await throughput.getAttribute('type')).toBe('checkbox')
  await expect(throughput).not.toBeChecked()
  await preset.selectOption({ label: 'SaaS portal: US $35 per developer per month' })
  await throughput.check()
  await form.getByRole('button', { name: 'Save assumptions' }).click()
  await expect(form.getByRole('status')).toHaveText('Saved 2 changes.')
  const latest = async (key: string) =>
    (
      await sql<
        { value: string }[]
      >`select value::text from roi_assumptions where key = ${key} order by changed_at desc, id desc limit 1`
    )[0]?.value
  expect([await latest('cost_preset'), await latest('include_throughput')]).toEqual(['2', '1'])
  await expect(
    page
      .getByTestId('assumption-history')
      .getByRole('row', { name: `${who} Portal cost model SaaS portal: US $35 per developer per month` }),
  ).toBeVisible()
  await expect(
    page.getByTestId('assumption-history').getByRole('row', { name: `${who} Count more merged work as value yes` }),
  ).toBeVisible()
  // unticking is saved too (a form sends a checkbox only when it is ticked)
  await expect(form.getByLabel('Count more merged work as value')).toBeChecked()
  await form.getByLabel('Count more merged work as value').uncheck()
  await form.getByRole('button', { name: 'Save assumptions' }).click()
  await expect(form.getByRole('status')).toHaveText('Saved 1 change.')
  expect(await latest('include_throughput')).toBe('0')
  expect(problems).toEqual([])

  // back to the defaults, so the other tests see the demo as seeded
  await sql`delete from roi_assumptions`
})

test('the ROI page shows what the typed assumptions give, live, with the one-pager’s model, before anything is saved', async ({
  page,
  sql,
  problems,
}) => {
  await sql`delete from roi_assumptions`
  const rows = async () => (await sql<{ n: number }[]>`select count(*)::int as n from roi_assumptions`)[0]?.n
  await openCurrent(page)
  const form = page.getByTestId('assumptions-form')
  // every control is a labelled form element
  const unlabelled = await form
    .locator('input:not([type="hidden"]), select, textarea')
    .evaluateAll((elements) =>
      elements
        .filter((element) => !(element as HTMLInputElement).labels?.length && !element.getAttribute('aria-label'))
        .map((element) => element.getAttribute('name')),
    )
  expect(unlabelled).toEqual([])

  const saved = (key: string) => page.getByTestId(`roi-saved-${key}`)
  const live = (key: string) => page.getByTestId(`roi-if-saved-${key}`)
  await expect(form.getByRole('heading', { name: 'If saved: no change yet' })).toBeVisible()
  const savedNet = (await saved('net').textContent()) ?? ''
  const savedPayback = (await saved('payback').textContent()) ?? ''
  const savedValue = (await saved('value').textContent()) ?? ''
  await expect(live('net')).toHaveText(savedNet)
  await expect(live('payback')).toHaveText(savedPayback)
  // the default preset (built in-house) costs $380k–650k a year, so the payback is never 0 months
  expect(savedPayback).not.toBe('0.0 months')

  // our own figures, all zero: no cost, so net = value and the payback is immediate
  await form
    .getByLabel('Portal cost model')
    .selectOption({ label: 'Our own figures: portal engineers × loaded cost + infrastructure + licences' })
  await expect(form.getByRole('heading', { name: 'If saved: with the values below' })).toBeVisible()
  await expect(live('cost')).toHaveText('$570k')
  for (const label of [/^Engineers on the portal team/, /^Infrastructure per year/, /^Licences per year/])
    await form.getByLabel(label).fill('0')
  await expect(live('cost')).toHaveText('$0')
  await expect(live('net')).toHaveText(savedValue)
  await expect(live('net')).not.toHaveText(savedNet)
  await expect(live('payback')).toHaveText('0.0 months')
  await expect(live('roi')).toHaveText('—')
  // nothing was stored, and the saved figures still read as saved
  expect(await rows()).toBe(0)
  await expect(saved('net')).toHaveText(savedNet)
  await expect(saved('payback')).toHaveText(savedPayback)

  // a value the save would refuse: no figures, the reason instead
  const responders = form.getByLabel(/^People working an incident/)
  await responders.fill('two')
  await expect(page.getByTestId('roi-if-saved-problem')).toContainText('People working an incident must be a number')
  await responders.fill('3')
  await expect(live('net')).toHaveText(savedValue)

  // saved: the page's saved figures and the one-pager's are what "if saved" showed
  await form.getByRole('button', { name: 'Save assumptions' }).click()
  await expect(form.getByRole('status')).toHaveText('Saved 3 changes.')
  await expect(saved('net')).toHaveText(savedValue)
  await expect(saved('payback')).toHaveText('0.0 months')
  await page.goto('/report')
  await expect(page.getByTestId('report-roi-net').locator('strong')).toHaveText(savedValue)
  await expect(page.getByTestId('report-roi-payback').locator('strong')).toHaveText('0.0 months')
  expect(problems).toEqual([])

  await sql`delete from roi_assumptions`
})

test('a viewer sees what the saved assumptions give, the one-pager’s figures, and no form', async ({
  browser,
  baseURL,
  engine,
}) => {
  test.skip(engine !== 'postgres', 'only the sign-in project has a viewer')
  const context = await browser.newContext({ baseURL, storageState: storageState('viewer') })
  const page = await context.newPage()
  await page.goto('/report')
  const net = (await page.getByTestId('report-roi-net').locator('strong').textContent()) ?? 'missing'
  const payback = (await page.getByTestId('report-roi-payback').locator('strong').textContent()) ?? 'missing'
  await page.goto('/roi')
  await expect(page.getByTestId('roi-saved-net')).toHaveText(net)
  await expect(page.getByTestId('roi-saved-payback')).toHaveText(payback)
  await expect(page.getByTestId('assumptions-form')).toHaveCount(0)
  await expect(page.getByTestId('roi-if-saved')).toHaveCount(0)
  await context.close()
})
