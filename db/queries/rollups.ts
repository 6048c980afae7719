// Team × week rollups (weeks start Monday, UTC): recomputed from the facts for the weeks writes queued (triggers
// on the facts, migration 0011) by one serialized refresh, and read by every dashboard query. lib/metrics/team-weeks.ts computes the same rows in TypeScript; the integration
// test checks both agree on every team-week of the demo organisation. Which week a value belongs to:
// docs/metrics.md, "Rollups".
import { sql, type SQL } from 'drizzle-orm'
import { addUtcDays, DAY_MS, parseIsoDate, toIsoDate } from '@/lib/dates'
import type { ChangeFailureRule, TeamWeek } from '@/lib/domain'
import { isRetryableDatabaseError } from '@/lib/errors'
import type { Db } from '@/db/client'
import { bumpDataVersion } from './data-version'
import { at, productionOutcomes } from './dora'
import { getChangeFailureRule } from './settings'
import { teamFilter } from './team-filter'

const week = (column: SQL) => sql`date_trunc('week', ${column} at time zone 'UTC')::date`
const hours = (to: SQL, from: SQL) => sql`(extract(epoch from (${to} - ${from})) / 3600)::float8`
const minutes = (to: SQL, from: SQL) => sql`(extract(epoch from (${to} - ${from})) / 60)::float8`
/** The values of `value` where `condition` holds, sorted; an empty array when there are none. */
const sortedArray = (value: SQL, condition: SQL = sql`true`) =>
  sql`coalesce(array_agg(${value} order by ${value}) filter (where ${condition}), '{}'::float8[])`

/** The rollup's columns, in the order teamWeekRows selects them. */
const COLUMNS = sql`(team_id, week_start, engineers, live_services, merged_pull_requests, deployments, change_failures, rework_deployments,
  lead_time_hours, recovery_minutes, coding_hours, pickup_hours, review_hours, deploy_hours, cycle_hours,
  incidents, restore_minutes, acknowledge_minutes, portal_users, refreshed_at)`

/**
 * The team-weeks of the weeks starting in [firstWeek, endWeek) (Mondays), computed from the facts alone: a
 * query whose columns are COLUMNS. Each week's rows depend on the facts only, never on the range asked for,
 * so refreshing a few weeks gives the rows a refresh of every week would.
 */
