// Creating an initiative through its form: invalid input is refused with a message on the field and nothing
// is saved; a valid one opens on its comparison, pilot against control, with the intervals drawn.
import { comparableMetrics } from '@/lib/metrics/comparable'
import { REPORT_METRICS } from '@/lib/metrics/initiative'
import { expect, test } from './fixtures'

test('the initiative form refuses what is wrong, field by field, and a valid initiative opens on its comparison', async ({
  page,
  sql,
  engine,
  problems,
}) => {
  const name = `Docs pilot ${engine} ${Date.now()}`
  const count = async () => (await sql<{ n: number }[]>`select count(*)::int as n from initiatives`)[0]?.n
  const before = await count()

  await page.goto('/initiatives')
  await page.getByRole('link', { name: 'New initiative' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'New initiative' })).toBeVisible()
  const form = page.getByTestId('initiative-form')

  // wrong: no name, no use case, a baseline that ends after the launch, no teams (days as the pages write them)
  await form.getByLabel('Launch date').fill('6 Apr 2026')
  await form.getByRole('group', { name: 'Baseline (before)' }).getByLabel('From').fill('5 Jan 2026')
  await form.getByRole('group', { name: 'Baseline (before)' }).getByLabel('To (not included)').fill('4 May 2026')
  await form.getByRole('button', { name: 'Create initiative' }).click()
  await expect(form.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator('#initiative-name-error')).toHaveText('Give it a name of at least 3 characters')
  await expect(page.locator('#initiative-useCase-error')).toHaveText('Choose what the pilot is about')
  await expect(page.locator('#initiative-baselineEnd-error')).toHaveText(
    'The baseline must end on or before the launch',
  )
  await expect(page.locator('#initiative-teams-error')).toHaveText('Choose at least one pilot team')
  // what was typed stays
  await expect(form.getByLabel('Launch date')).toHaveValue('6 Apr 2026')
  expect(await count()).toBe(before)

  // pilot teams only: the control is required, and says why
  const teams = await sql<{ id: number; name: string }[]>`select id::int, name from teams order by id limit 4`
  await form.getByLabel('Name').fill(name)
  await form.getByLabel('Use case').selectOption('delivery')
  await form.getByRole('checkbox', { name: 'Deployment frequency' }).check()
  await form.getByRole('group', { name: 'Baseline (before)' }).getByLabel('To (not included)').fill('2026-04-06')
  await form.getByRole('group', { name: 'Evaluation (after)' }).getByLabel('From').fill('2026-04-06')
  await form.getByRole('group', { name: 'Evaluation (after)' }).getByLabel('To (not included)').fill('2026-07-06')
  for (const team of teams.slice(0, 2))
    await form.getByLabel(`Role of ${team.name}`, { exact: true }).selectOption('pilot')
  // ISO is read too, and a day that does not exist is refused with the way to write one
  await form.getByLabel('Launch date').fill('31 Feb 2026')
  await form.getByRole('button', { name: 'Create initiative' }).click()
  await expect(page.locator('#initiative-launchDate-error')).toHaveText('The launch must be a day such as 6 Apr 2026')
  await expect(page.locator('#initiative-teams-error')).toContainText('Choose at least one control team')
  await form.getByLabel('Launch date').fill('2026-04-06')
  expect(await count()).toBe(before)

  for (const team of teams.slice(2, 4))
    await form.getByLabel(`Role of ${team.name}`, { exact: true }).selectOption('control')
  await form.getByRole('button', { name: 'Create initiative' }).click()
  await expect(page).toHaveURL(/\/initiatives\/\d+$/)
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
  const [saved] = await sql<{ id: number; pilots: string; controls: string }[]>`
    select i.id::int,
      string_agg(t.name, ', ' order by t.name) filter (where it.role = 'pilot') as pilots,
      string_agg(t.name, ', ' order by t.name) filter (where it.role = 'control') as controls
    from initiatives i join initiative_teams it on it.initiative_id = i.id join teams t on t.id = it.team_id
    where i.name = ${name} group by i.id`
  expect(page.url()).toMatch(new RegExp(`/initiatives/${saved?.id}$`))
  await expect(page.getByTestId('initiative-pilots')).toHaveText(saved?.pilots ?? '')
  await expect(page.getByTestId('initiative-controls')).toHaveText(saved?.controls ?? '')
  // its comparison: every metric; a verdict for each stated one (the primary, then the one-pager's), intervals drawn
  await expect(page.getByTestId('initiative-metrics').locator('tbody tr')).toHaveCount(comparableMetrics.length)
  await expect(page.getByTestId('initiative-verdicts').getByRole('listitem')).toHaveCount(
    new Set(['deployment_frequency', ...REPORT_METRICS]).size,
  )
  await expect(page.getByTestId('initiative-verdicts').getByRole('listitem').first()).toContainText(
    'Deployment frequency',
  )
  await expect(page.getByTestId('interval-plot').first()).toBeVisible()

  // edit: the form opens with what was saved; a new name is saved and shown
  await page.getByRole('link', { name: 'Edit' }).click()
  await expect(form.getByLabel('Name')).toHaveValue(name)
  await expect(form.getByLabel('Launch date')).toHaveValue('6 Apr 2026')
  await expect(form.getByRole('group', { name: 'Evaluation (after)' }).getByLabel('To (not included)')).toHaveValue(
    '6 Jul 2026',
  )
  await expect(form.getByLabel(`Role of ${teams[2]?.name}`, { exact: true })).toHaveValue('control')
  await expect(form.getByRole('checkbox', { name: 'Deployment frequency' })).toBeChecked()
  await form.getByLabel('Name').fill(`${name} (renamed)`)
  await form.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByRole('heading', { level: 1, name: `${name} (renamed)` })).toBeVisible()
  expect(await count()).toBe((before ?? 0) + 1)
  expect(problems).toEqual([])

  await sql`delete from initiatives where id = ${saved?.id ?? -1}`
})
