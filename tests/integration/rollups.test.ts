// Every team × week rollup the database keeps equals the same team-week computed from the raw facts by the
// pure metric functions, on the whole demo organisation; and after the change-failure rule changes, too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../db/demo/seed'
import { refreshTeamWeeks } from '../../db/queries/rollups'
import { putChangeFailureRule } from '../../db/queries/settings'
import { DEFAULT_CHANGE_FAILURE_RULE, type ChangeFailureRule } from '../../lib/domain'
import { computeTeamWeeks, type TeamWeek } from '../../lib/metrics/team-weeks'
import { engine, freshDatabase, type TestDatabase } from '../helpers/database'
import { loadFacts } from '../helpers/facts'

const ARRAYS = ['leadTimeHours', 'recoveryMinutes', 'codingHours', 'pickupHours', 'reviewHours', 'deployHours', 'cycleHours', 'restoreMinutes', 'acknowledgeMinutes'] as const
const COUNTS = ['engineers', 'liveServices', 'mergedPullRequests', 'deployments', 'changeFailures', 'reworkDeployments', 'incidents'] as const

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
    for (const field of COUNTS) if (row[field] !== other[field]) out.push(`${key(row)} ${field}: ${row[field]} vs ${other[field]}`)
    for (const field of ARRAYS) {
      const [a, b] = [row[field], other[field]]
      if (a.length !== b.length || a.some((value, i) => Math.abs(value - (b[i] as number)) > 1e-9 * Math.max(1, Math.abs(value)))) {
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
      await refreshTeamWeeks(tx, range)
    })
    const actual = await readRollups()
    const after = actual.reduce((sum, row) => sum + row.changeFailures, 0)
    expect(after).toBeLessThan(before) // rollbacks and hotfixes no longer count
    expect(differences(computeTeamWeeks(await loadFacts(database.connection.sql), range, rule), actual).slice(0, 10)).toEqual([])
  })
})