function teamWeekRows(firstWeek: Date, endWeek: Date, rule: ChangeFailureRule): SQL {
  const [first, last] = [at(firstWeek), at(endWeek)]
  const [firstDay, lastDay] = [toIsoDate(firstWeek), toIsoDate(endWeek)]
  return sql`
      with ${productionOutcomes({ from: firstWeek, to: endWeek }, rule)},
      weeks as (
        select generate_series(${firstDay}::date, ${lastDay}::date - 7, interval '7 days')::date as week_start
      ),
      members as (
        select m.team_id, w.week_start, count(*)::int as engineers
        from weeks w
        join team_memberships m on m.valid_from <= w.week_start and (m.valid_to is null or m.valid_to > w.week_start)
        group by m.team_id, w.week_start
      ),
      -- deployment streams (a service, or a repository without one) each team had shipped by a week's end
      streams as (
        select team_id, coalesce(service_id, -repository_id) as stream, min(finished_at) as first_at
        from deployments
        where is_production and status = 'success' and finished_at is not null and team_id is not null
        group by 1, 2
      ),
      live as (
        select s.team_id, w.week_start, count(*)::int as live_services
        from weeks w join streams s on s.first_at < w.week_start + 7
        group by 1, 2
      ),
      deploys as (
        select team_id, ${week(sql`finished_at`)} as week_start,
          count(*)::int as deployments,
          count(*) filter (where is_change_failure)::int as change_failures,
          count(*) filter (where is_rework)::int as rework_deployments,
          ${sortedArray(minutes(sql`recovered_at`, sql`finished_at`), sql`is_change_failure and recovered_at is not null`)} as recovery_minutes
        from production_outcomes
        where team_id is not null
        group by 1, 2
      ),
      -- pull requests whose values may land in these weeks: shipped by a deployment in them, or merged in them
      touched_prs as (
        select dp.pull_request_id as id
        from deployment_pull_requests dp join deployments d on d.id = dp.deployment_id
        where d.finished_at >= ${first} and d.finished_at < ${last}
        union
        select id from pull_requests where merged_at >= ${first} and merged_at < ${last}
      ),
      first_deploys as (
        select distinct on (dp.pull_request_id) dp.pull_request_id, d.team_id, d.finished_at
        from touched_prs t
        join deployment_pull_requests dp on dp.pull_request_id = t.id
        join deployments d on d.id = dp.deployment_id
        where d.is_production and d.status = 'success' and d.finished_at is not null
        order by dp.pull_request_id, d.finished_at, d.id
      ),
      lead_times as (
        select f.team_id, ${week(sql`f.finished_at`)} as week_start,
          ${sortedArray(hours(sql`f.finished_at`, sql`coalesce(p.first_commit_at, p.opened_at)`))} as lead_time_hours
        from first_deploys f join pull_requests p on p.id = f.pull_request_id
        where f.finished_at >= ${first} and f.finished_at < ${last} and f.team_id is not null
        group by 1, 2
      ),
      flow as (
        select p.team_id, ${week(sql`p.merged_at`)} as week_start,
          count(*)::int as merged_pull_requests,
          ${sortedArray(sql`greatest(0, ${hours(sql`p.opened_at`, sql`p.first_commit_at`)})`, sql`p.first_commit_at is not null`)} as coding_hours,
          ${sortedArray(sql`greatest(0, ${hours(sql`p.first_review_at`, sql`p.opened_at`)})`, sql`p.first_review_at is not null`)} as pickup_hours,
          ${sortedArray(sql`greatest(0, ${hours(sql`p.merged_at`, sql`p.first_review_at`)})`, sql`p.first_review_at is not null`)} as review_hours,
          ${sortedArray(sql`greatest(0, ${hours(sql`f.finished_at`, sql`p.merged_at`)})`, sql`f.finished_at is not null`)} as deploy_hours,
          ${sortedArray(sql`greatest(0, ${hours(sql`f.finished_at`, sql`coalesce(p.first_commit_at, p.opened_at)`)})`, sql`f.finished_at is not null`)} as cycle_hours
        from pull_requests p left join first_deploys f on f.pull_request_id = p.id
        where p.merged_at >= ${first} and p.merged_at < ${last} and p.team_id is not null
        group by 1, 2
      ),
      incident_weeks as (
        select team_id, ${week(sql`opened_at`)} as week_start,
          count(*)::int as incidents,
          ${sortedArray(minutes(sql`resolved_at`, sql`opened_at`), sql`resolved_at is not null`)} as restore_minutes,
          ${sortedArray(minutes(sql`acknowledged_at`, sql`opened_at`), sql`acknowledged_at is not null`)} as acknowledge_minutes
        from incidents
        where opened_at >= ${first} and opened_at < ${last} and team_id is not null
        group by 1, 2
      ),
      -- active engineers (lib/metrics/adoption.ts activeEngineerWeeks): people on the team on the week's
      -- Monday, as engineers are counted above, with a portal event that week, whichever team the event went
      -- to; by person id, so a person seen under two user refs counts once. Never more than the engineers.
      portal_people as (
        select distinct person_id, ${week(sql`occurred_at`)} as week_start
        from portal_events
        where occurred_at >= ${first} and occurred_at < ${last} and person_id is not null
      ),
      portal as (
        select m.team_id, p.week_start,
          array_agg(distinct p.person_id::text collate "C" order by p.person_id::text collate "C") as portal_users
        from portal_people p
        join team_memberships m on m.person_id = p.person_id and m.valid_from <= p.week_start and (m.valid_to is null or m.valid_to > p.week_start)
        group by 1, 2
      ),
      team_weeks as (
        select team_id, week_start from members
        union select team_id, week_start from live
        union select team_id, week_start from deploys
        union select team_id, week_start from lead_times
        union select team_id, week_start from flow
        union select team_id, week_start from incident_weeks
        union select team_id, week_start from portal
      )
      select k.team_id, k.week_start,
        coalesce(m.engineers, 0), coalesce(v.live_services, 0), coalesce(f.merged_pull_requests, 0), coalesce(d.deployments, 0),
        coalesce(d.change_failures, 0), coalesce(d.rework_deployments, 0),
        coalesce(l.lead_time_hours, '{}'), coalesce(d.recovery_minutes, '{}'),
        coalesce(f.coding_hours, '{}'), coalesce(f.pickup_hours, '{}'), coalesce(f.review_hours, '{}'),
        coalesce(f.deploy_hours, '{}'), coalesce(f.cycle_hours, '{}'),
        coalesce(i.incidents, 0), coalesce(i.restore_minutes, '{}'), coalesce(i.acknowledge_minutes, '{}'),
        coalesce(u.portal_users, '{}'), now()
      from team_weeks k
      left join members m using (team_id, week_start)
      left join live v using (team_id, week_start)
      left join deploys d using (team_id, week_start)
      left join lead_times l using (team_id, week_start)
      left join flow f using (team_id, week_start)
      left join incident_weeks i using (team_id, week_start)
      left join portal u using (team_id, week_start)
      where k.week_start >= ${firstDay}::date and k.week_start < ${lastDay}::date
`
}

