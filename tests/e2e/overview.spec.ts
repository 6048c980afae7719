// The Overview on the demo organisation: every figure on the page equals the same figure computed here by
// SQL of the test's own (written differently from db/queries/dora.ts: no window functions, no lateral joins).
import type postgres from 'postgres'
import { formatHours, formatMinutes, formatPercent, formatPerWeek } from '@/lib/format'
import { expect, test } from './fixtures'

interface Figures {
  deploymentsPerWeek: number | null
  leadTimeHours: number | null
  changeFailRate: number | null
  recoveryMinutes: number | null
}

/** Both windows, from the launch milestone and today's date: 26 weeks before launch; the latest 26 full weeks. */
async function windows(sql: postgres.Sql) {
  const [row] = await sql<{ launch: Date; this_monday: Date }[]>`
    select min(occurred_on)::timestamptz as launch,
      date_trunc('week', now() at time zone 'UTC') at time zone 'UTC' as this_monday
    from milestones where kind = 'portal_launch'`
  if (!row) throw new Error('no launch milestone')
  const day = 86_400_000
  return {
    before: { from: new Date(row.launch.getTime() - 182 * day), to: row.launch },
    after: {
      from: new Date(Math.max(row.this_monday.getTime() - 182 * day, row.launch.getTime())),
      to: row.this_monday,
    },
  }
}

async function figures(sql: postgres.Sql, window: { from: Date; to: Date }): Promise<Figures> {
  const from = window.from.toISOString()
  const to = window.to.toISOString()
  const [deployments] = await sql<{ n: number }[]>`
    select count(*)::int as n from deployments
    where is_production and status = 'success' and finished_at >= ${from}::timestamptz and finished_at < ${to}::timestamptz`
  const [lead] = await sql<{ hours: number | null }[]>`
    with first_production as (
      select distinct on (dp.pull_request_id) dp.pull_request_id, d.finished_at
      from deployment_pull_requests dp join deployments d on d.id = dp.deployment_id
      where d.is_production and d.status = 'success'
      order by dp.pull_request_id, d.finished_at, d.id
    )
    select percentile_cont(0.5) within group (order by extract(epoch from f.finished_at - coalesce(p.first_commit_at, p.opened_at)) / 3600) as hours
    from first_production f join pull_requests p on p.id = f.pull_request_id
    where f.finished_at >= ${from}::timestamptz and f.finished_at < ${to}::timestamptz`
  // A failure: an incident names the deployment, or the very next production deployment of the same service
  // is a rollback or hotfix finished within 24 hours.
  const [failures] = await sql<{ failed: number; recovery: number | null }[]>`
    with deployed as (
      select d.*,
        (select n.id from deployments n
          where n.is_production and n.status = 'success'
            and n.service_id is not distinct from d.service_id and n.repository_id is not distinct from d.repository_id
            and (n.finished_at > d.finished_at or (n.finished_at = d.finished_at and n.id > d.id))
          order by n.finished_at, n.id limit 1) as next_id
      from deployments d
      where d.is_production and d.status = 'success' and d.finished_at >= ${from}::timestamptz and d.finished_at < ${to}::timestamptz
    ),
    judged as (
      select deployed.id, deployed.finished_at,
        exists (select 1 from incidents i where i.caused_by_deployment_id = deployed.id) as has_incident,
        (select case when count(*) filter (where i.resolved_at is null) = 0 then max(i.resolved_at) end
          from incidents i where i.caused_by_deployment_id = deployed.id) as incidents_resolved_at,
        (select case when (n.is_rollback or n.is_hotfix) and n.finished_at <= deployed.finished_at + interval '24 hours' then n.finished_at end
          from deployments n where n.id = deployed.next_id) as remediated_at
      from deployed
    )
    select count(*)::int as failed,
      percentile_cont(0.5) within group (order by extract(epoch from least(incidents_resolved_at, remediated_at) - finished_at) / 60)
        filter (where least(incidents_resolved_at, remediated_at) is not null) as recovery
    from judged where has_incident or remediated_at is not null`
  const count = deployments?.n ?? 0
  return {
    deploymentsPerWeek: count / ((window.to.getTime() - window.from.getTime()) / (7 * 86_400_000)),
    leadTimeHours: lead?.hours === null || lead?.hours === undefined ? null : Number(lead.hours),
    changeFailRate: count > 0 ? (failures?.failed ?? 0) / count : null,
    recoveryMinutes: failures?.recovery === null || failures?.recovery === undefined ? null : Number(failures.recovery),
  }
}

