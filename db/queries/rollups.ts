// Team × week rollups (weeks start Monday, UTC): recomputed from the facts for the weeks a write touched, read
// by every dashboard query. lib/metrics/team-weeks.ts computes the same rows in TypeScript; the integration
// test checks both agree on every team-week of the demo organisation. Which week a value belongs to:
// docs/metrics.md, "Rollups".
import { sql, type SQL } from 'drizzle-orm'
import { startOfUtcWeek, toIsoDate } from '../../lib/dates'
import type { ChangeFailureRule } from '../../lib/domain'
import type { Db } from '../client'
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
      portal as (
        select team_id, ${week(sql`occurred_at`)} as week_start,
          array_agg(distinct user_ref collate "C" order by user_ref collate "C") as portal_users
        from portal_events
        where occurred_at >= ${first} and occurred_at < ${last} and team_id is not null and user_ref is not null
        group by 1, 2
      ),
      team_weeks as (
        select team_id, week_start from members
        union select team_id, week_start from deploys
        union select team_id, week_start from lead_times
        union select team_id, week_start from flow
        union select team_id, week_start from incident_weeks
        union select team_id, week_start from portal
      )
      insert into rollups_team_weeks
        (team_id, week_start, engineers, merged_pull_requests, deployments, change_failures, rework_deployments,
         lead_time_hours, recovery_minutes, coding_hours, pickup_hours, review_hours, deploy_hours, cycle_hours,
         incidents, restore_minutes, acknowledge_minutes, portal_users, refreshed_at)
      select k.team_id, k.week_start,
        coalesce(m.engineers, 0), coalesce(f.merged_pull_requests, 0), coalesce(d.deployments, 0),
        coalesce(d.change_failures, 0), coalesce(d.rework_deployments, 0),
        coalesce(l.lead_time_hours, '{}'), coalesce(d.recovery_minutes, '{}'),
        coalesce(f.coding_hours, '{}'), coalesce(f.pickup_hours, '{}'), coalesce(f.review_hours, '{}'),
        coalesce(f.deploy_hours, '{}'), coalesce(f.cycle_hours, '{}'),
        coalesce(i.incidents, 0), coalesce(i.restore_minutes, '{}'), coalesce(i.acknowledge_minutes, '{}'),
        coalesce(u.portal_users, '{}'), now()
      from team_weeks k
      left join members m using (team_id, week_start)
      left join deploys d using (team_id, week_start)
      left join lead_times l using (team_id, week_start)
      left join flow f using (team_id, week_start)
      left join incident_weeks i using (team_id, week_start)
      left join portal u using (team_id, week_start)
      where k.week_start >= ${firstDay}::date and k.week_start < ${lastDay}::date
      returning 1`)
    return inserted.length
  })
}

export interface WeekTotals {
  weekStart: string
  deployments: number
  changeFailures: number
  mergedPullRequests: number
}

/** Organisation totals per week in [from, to) from the rollups (teams summed). */
export async function listWeeklyTotals(db: Db, { from, to }: { from: Date; to: Date }): Promise<WeekTotals[]> {
  const rows = await db.execute<{ week_start: string; deployments: number; change_failures: number; merged: number }>(sql`
    select to_char(week_start, 'YYYY-MM-DD') as week_start, sum(deployments)::int as deployments,
      sum(change_failures)::int as change_failures, sum(merged_pull_requests)::int as merged
    from rollups_team_weeks
    where week_start >= ${toIsoDate(from)}::date and week_start < ${toIsoDate(to)}::date
    group by week_start
    order by week_start`)
  return rows.map((row) => ({
    weekStart: row.week_start,
    deployments: row.deployments,
    changeFailures: row.change_failures,
    mergedPullRequests: row.merged,
  }))
}
