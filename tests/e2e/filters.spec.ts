// Filters live in the URL: choosing a team changes the link, the link opened in a new page shows the same
// numbers, and the back button undoes the change. The main nav carries them to every page; a page they do
// not apply to says so. The pilot and control teams of the latest initiative are two groups to choose.
import { writeDay } from '@/lib/dates'
import type { Page } from '@playwright/test'
import type postgres from 'postgres'
import { formatCount } from '@/lib/format'
import { expect, test } from './fixtures'

/** The group with the most teams, and 13 weeks from a Monday half a year back. */
async function groupAndWeeks(sql: postgres.Sql) {
  const [row] = await sql<{ group: string; from: string; to: string }[]>`
    select (select group_name from teams where group_name is not null group by group_name order by count(*) desc, group_name limit 1) as group,
      to_char(d - 182, 'YYYY-MM-DD') as from, to_char(d - 91, 'YYYY-MM-DD') as to
    from (select date_trunc('week', now() at time zone 'UTC')::date as d) m`
  if (!row?.group) throw new Error('no team has a group')
  return row
}

/** Successful production deployments of these teams in the latest 26 full weeks (the pages' default weeks). */
async function deploymentsOf(sql: postgres.Sql, teamIds: number[]) {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from deployments
    where is_production and status = 'success' and team_id in ${sql(teamIds)}
      and finished_at >= date_trunc('week', now() at time zone 'UTC') at time zone 'UTC' - interval '182 days'
      and finished_at < date_trunc('week', now() at time zone 'UTC') at time zone 'UTC'`
  return row?.n ?? -1
}

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' })

test('choosing a team and weeks updates the URL; the URL in a new page shows the same numbers; back undoes it', async ({
  page,
  context,
  sql,
  problems,
}) => {
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

test('a filtered link keeps its group and weeks through every page of the nav; each page shows them or says it ignores them', async ({
  page,
  sql,
  problems,
}) => {
  test.setTimeout(240_000)
  const { group, from, to } = await groupAndWeeks(sql)
  const kept = (url: string) => {
    const params = new URL(url).searchParams
    return { group: params.get('group'), from: params.get('from'), to: params.get('to') }
  }
  await page.goto(`/delivery?${new URLSearchParams({ group, from, to })}`)
  await expect(page.getByTestId('scope')).toContainText(`${group} (group)`)

  // [nav label, path, what shows the filters: the scope line, or the note that the page ignores them]
  const pages = [
    ['Overview', '/', 'scope'],
    ['Delivery', '/delivery', 'scope'],
    ['Flow', '/flow', 'scope'],
    ['Onboarding', '/onboarding', 'scope'],
    ['Experience', '/experience', 'scope'],
    ['Adoption', '/adoption', 'scope'],
    ['Initiatives', '/initiatives', 'filters-ignored'],
    ['Milestones', '/milestones', 'filters-ignored'],
    ['Docs study', '/study', 'filters-ignored'],
    ['ROI', '/roi', 'filters-ignored'],
    ['One-pager', '/report', 'scope'],
    ['Data sources', '/sources', 'filters-ignored'],
    ['Access', '/access', 'filters-ignored'],
  ] as const
  for (const [label, path, shows] of pages) {
    if (path === '/sources') {
      // the one-pager has its own toolbar: back to the dashboard, filters kept
      await page.getByRole('navigation', { name: 'One-pager' }).getByRole('link', { name: '← Dashboard' }).click()
      await expect(page).toHaveURL((url) => url.pathname === '/')
      expect(kept(page.url()), 'back from the one-pager').toEqual({ group, from, to })
      await expect(page.getByTestId('scope')).toContainText(`${group} (group)`)
    }
    await mainNav(page).getByRole('link', { name: label, exact: true }).click()
    await expect(page).toHaveURL((url) => url.pathname === path)
    expect(kept(page.url()), label).toEqual({ group, from, to })
    await expect(page.getByTestId(shows), label).toContainText(`${group} (group)`)
    if (shows === 'filters-ignored') await expect(page.getByTestId(shows)).toContainText('ignores')
  }
  // the one-pager says what it does with them: the chart takes them, the findings do not
  await page.goto(`/report?${new URLSearchParams({ group, from, to })}`)
  await expect(page.getByTestId('filters-ignored')).toContainText('ignore the teams and weeks chosen')
  const pdf = await page.getByRole('link', { name: 'PDF (A4)' }).getAttribute('href')
  expect(new URL(pdf ?? '', page.url()).searchParams.get('group')).toBe(group)
  expect(problems).toEqual([])
})

test('the pilot and control teams of the latest initiative are groups to choose: the scope and the figures follow', async ({
  page,
  sql,
  problems,
}) => {
  test.setTimeout(120_000)
  const [initiative] = await sql<
    { id: number; name: string }[]
  >`select id::int, name from initiatives where launch_date <= now() order by launch_date desc, id desc limit 1`
  if (!initiative) throw new Error('no launched initiative')
  const teamsOf = async (role: string) =>
    (
      await sql<
        { id: number }[]
      >`select team_id::int as id from initiative_teams where initiative_id = ${initiative.id} and role = ${role}`
    ).map((row) => row.id)

  await page.goto('/delivery')
  const figure = page.getByTestId('delivery-deployments')
  await expect(figure).toBeVisible()
  for (const [role, words] of [
    ['pilot', 'Pilot teams'],
    ['control', 'Control teams'],
  ] as const) {
    await page.getByTestId('filter-scope').selectOption(`group:${role}`)
    await expect(page).toHaveURL(new RegExp(`[?&]group=${role}(&|$)`))
    await expect(page.getByTestId('scope')).toContainText(`${words} of ${initiative.name}`)
    await expect(page.getByTestId('filter-scope')).toHaveValue(`group:${role}`)
    await expect(figure).toHaveText(formatCount(await deploymentsOf(sql, await teamsOf(role))))
  }
  // and the next page keeps them
  await mainNav(page).getByRole('link', { name: 'Flow', exact: true }).click()
  await expect(page).toHaveURL(/\/flow\?group=control$/)
  await expect(page.getByTestId('scope')).toContainText(`Control teams of ${initiative.name}`)
  expect(problems).toEqual([])
})

test('the one-pager’s PDF link says the file is being prepared, then saves it; the plain link still answers', async ({
  page,
  request,
  sql,
  problems,
}) => {
  test.setTimeout(120_000)
  const { group } = await groupAndWeeks(sql)
  await page.goto(`/report?${new URLSearchParams({ group })}`)
  const link = page.getByRole('navigation', { name: 'One-pager' }).getByRole('link', { name: 'PDF (A4)' })
  const href = await link.getAttribute('href')
  const download = page.waitForEvent('download', { timeout: 90_000 })
  await link.click()
  const busy = page.getByRole('navigation', { name: 'One-pager' }).getByRole('link', { name: 'Preparing the PDF…' })
  await expect(busy).toHaveAttribute('aria-busy', 'true')
  expect((await download).suggestedFilename()).toBe('upshot-one-pager.pdf')
  await expect(link).toHaveAttribute('aria-busy', 'false')
  // without the script, the same address answers the file itself
  const plain = await request.get(href ?? '', { timeout: 90_000 })
  expect(plain.headers()['content-type']).toBe('application/pdf')
  expect(problems).toEqual([])
})
