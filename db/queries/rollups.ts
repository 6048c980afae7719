// Team × week rollups (weeks start Monday, UTC): recomputed from the facts for the weeks a write touched, read
// by every dashboard query. lib/metrics/team-weeks.ts computes the same rows in TypeScript; the integration
// test checks both agree on every team-week of the demo organisation. Which week a value belongs to:
// docs/metrics.md, "Rollups".
import { sql, type SQL } from 'drizzle-orm'
import { startOfUtcWeek, toIsoDate } from '../../lib/dates'
import type { ChangeFailureRule, TeamWeek } from '../../lib/domain'
import type { Db } from '../client'
import { bumpDataVersion } from './data-version'
import { at, productionOutcomes } from './dora'
import { getChangeFailureRule } from './settings'

const week = (column: SQL) => sql`date_trunc('week', ${column} at time zone 'UTC')::date`
const hours = (to: SQL, from: SQL) => sql`(extract(epoch from (${to} - ${from})) / 3600)::float8`
const minutes = (to: SQL, from: SQL) => sql`(extract(epoch from (${to} - ${from})) / 60)::float8`
/** The values of `value` where `condition` holds, sorted; an empty array when there are none. */
const sortedArray = (value: SQL, condition: SQL = sql`true`) =>
  sql`coalesce(array_agg(${value} order by ${value}) filter (where ${condition}), '{}'::float8[])`

/**
 * Recomputes, atomically, every team-week that the span [from, to) touches (the week of `from` when the two
 * are equal: a single write). A write to facts passes the span it touched: a deployment touches its own
 * week, the merge weeks of the pull requests it shipped, and the week of the deployment before it (whose
 * failure it may reveal).
 */
export async function refreshTeamWeeks(db: Db, { from, to }: { from: Date; to: Date }, rule?: ChangeFailureRule): Promise<number> {
  const firstWeek = startOfUtcWeek(from)
  const toWeek = startOfUtcWeek(to)
  const lastWeek = to > from && to.getTime() === toWeek.getTime() ? toWeek : new Date(toWeek.getTime() + 7 * 86_400_000)
  const [first, last] = [at(firstWeek), at(lastWeek)]
  const [firstDay, lastDay] = [toIsoDate(firstWeek), toIsoDate(lastWeek)]
  return db.transaction(async (tx) => {
    const activeRule = rule ?? (await getChangeFailureRule(tx))
    // A refresh reads a few weeks out of years of facts: index lookups, not scans of whole tables. Postgres'
    // default random_page_cost (4, for spinning disks) makes the planner hash-join all 1.3 million shipped-change
    // links at scale 20 instead (measured, one week at scale 20: 640 ms with the default, 300 ms with this).
    await tx.execute(sql`set local random_page_cost = 1.1`)
    await tx.execute(sql`delete from rollups_team_weeks where week_start >= ${firstDay}::date and week_start < ${lastDay}::date`)
    const inserted = await tx.execute(sql`
      with ${productionOutcomes({ from: firstWeek, to: lastWeek }, activeRule)},
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
      insert into rollups_team_weeks
        (team_id, week_start, engineers, live_services, merged_pull_requests, deployments, change_failures, rework_deployments,
         lead_time_hours, recovery_minutes, coding_hours, pickup_hours, review_hours, deploy_hours, cycle_hours,
         incidents, restore_minutes, acknowledge_minutes, portal_users, refreshed_at)
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
      returning 1`)
    // cached read models are stale from this commit on (last: the version row is the last lock taken)
    await bumpDataVersion(tx)
    return inserted.length
  })
}

export interface TeamWeekFilter {
  from: Date
  to: Date
  /** Only these teams; all when omitted. */
  teamIds?: number[]
}

const teamCondition = (teamIds: number[] | undefined) =>
  teamIds === undefined ? sql`true` : teamIds.length === 0 ? sql`false` : sql`team_id in ${teamIds}`

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
    where week_start >= ${toIsoDate(from)}::date and week_start < ${toIsoDate(to)}::date and ${teamCondition(teamIds)}
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

export function decodeFloat8Array(bytes: Uint8Array): number[] {
  const values: number[] = []
  arrayElements(bytes, (view, at) => values.push(view.getFloat64(at)))
  return values
}

const utf8 = new TextDecoder()

export function decodeTextArray(bytes: Uint8Array): string[] {
  const values: string[] = []
  arrayElements(bytes, (view, at, length) => values.push(utf8.decode(bytes.subarray(at, at + length))))
  return values
}

/** The weeks any fact falls in: from the first fact's week to the week after the last. Null without facts. */
export async function factSpan(db: Db): Promise<{ from: Date; to: Date } | null> {
  const [row] = await db.execute<{ first: string | null; last: string | null }>(sql`
    select least(
        (select min(opened_at) from pull_requests), (select min(finished_at) from deployments),
        (select min(opened_at) from incidents), (select min(occurred_at) from portal_events)) as first,
      greatest(
        (select max(coalesce(merged_at, opened_at)) from pull_requests), (select max(finished_at) from deployments),
        (select max(opened_at) from incidents), (select max(occurred_at) from portal_events)) as last`)
  if (!row?.first || !row.last) return null
  return { from: new Date(row.first), to: new Date(new Date(row.last).getTime() + 1) }
}
