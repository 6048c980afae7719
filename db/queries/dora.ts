// The four DORA keys computed by the database over [from, to), for the whole organisation or some teams.
// Definitions (docs/metrics.md, after dora.dev):
// - deployment frequency: successful production deployments per week;
// - change lead time: first commit → the first successful production deployment that shipped the change;
// - change fail rate: share of successful production deployments that needed immediate intervention: an
//   incident was linked to it, or the next production deployment of the same service, within 24 hours,
//   was a rollback or a hotfix (which of these count is the organisation's rule, see settings.ts);
// - failed deployment recovery time: from such a deployment to the earlier of its remediation deployment
//   and the resolution of its incidents; failures not yet recovered are left out (right-censored).
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '@/db/client'
import { DEFAULT_CHANGE_FAILURE_RULE, type ChangeFailureRule } from '@/lib/domain'
import { teamFilter } from './team-filter'

export interface DoraWindow {
  from: Date
  to: Date
  /** Only these teams' work; all teams when omitted. */
  teamIds?: number[]
}

export interface DoraSummary {
  deployments: number
  deploymentsPerWeek: number
  leadTimeChanges: number
  leadTimeMedianHours: number | null
  changeFailures: number
  changeFailRate: number | null
  recoveries: number
  recoveryMedianMinutes: number | null
}

/**
 * Successful production deployments finished in [from, to) with whether each was a change failure (by
 * `rule`), when it recovered, and whether it was rework. A common table expression named
 * `production_outcomes`, for the queries below and the rollups; lib/metrics/dora.ts is its twin in
 * TypeScript. Deployments up to the rule's window after `to` are read so the last ones see their remediation.
 */
export function productionOutcomes(
  { from, to, teamIds }: DoraWindow,
  rule: ChangeFailureRule = DEFAULT_CHANGE_FAILURE_RULE,
): SQL {
  const start = at(from)
  const end = at(to)
  const window = sql`make_interval(secs => ${rule.windowHours * 3600})`
  const remediation = sql.join(
    [rule.rollbacks ? sql`d.is_rollback` : sql`false`, rule.hotfixes ? sql`d.is_hotfix` : sql`false`],
    sql` or `,
  )
  return sql`
    production as (
      select d.id, d.team_id, d.finished_at, d.is_rollback or d.is_hotfix as is_rework,
        lead(d.finished_at) over next_deployment as next_finished_at,
        lead(${remediation}) over next_deployment as next_is_remediation
      from deployments d
      where d.is_production and d.status = 'success'
        and d.finished_at >= ${start}
        and d.finished_at < ${end} + ${window}
        and ${teamFilter(sql`d.team_id`, teamIds)}
      window next_deployment as (partition by d.service_id, d.repository_id order by d.finished_at, d.id)
    ),
    remediated as (
      select p.*, case when p.next_is_remediation and p.next_finished_at <= p.finished_at + ${window} then p.next_finished_at end as remediated_at
      from production p
    ),
    production_outcomes as (
      select p.id, p.team_id, p.finished_at, p.is_rework,
        coalesce(i.caused, false) or p.remediated_at is not null as is_change_failure,
        least(i.all_resolved_at, p.remediated_at) as recovered_at
      from remediated p
      left join lateral (
        select true as caused,
          case when bool_and(x.resolved_at is not null) then max(x.resolved_at) end as all_resolved_at
        from incidents x where ${rule.incidents ? sql`true` : sql`false`} and x.caused_by_deployment_id = p.id
        having count(*) > 0
      ) i on true
      where p.finished_at >= ${start} and p.finished_at < ${end}
    )`
}

export async function summarizeDora(
  db: Db,
  window: DoraWindow,
  rule: ChangeFailureRule = DEFAULT_CHANGE_FAILURE_RULE,
): Promise<DoraSummary> {
  const { from, to, teamIds } = window
  const [outcomes] = await db.execute<{
    deployments: number
    change_failures: number
    recoveries: number
    recovery_median_minutes: number | null
  }>(sql`
    with ${productionOutcomes(window, rule)}
    select
      count(*)::int as deployments,
      count(*) filter (where is_change_failure)::int as change_failures,
      count(recovered_at) filter (where is_change_failure)::int as recoveries,
      percentile_cont(0.5) within group (order by extract(epoch from recovered_at - finished_at) / 60)
        filter (where is_change_failure and recovered_at is not null) as recovery_median_minutes
    from production_outcomes`)

  // A change's lead time is measured once, at its first successful production deployment.
  const [lead] = await db.execute<{ changes: number; median_hours: number | null }>(sql`
    select count(*)::int as changes,
      percentile_cont(0.5) within group (
        order by extract(epoch from d.finished_at - coalesce(p.first_commit_at, p.opened_at)) / 3600
      ) as median_hours
    from deployments d
    join deployment_pull_requests dp on dp.deployment_id = d.id
    join pull_requests p on p.id = dp.pull_request_id
    where d.is_production and d.status = 'success'
      and d.finished_at >= ${at(from)} and d.finished_at < ${at(to)}
      and ${teamFilter(sql`d.team_id`, teamIds)}
      and not exists (
        select 1 from deployment_pull_requests earlier_link
        join deployments earlier on earlier.id = earlier_link.deployment_id
        where earlier_link.pull_request_id = p.id
          and earlier.is_production and earlier.status = 'success'
          and (earlier.finished_at, earlier.id) < (d.finished_at, d.id)
      )`)

  const weeks = (to.getTime() - from.getTime()) / (7 * 86_400_000)
  const deployments = outcomes?.deployments ?? 0
  const changeFailures = outcomes?.change_failures ?? 0
  return {
    deployments,
    deploymentsPerWeek: weeks > 0 ? deployments / weeks : 0,
    leadTimeChanges: lead?.changes ?? 0,
    leadTimeMedianHours: numberOrNull(lead?.median_hours),
    changeFailures,
    changeFailRate: deployments > 0 ? changeFailures / deployments : null,
    recoveries: outcomes?.recoveries ?? 0,
    recoveryMedianMinutes: numberOrNull(outcomes?.recovery_median_minutes),
  }
}

/** An instant as a typed SQL literal parameter (postgres-js cannot serialise a Date whose type it must guess). */
export function at(date: Date): SQL {
  return sql`${date.toISOString()}::timestamptz`
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value)
}

export interface ServiceDeployments {
  serviceId: number
  name: string
  teamId: number | null
  deployments: number
}

/** Successful production deployments per service in [from, to) (DORA's unit: the service). */
export async function listServiceDeployments(db: Db, { from, to, teamIds }: DoraWindow): Promise<ServiceDeployments[]> {
  const rows = await db.execute<{ service_id: number; name: string; team_id: number | null; deployments: number }>(sql`
    select s.id::int as service_id, s.name, d.team_id::int as team_id, count(*)::int as deployments
    from deployments d join services s on s.id = d.service_id
    where d.is_production and d.status = 'success' and d.finished_at >= ${at(from)} and d.finished_at < ${at(to)}
      and ${teamFilter(sql`d.team_id`, teamIds)}
    group by s.id, s.name, d.team_id
    order by deployments desc, s.name`)
  return rows.map((row) => ({
    serviceId: row.service_id,
    name: row.name,
    teamId: row.team_id,
    deployments: row.deployments,
  }))
}
