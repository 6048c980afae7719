// Team × week rollups (weeks start Monday, UTC), computed from the facts alone: the one query both the refresh
// and the check (rollups.ts) run. lib/metrics/team-weeks.ts computes the same rows in TypeScript; the integration
// test checks both agree on every team-week of the demo organisation. Which week a value belongs to:
// docs/metrics.md, "Rollups".
import { sql, type SQL } from 'drizzle-orm'
import { toIsoDate } from '@/lib/dates'
import type { ChangeFailureRule } from '@/lib/domain'
import { at, productionOutcomes } from './dora'

const week = (column: SQL) => sql`date_trunc('week', ${column} at time zone 'UTC')::date`
const hours = (to: SQL, from: SQL) => sql`(extract(epoch from (${to} - ${from})) / 3600)::float8`
const minutes = (to: SQL, from: SQL) => sql`(extract(epoch from (${to} - ${from})) / 60)::float8`
/** The values of `value` where `condition` holds, sorted; an empty array when there are none. */
const sortedArray = (value: SQL, condition: SQL = sql`true`) =>
  sql`coalesce(array_agg(${value} order by ${value}) filter (where ${condition}), '{}'::float8[])`

/** The rollup's columns, in the order teamWeekRows selects them. */
export const COLUMNS = sql`(team_id, week_start, engineers, live_services, merged_pull_requests, deployments, change_failures, rework_deployments,
  lead_time_hours, recovery_minutes, coding_hours, pickup_hours, review_hours, deploy_hours, cycle_hours,
  incidents, restore_minutes, acknowledge_minutes, portal_users, refreshed_at)`

/**
 * The team-weeks of the weeks starting in [firstWeek, endWeek) (Mondays), computed from the facts alone: a
 * query whose columns are COLUMNS. Each week's rows depend on the facts only, never on the range asked for,
 * so refreshing a few weeks gives the rows a refresh of every week would.
 */
export function teamWeekRows(firstWeek: Date, endWeek: Date, rule: ChangeFailureRule): SQL {
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