test('the Overview shows the four DORA keys before and after launch, each equal to the database’s own figure', async ({
  page,
  sql,
  problems,
}) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
  await expect(page.getByTestId('overview-dora')).toBeVisible()

  const { before, after } = await windows(sql)
  const expected = { before: await figures(sql, before), after: await figures(sql, after) }
  expect(expected.before.deploymentsPerWeek).toBeGreaterThan(0)
  for (const side of ['before', 'after'] as const) {
    await expect(page.getByTestId(`dora-deployment_frequency-${side}`)).toHaveText(
      formatPerWeek(expected[side].deploymentsPerWeek),
    )
    await expect(page.getByTestId(`dora-lead_time-${side}`)).toHaveText(formatHours(expected[side].leadTimeHours))
    await expect(page.getByTestId(`dora-change_fail_rate-${side}`)).toHaveText(
      formatPercent(expected[side].changeFailRate),
    )
    await expect(page.getByTestId(`dora-recovery_time-${side}`)).toHaveText(
      formatMinutes(expected[side].recoveryMinutes),
    )
  }

  // The chart is drawn: one bar per week with deployments, the weeks before the launch beside the weeks shown
  // (the key names both), and both milestones.
  const chart = page.getByTestId('chart-weekly-bars')
  const bars = chart.locator('.recharts-bar-rectangle')
  await expect(bars.first()).toBeVisible()
  expect(await bars.count()).toBeGreaterThan(50)
  await expect(chart.locator('.chart-key li')).toContainText(['weeks compared with (before)'])
  await expect(chart.locator('.chart-legend li')).toHaveCount(2)

  expect(problems).toEqual([])
})

test('the Overview for a group: its scope line, and deployments per week of its teams only, before and after launch', async ({
  page,
  sql,
  problems,
}) => {
  const [row] = await sql<
    { group: string }[]
  >`select group_name as group from teams where group_name is not null group by group_name order by count(*) desc, group_name limit 1`
  if (!row) throw new Error('no team has a group')
  await page.goto(`/?${new URLSearchParams({ group: row.group })}`)
  await expect(page.getByTestId('scope')).toContainText(`${row.group} (group)`)
  const { before, after } = await windows(sql)
  for (const [side, window] of [
    ['before', before],
    ['after', after],
  ] as const) {
    const [counted] = await sql<{ n: number }[]>`
      select count(*)::int as n from deployments d join teams t on t.id = d.team_id
      where d.is_production and d.status = 'success' and t.group_name = ${row.group}
        and d.finished_at >= ${window.from.toISOString()}::timestamptz and d.finished_at < ${window.to.toISOString()}::timestamptz`
    const weeks = (window.to.getTime() - window.from.getTime()) / (7 * 86_400_000)
    await expect(page.getByTestId(`dora-deployment_frequency-${side}`)).toHaveText(
      formatPerWeek((counted?.n ?? -1) / weeks),
    )
  }
  // every team's figure is not the group's
  const everyone = await figures(sql, after)
  await expect(page.getByTestId('dora-deployment_frequency-after')).not.toHaveText(
    formatPerWeek(everyone.deploymentsPerWeek),
  )
  expect(problems).toEqual([])
})

test('GET /api/health says the database answers, without naming where it is', async ({ request, engine }) => {
  const response = await request.get('/api/health')
  expect(response.status()).toBe(200)
  const body = await response.json()
  expect(body).toMatchObject({ status: 'ok', database: { reachable: true, embedded: engine === 'embedded' } })
  expect(JSON.stringify(body)).not.toMatch(/postgres(ql)?:\/\/|127\.0\.0\.1/)
})
