// Every team × week rollup the database keeps equals the same team-week computed from the raw facts by the
// pure metric functions, on the whole demo organisation; and after the change-failure rule changes, too.
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '@/db/demo/seed'
import { checkRollups, drainDirtyWeeks, queueAllWeeks } from '@/db/queries/rollups'
import { putChangeFailureRule } from '@/db/queries/settings'
import { DEFAULT_CHANGE_FAILURE_RULE, type ChangeFailureRule } from '@/lib/domain'
import { computeTeamWeeks, type TeamWeek } from '@/lib/metrics/team-weeks'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'
import { loadFacts } from '@/tests/helpers/facts'
import { root } from '@/tests/helpers/processes'

const ARRAYS = [
  'leadTimeHours',
  'recoveryMinutes',
  'codingHours',
  'pickupHours',
  'reviewHours',
  'deployHours',
  'cycleHours',
  'restoreMinutes',
  'acknowledgeMinutes',
] as const
const COUNTS = [
  'engineers',
  'liveServices',
  'mergedPullRequests',
  'deployments',
  'changeFailures',
  'reworkDeployments',
  'incidents',
] as const

/** Differences between two sets of team-weeks, as readable lines; durations agree to 1e-9 hours/minutes. */
function differences(expected: TeamWeek[], actual: TeamWeek[]): string[] {
  const key = (row: TeamWeek) => `${row.teamId}|${row.weekStart}`
  const byKey = new Map(actual.map((row) => [key(row), row]))
  const out: string[] = []
  for (const row of expected) {
    const other = byKey.get(key(row))
    byKey.delete(key(row))
    if (!other) {
      out.push(`${key(row)}: missing from the rollups`)
      continue
    }
    for (const field of COUNTS)
      if (row[field] !== other[field]) out.push(`${key(row)} ${field}: ${row[field]} vs ${other[field]}`)
    for (const field of ARRAYS) {
      const [a, b] = [row[field], other[field]]
      if (
        a.length !== b.length ||
        a.some((value, i) => Math.abs(value - (b[i] as number)) > 1e-9 * Math.max(1, Math.abs(value)))
      ) {
        out.push(`${key(row)} ${field}: [${a.slice(0, 5).join(', ')}…] vs [${b.slice(0, 5).join(', ')}…]`)
      }
    }
    if (row.portalUsers.join() !== other.portalUsers.join()) out.push(`${key(row)} portalUsers differ`)
  }
  for (const extra of byKey.keys()) out.push(`${extra}: in the rollups but not in the facts`)
  return out
}

describe(`rollups (${engine})`, () => {
  let database: TestDatabase
  let range: { from: Date; to: Date }
  beforeAll(async () => {
    database = await freshDatabase('rollups')
    await seedDemo(database.connection.db, { seed: 42, end: '2026-11-23' })
    const [row] = await database.connection.sql<{ first: string; last: string }[]>`
      select to_char(min(week_start), 'YYYY-MM-DD') as first, to_char(max(week_start) + 7, 'YYYY-MM-DD') as last from rollups_team_weeks`
    range = { from: new Date(`${row?.first}T00:00:00Z`), to: new Date(`${row?.last}T00:00:00Z`) }
  })
  afterAll(async () => database?.close())

  const readRollups = async (): Promise<TeamWeek[]> =>
    database.connection.sql<TeamWeek[]>`
      select team_id::int as "teamId", to_char(week_start, 'YYYY-MM-DD') as "weekStart", engineers, live_services as "liveServices", merged_pull_requests as "mergedPullRequests",
        deployments, change_failures as "changeFailures", rework_deployments as "reworkDeployments", lead_time_hours as "leadTimeHours",
        recovery_minutes as "recoveryMinutes", coding_hours as "codingHours", pickup_hours as "pickupHours", review_hours as "reviewHours",
        deploy_hours as "deployHours", cycle_hours as "cycleHours", incidents, restore_minutes as "restoreMinutes",
        acknowledge_minutes as "acknowledgeMinutes", portal_users as "portalUsers"
      from rollups_team_weeks order by week_start, team_id`

  it('every team-week of the demo organisation equals its raw computation', async () => {
    const expected = computeTeamWeeks(await loadFacts(database.connection.sql), range, DEFAULT_CHANGE_FAILURE_RULE)
    const actual = await readRollups()
    expect(expected.length).toBeGreaterThan(1000) // 12 teams × ~106 weeks
    expect(differences(expected, actual).slice(0, 10)).toEqual([])
    expect(actual.reduce((sum, row) => sum + row.leadTimeHours.length, 0)).toBeGreaterThan(40_000)
  })

  it('after the change-failure rule changes (incidents only), a refresh agrees with the raw computation again', async () => {
    const rule: ChangeFailureRule = { incidents: true, rollbacks: false, hotfixes: false, windowHours: 24 }
    const before = (await readRollups()).reduce((sum, row) => sum + row.changeFailures, 0)
    await database.connection.db.transaction(async (tx) => {
      await putChangeFailureRule(tx, rule, 'rollups test')
      await drainDirtyWeeks(tx)
    })
    const actual = await readRollups()
    const after = actual.reduce((sum, row) => sum + row.changeFailures, 0)
    expect(after).toBeLessThan(before) // rollbacks and hotfixes no longer count
    expect(
      differences(computeTeamWeeks(await loadFacts(database.connection.sql), range, rule), actual).slice(0, 10),
    ).toEqual([])
  })

  it('db check names a team-week that drifted from the facts, column by column, and --repair rewrites it (the command line on Postgres)', async () => {
    const db = database.connection.db
    const [row] = await database.connection.sql<{ team_id: number; slug: string; week: string }[]>`
      select r.team_id::int, t.slug, to_char(r.week_start, 'YYYY-MM-DD') as week from rollups_team_weeks r join teams t on t.id = r.team_id
      where r.merged_pull_requests > 0 order by r.week_start desc, r.team_id limit 1`
    if (!row) throw new Error('the demo has no merged pull requests')
    await database.connection
      .sql`update rollups_team_weeks set merged_pull_requests = merged_pull_requests + 1, deployments = deployments + 2 where team_id = ${row.team_id} and week_start = ${row.week}::date`
    await database.connection
      .sql`delete from rollups_team_weeks where week_start = (select min(week_start) from rollups_team_weeks)`
    const found = await checkRollups(db)
    expect(found.differences.map((d) => `${d.team} ${d.week} ${d.column}`)).toEqual(
      expect.arrayContaining([`${row.slug} ${row.week} deployments`, `${row.slug} ${row.week} merged_pull_requests`]),
    )
    expect(found.differences.filter((d) => d.column === 'row').length).toBeGreaterThan(0) // the deleted week's rows, missing
    expect(found.differences.find((d) => d.column === 'merged_pull_requests')).toMatchObject({
      stored: expect.any(String),
      recomputed: expect.any(String),
    })
    if (engine === 'postgres') {
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'db/cli.ts', 'check', ...args], {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, DATABASE_URL: database.url },
        })
      const check = cli()
      expect(check.status).toBe(1)
      expect(check.stdout).toContain(`team ${row.slug}  week ${row.week}  merged_pull_requests: stored`)
      const repair = cli('--repair')
      expect(repair.stdout).toMatch(/repaired: recomputed [\d,]+ team-weeks/)
      expect(repair.stdout).toMatch(/rollups match the facts: [\d,]+ team-weeks recomputed, 0 differences/)
      expect(repair.status).toBe(0)
    } else {
      await queueAllWeeks(db)
      await drainDirtyWeeks(db)
    }
    expect((await checkRollups(db)).differences).toEqual([])
  })
})
