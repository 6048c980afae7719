// The Data sources page: its counts are the database's, and a CSV upload reports each problem by line and
// column without writing, then imports a good file all at once.
import { formatCount } from '@/lib/format'
import { expect, test } from './fixtures'

test('the Data sources page shows what each source collected, as counted in the database', async ({ page, sql }) => {
  await page.goto('/sources')
  await expect(page.getByRole('heading', { level: 1, name: 'Data sources' })).toBeVisible()
  const [counts] = await sql<{ prs: number; services: number; events: number }[]>`
    select (select count(*)::int from pull_requests where provider = 'github') as prs, (select count(*)::int from services) as services,
      (select count(*)::int from portal_events) as events`
  await expect(page.getByTestId('count-github-pull-requests')).toHaveText(formatCount(counts?.prs ?? -1))
  await expect(page.getByTestId('count-backstage-catalog-services')).toHaveText(formatCount(counts?.services ?? -1))
  await expect(page.getByTestId('count-backstage-portal-events')).toHaveText(formatCount(counts?.events ?? -1))
  for (const source of ['github', 'backstage', 'pagerduty', 'opsgenie'])
    await expect(page.getByTestId(`source-${source}`)).toBeVisible()
})

test('a CSV upload: Check lists problems by line and writes nothing; Import writes the good file', async ({
  page,
  sql,
  engine,
}) => {
  const login = `e2e-${engine}-${Date.now()}`
  const count = async () =>
    (await sql<{ n: number }[]>`select count(*)::int as n from people where login like ${`${login}%`}`)[0]?.n
  await page.goto('/sources')
  const upload = page.getByTestId('csv-upload')
  await upload.getByLabel('Kind').selectOption('roster')
  await upload.getByLabel('File').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`login,team,start_date\n${login}-a,payments,2026-11-02\n${login}-b,payments,2026-13-01\n`),
  })
  await upload.getByRole('button', { name: 'Check' }).click()
  const report = page.getByTestId('import-report')
  await expect(report).toContainText('nothing would be imported: 1 of 2 rows have problems')
  await expect(report.getByRole('row', { name: /3 start_date "2026-13-01" is not a real date/ })).toBeVisible()
  expect(await count()).toBe(0)

  await upload.getByLabel('File').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`login,team,start_date\n${login}-a,payments,2026-11-02\n${login}-b,payments,2026-11-09\n`),
  })
  await upload.getByRole('button', { name: 'Check' }).click()
  await expect(report).toContainText('2 would be inserted, 0 would be updated, 0 unchanged, 0 rejected')
  expect(await count()).toBe(0)
  await upload.getByRole('button', { name: 'Import' }).click()
  await expect(report).toContainText('2 were inserted, 0 were updated, 0 unchanged, 0 rejected')
  expect(await count()).toBe(2)
  await expect(page.getByTestId('imports')).toContainText('people.csv')
})

test('a dashboard served from the read-model cache shows an import’s rows once the import completes', async ({
  page,
  engine,
}) => {
  const deployments = async () => {
    await page.goto('/delivery')
    return Number((await page.getByTestId('delivery-deployments').textContent())?.replaceAll(',', ''))
  }
  const before = await deployments()
  expect(before).toBeGreaterThan(0)
  expect(await deployments()).toBe(before) // the second view: the cached read model, unchanged

  // two production deployments last Tuesday, inside the Delivery page's default weeks
  const monday = new Date()
  monday.setUTCHours(0, 0, 0, 0)
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7) - 7)
  const at = (hour: number) => new Date(monday.getTime() + (24 + hour) * 3_600_000).toISOString()
  const id = `e2e-cache-${engine}-${Date.now()}`
  await page.goto('/sources')
  const upload = page.getByTestId('csv-upload')
  await upload.getByLabel('Kind').selectOption('deployments')
  await upload.getByLabel('File').setInputFiles({
    name: 'deployments.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      `id,team,environment,status,started_at,finished_at\n${id}-1,payments,production,success,${at(10)},${at(11)}\n${id}-2,payments,production,success,${at(14)},${at(15)}\n`,
    ),
  })
  await upload.getByRole('button', { name: 'Import' }).click()
  await expect(page.getByTestId('import-report')).toContainText('2 were inserted')

  expect(await deployments()).toBe(before + 2)
})