/** Recomputes the team-weeks of the weeks starting in [firstWeek, endWeek), inside the caller's transaction. */
async function recomputeWeeks(tx: Db, firstWeek: Date, endWeek: Date, rule: ChangeFailureRule): Promise<number> {
  await tx.execute(
    sql`delete from rollups_team_weeks where week_start >= ${toIsoDate(firstWeek)}::date and week_start < ${toIsoDate(endWeek)}::date`,
  )
  const inserted = await tx.execute(
    sql`insert into rollups_team_weeks ${COLUMNS} ${teamWeekRows(firstWeek, endWeek, rule)} returning 1`,
  )
  return inserted.length
}

/** Serializes refreshes, and `db check` against them: one refresh at a time, on any number of processes. */
const ROLLUP_LOCK = 0x726f_6c6c_7570 // "rollup"
/** Queued weeks this close together are recomputed in one pass (one query reads the span between them). */
const MERGE_GAP_WEEKS = 4
const WEEK_MS = 7 * DAY_MS

export interface DrainResult {
  /** The ranges of weeks recomputed, [from, to] as Mondays. */
  ranges: { from: string; to: string }[]
  /** Team-week rows written. */
  teamWeeks: number
}

/**
 * Brings the rollups level with the facts: recomputes the queued weeks (dirty_weeks, which triggers on the facts
 * fill in the writers' own transactions) and any week the facts' span has grown into, drops weeks the span no
 * longer holds, and records the span. One refresh at a time (an advisory lock), in one transaction: the queue
 * rows it takes are deleted only if the recomputation commits, so a refresh that fails or is killed leaves
 * them for the next one, and a write that commits meanwhile queues its weeks again. Every writer calls it
 * after committing (and the scheduler every minute); calling it with nothing queued costs a few index reads.
 * Rows come out equal to a recomputation of every week from scratch (`npm run db -- check`).
 */
export async function drainDirtyWeeks(db: Db): Promise<DrainResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => drainOnce(tx))
    } catch (error) {
      // a deadlock or serialization failure with a writer is the database asking to try again
      if (attempt >= 4 || !isRetryableDatabaseError(error)) throw error
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt))
    }
  }
}

