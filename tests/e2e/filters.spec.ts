// Filters live in the URL: choosing a team changes the link, the link opened in a new page shows the same
// numbers, and the back button undoes the change.
import { writeDay } from '../../lib/dates'
import { formatCount } from '../../lib/format'
import { expect, test } from './fixtures'

test('choosing a team and weeks updates the URL; the URL in a new page shows the same numbers; back undoes it', async ({ page, context, sql, problems }) => {
  await page.goto('/delivery')
  const figure = page.getByTestId('delivery-deployments')
  await expect(figure).toBeVisible()
  const everyone = await figure.textContent()

  // the team with the most production deployments
  const [team] = await sql<{ id: number; name: string }[]>`
    select t.id::int, t.name from teams t join deployments d on d.team_id = t.id where d.is_production group by t.id, t.name order by count(*) desc, t.id limit 1`
  if (!team) throw new Error('no team deploys')
  await page.getByTestId('filter-scope').selectOption(`team:${team.id}`)
  await expect(page).toHaveURL(new RegExp(`[?&]teams=${team.id}(&|$)`))
  await expect(page.getByTestId('scope')).toContainText(team.name)
  await expect(figure).not.toHaveText(everyone ?? '')

  // and the weeks: the 13 weeks from a Monday half a year back
  const [weeks] = await sql<{ from: string; to: string }[]>`
    select to_char(d - 182, 'YYYY-MM-DD') as from, to_char(d - 91, 'YYYY-MM-DD') as to from (select date_trunc('week', now() at time zone 'UTC')::date as d) m`
  if (!weeks) throw new Error('no date')
  const filters = page.getByTestId('filters')
  const from = filters.getByLabel('From').first()
  // a day that does not exist is refused in the browser: the URL stays
  const before = page.url()
  await from.fill('31 Feb 2026')
  await filters.getByRole('button', { name: 'Apply' }).click()
  expect(await from.evaluate((input: HTMLInputElement) => input.validationMessage)).toContain('6 Apr 2026')
  expect(page.url()).toBe(before)
  // days typed as the pages write them ("6 Apr 2026") and as ISO; the URL holds ISO, the fields the written form
  await from.fill(writeDay(weeks.from))
  await filters.getByLabel('To').first().fill(weeks.to)
  await filters.getByRole('button', { name: 'Apply' }).click()
  await expect(page).toHaveURL(new RegExp(`from=${weeks.from}.*to=${weeks.to}|to=${weeks.to}.*from=${weeks.from}`))
  await expect(from).toHaveValue(writeDay(weeks.from))
  await expect(filters.getByLabel('To').first()).toHaveValue(writeDay(weeks.to))
  const [expected] = await sql<{ n: number }[]>`
    select count(*)::int as n from deployments
    where is_production and status = 'success' and team_id = ${team.id} and finished_at >= ${weeks.from}::timestamptz and finished_at < ${weeks.to}::timestamptz`
  await expect(figure).toHaveText(formatCount(expected?.n ?? -1))

  // the link, opened afresh, shows the same
  const shared = await context.newPage()
  await shared.goto(page.url())
  await expect(shared.getByTestId('delivery-deployments')).toHaveText(formatCount(expected?.n ?? -1))
  await expect(shared.getByTestId('scope')).toHaveText((await page.getByTestId('scope').textContent()) ?? '')
  await shared.close()

  // back: the weeks change is undone, then the team
  await page.goBack()
  await expect(page).not.toHaveURL(/from=/)
  await expect(page).toHaveURL(new RegExp(`teams=${team.id}`))
  await page.goBack()
  await expect(page).toHaveURL(/\/delivery$/)
  await expect(figure).toHaveText(everyone ?? '')

  // a link that cannot be read says what is wrong and falls back to the default
  await page.goto('/delivery?from=2026-02-30&teams=1;2')
  await expect(page.getByTestId('filter-problems')).toContainText('from: must be a date as YYYY-MM-DD')
  await expect(page.getByTestId('filter-problems')).toContainText('teams: must be team ids separated by commas')
  await expect(figure).toHaveText(everyone ?? '')
  expect(problems).toEqual([])
})
