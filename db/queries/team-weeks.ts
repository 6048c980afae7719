// Reading the team × week rollups (rollups.ts keeps them level with the facts): the rows every dashboard query
// summarises, their duration arrays decoded from Postgres' binary array format.
import { sql } from 'drizzle-orm'
import { toIsoDate } from '@/lib/dates'
import type { TeamWeek } from '@/lib/domain'
import type { Db } from '@/db/client'
import { teamFilter } from './team-filter'

export interface TeamWeekFilter {
  from: Date
  to: Date
  /** Only these teams; all when omitted. */
  teamIds?: number[]
}

/** The value arrays of a team-week, by field and column. */
const VALUE_ARRAYS = [
  ['leadTimeHours', 'lead_time_hours'],
  ['recoveryMinutes', 'recovery_minutes'],
  ['codingHours', 'coding_hours'],
  ['pickupHours', 'pickup_hours'],
  ['reviewHours', 'review_hours'],
  ['deployHours', 'deploy_hours'],
  ['cycleHours', 'cycle_hours'],
  ['restoreMinutes', 'restore_minutes'],
  ['acknowledgeMinutes', 'acknowledge_minutes'],
] as const

/** The duration arrays of a team-week, by field name. */
export type TeamWeekValues = (typeof VALUE_ARRAYS)[number][0]

/**
 * Team-week rows whose week starts in [from, to): the clusters the statistics resample, and what the read
 * models summarise (lib/metrics/team-weeks.ts). `values` names the duration arrays to read (all by default;
 * the others come back empty): `false` for trends that need only the counts and the portal users, a list
 * for a page that shows only some durations (at scale 20 each array is ~50,000 values per 26 weeks). The arrays travel in Postgres' binary array format
 * (array_send): a scale-20 window is ~50,000 values per column, which the driver's text parser takes ten
 * times longer to read than the server takes to find.
 */
export async function listTeamWeeks(
  db: Db,
  { from, to, teamIds }: TeamWeekFilter,
  { values = true }: { values?: boolean | readonly TeamWeekValues[] } = {},
): Promise<TeamWeek[]> {
  const arrays = VALUE_ARRAYS.filter(([field]) => values === true || (Array.isArray(values) && values.includes(field)))
  const rows = await db.execute<Record<string, unknown>>(sql`
    select team_id::int as "teamId", to_char(week_start, 'YYYY-MM-DD') as "weekStart", engineers,
      live_services as "liveServices", merged_pull_requests as "mergedPullRequests", deployments, change_failures as "changeFailures",
      rework_deployments as "reworkDeployments", incidents, array_send(portal_users) as "portalUsers"
      ${sql.join(
        arrays.map(([field, column]) => sql`, array_send(${sql.identifier(column)}) as ${sql.identifier(field)}`),
        sql``,
      )}
    from rollups_team_weeks
    where week_start >= ${toIsoDate(from)}::date and week_start < ${toIsoDate(to)}::date and ${teamFilter(sql`team_id`, teamIds)}
    order by week_start, team_id`)
  return rows.map((row) => {
    const week = { ...row, portalUsers: decodeTextArray(row.portalUsers as Uint8Array) } as Record<string, unknown>
    for (const [field] of VALUE_ARRAYS) week[field] = field in row ? decodeFloat8Array(row[field] as Uint8Array) : []
    return week as unknown as TeamWeek
  })
}

/** Postgres' binary array format (array_send): ndim, has-nulls flag, element type, then (size, lower bound) per dimension. */
function arrayElements(bytes: Uint8Array, each: (view: DataView, at: number, length: number) => void): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dimensions = view.getInt32(0)
  if (dimensions === 0) return
  if (dimensions !== 1) throw new Error(`expected a one-dimensional array, got ${dimensions} dimensions`)
  const size = view.getInt32(12)
  let at = 20
  for (let i = 0; i < size; i++) {
    const length = view.getInt32(at)
    if (length < 0) throw new Error('a rollup array holds a null')
    each(view, at + 4, length)
    at += 4 + length
  }
}

/**
 * A float8[] from array_send. The hot path of every dashboard read (a scale-20 organisation's 26 weeks hold
 * over a million values): one tight loop over fixed 12-byte elements, no callback per value.
 */
function decodeFloat8Array(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dimensions = view.getInt32(0)
  if (dimensions === 0) return []
  if (dimensions !== 1) throw new Error(`expected a one-dimensional array, got ${dimensions} dimensions`)
  const size = view.getInt32(12)
  if (bytes.byteLength !== 20 + 12 * size)
    throw new Error('a rollup array holds a null or an element that is not float8')
  const values: number[] = []
  for (let i = 0, at = 24; i < size; i++, at += 12) values.push(view.getFloat64(at))
  return values
}

const utf8 = new TextDecoder()

function decodeTextArray(bytes: Uint8Array): string[] {
  const values: string[] = []
  arrayElements(bytes, (view, at, length) => values.push(utf8.decode(bytes.subarray(at, at + length))))
  return values
}