async function drainOnce(tx: Db): Promise<DrainResult> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`)
  const queued = await tx.execute<{ from_week: string | null; to_week: string | null }>(sql`
    delete from dirty_weeks returning to_char(from_week, 'YYYY-MM-DD') as from_week, to_char(to_week, 'YYYY-MM-DD') as to_week`)
  const span = await factWeeks(tx)
  const [covered] = await tx.execute<{ first_week: string | null; last_week: string | null }>(sql`
    select to_char(first_week, 'YYYY-MM-DD') as first_week, to_char(last_week, 'YYYY-MM-DD') as last_week from rollup_span where id = 1`)
  const coveredSpan =
    covered?.first_week && covered.last_week ? { first: covered.first_week, last: covered.last_week } : null
  if (queued.length === 0 && span?.first === coveredSpan?.first && span?.last === coveredSpan?.last)
    return { ranges: [], teamWeeks: 0 }

  const ranges = span
    ? weeksToRecompute(
        span,
        coveredSpan,
        queued.map((row) => ({ from: row.from_week, to: row.to_week })),
      )
    : []
  const rule = await getChangeFailureRule(tx)
  // A refresh reads a few weeks out of years of facts: index lookups, not scans of whole tables. Postgres'
  // default random_page_cost (4, for spinning disks) makes the planner hash-join all 1.3 million shipped-change
  // links at scale 20 instead (measured, one week at scale 20: 640 ms with the default, 300 ms with this).
  await tx.execute(sql`set local random_page_cost = 1.1`)
  if (span)
    await tx.execute(
      sql`delete from rollups_team_weeks where week_start < ${span.first}::date or week_start > ${span.last}::date`,
    )
  else await tx.execute(sql`delete from rollups_team_weeks`)
  let teamWeeks = 0
  for (const range of ranges) {
    teamWeeks += await recomputeWeeks(tx, parseIsoDate(range.from), addUtcDays(parseIsoDate(range.to), 7), rule)
  }
  await tx.execute(sql`
    insert into rollup_span (id, first_week, last_week) values (1, ${span?.first ?? null}::date, ${span?.last ?? null}::date)
    on conflict (id) do update set first_week = excluded.first_week, last_week = excluded.last_week`)
  // cached read models are stale from this commit on (last: the version row is the last lock taken)
  await bumpDataVersion(tx)
  return { ranges, teamWeeks }
}

/**
 * The weeks to recompute, as merged ranges of Mondays inside the span: the queued ranges (open ends reach the
 * span's ends) and the span's weeks the stored rollups do not cover yet.
 */
export function weeksToRecompute(
  span: { first: string; last: string },
  covered: { first: string; last: string } | null,
  queued: { from: string | null; to: string | null }[],
): { from: string; to: string }[] {
  const ranges = queued.map((range) => ({ from: range.from ?? span.first, to: range.to ?? span.last }))
  if (!covered || covered.last < span.first || covered.first > span.last)
    ranges.push({ from: span.first, to: span.last })
  else {
    if (span.first < covered.first)
      ranges.push({ from: span.first, to: toIsoDate(addUtcDays(parseIsoDate(covered.first), -7)) })
    if (span.last > covered.last)
      ranges.push({ from: toIsoDate(addUtcDays(parseIsoDate(covered.last), 7)), to: span.last })
  }
  const clipped = ranges
    .map((range) => ({
      from: range.from < span.first ? span.first : range.from,
      to: range.to > span.last ? span.last : range.to,
    }))
    .filter((range) => range.from <= range.to)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
  const merged: { from: string; to: string }[] = []
  for (const range of clipped) {
    const last = merged.at(-1)
    if (last && parseIsoDate(range.from).getTime() - parseIsoDate(last.to).getTime() <= MERGE_GAP_WEEKS * WEEK_MS) {
      if (range.to > last.to) last.to = range.to
    } else merged.push({ ...range })
  }
  return merged
}

/**
 * The weeks the rollups cover (Mondays): from the week of the first fact to the week of the last, whatever
 * the team. Null without facts. Each bound is an index read.
 */
export async function factWeeks(db: Db): Promise<{ first: string; last: string } | null> {
  const [row] = await db.execute<{ first: string | null; last: string | null }>(sql`
    select to_char(upshot_week(least(
        (select min(opened_at) from pull_requests), (select min(finished_at) from deployments),
        (select min(opened_at) from incidents), (select min(occurred_at) from portal_events))), 'YYYY-MM-DD') as first,
      to_char(upshot_week(greatest(
        (select max(opened_at) from pull_requests), (select max(merged_at) from pull_requests), (select max(finished_at) from deployments),
        (select max(opened_at) from incidents), (select max(occurred_at) from portal_events))), 'YYYY-MM-DD') as last`)
  return row?.first && row.last ? { first: row.first, last: row.last } : null
}

/** Queues every week (a rule change, a repair): the next drain recomputes them all. */
export async function queueAllWeeks(db: Db): Promise<void> {
  await db.execute(sql`insert into dirty_weeks (from_week, to_week) values (null, null)`)
}

/** A difference between a stored team-week and its recomputation from the facts. */
export interface RollupDifference {
  team: string
  week: string
  column: string
  stored: string
  recomputed: string
}

const CHECKED_COLUMNS = [
  'engineers',
  'live_services',
  'merged_pull_requests',
  'deployments',
  'change_failures',
  'rework_deployments',
  'lead_time_hours',
  'recovery_minutes',
  'coding_hours',
  'pickup_hours',
  'review_hours',
  'deploy_hours',
  'cycle_hours',
  'incidents',
  'restore_minutes',
  'acknowledge_minutes',
  'portal_users',
] as const

/**
 * Recomputes every team-week from the facts and compares it with the stored one, column by column: a row
 * missing on either side is one difference (column "row"). Takes the refresh lock, so it never compares
 * against a refresh half done; weeks still queued (`queued`) are expected to differ until the next drain.
 */
export async function checkRollups(
  db: Db,
  { limit = 1000 }: { limit?: number } = {},
): Promise<{ teamWeeks: number; differences: RollupDifference[]; queued: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`)
    const [queue] = await tx.execute<{ queued: number }>(sql`select count(*)::int as queued from dirty_weeks`)
    const span = await factWeeks(tx)
    const rule = await getChangeFailureRule(tx)
    await tx.execute(sql`set local random_page_cost = 1.1`)
    await tx.execute(sql`drop table if exists pg_temp.recomputed`)
    await tx.execute(
      sql`create temporary table recomputed on commit drop as select * from rollups_team_weeks with no data`,
    )
    if (span)
      await tx.execute(
        sql`insert into recomputed ${COLUMNS} ${teamWeekRows(parseIsoDate(span.first), addUtcDays(parseIsoDate(span.last), 7), rule)}`,
      )
    const show = (column: string, side: string) =>
      column === 'row'
        ? sql.raw(`case when ${side}.team_id is null then 'absent' else 'present' end`)
        : sql.raw(`left(${side}.${column}::text, 200)`)
    const differences = await tx.execute<{
      team: string
      week: string
      column: string
      stored: string
      recomputed: string
    }>(sql`
      select coalesce(t.slug, coalesce(s.team_id, r.team_id)::text) as team, to_char(coalesce(s.week_start, r.week_start), 'YYYY-MM-DD') as week, d."column", d.stored, d.recomputed
      from rollups_team_weeks s
      full join recomputed r on r.team_id = s.team_id and r.week_start = s.week_start
      left join teams t on t.id = coalesce(s.team_id, r.team_id)
      cross join lateral (
        select 'row' as "column", ${show('row', 's')} as stored, ${show('row', 'r')} as recomputed where s.team_id is null or r.team_id is null
        ${sql.join(
          CHECKED_COLUMNS.map((column) =>
            sql.raw(
              ` union all select '${column}', ${'left(s.' + column + '::text, 200)'}, ${'left(r.' + column + '::text, 200)'} where s.team_id is not null and r.team_id is not null and s.${column} is distinct from r.${column}`,
            ),
          ),
          sql``,
        )}
      ) d
      order by week, team, d."column"
      limit ${limit}`)
    const [count] = await tx.execute<{ rows: number }>(sql`select count(*)::int as rows from recomputed`)
    return { teamWeeks: count?.rows ?? 0, differences: [...differences], queued: queue?.queued ?? 0 }
  })
}

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
