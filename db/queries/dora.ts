// The four DORA keys computed by the database over [from, to), for the whole organisation or some teams.
// Definitions (docs/metrics.md, after dora.dev):
// - deployment frequency: successful production deployments per week;
// - change lead time: first commit → the first successful production deployment that shipped the change;
// - change fail rate: share of successful production deployments that needed immediate intervention: an
//   incident was linked to it, or the next production deployment of the same service, within 24 hours,
//   was a rollback or a hotfix;
// - failed deployment recovery time: from such a deployment to the earlier of its remediation deployment
//   and the resolution of its incidents; failures not yet recovered are left out (right-censored).
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../client'

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

/** How long after a deployment a rollback or hotfix still counts as remediating it. */
export const REMEDIATION_WINDOW_HOURS = 24

function teamFilter(column: SQL, teamIds: number[] | undefined): SQL {
  if (!teamIds) return sql`true`
  if (teamIds.length === 0) return sql`false`
  return sql`${column} in ${teamIds}`
}

/**
 * Successful production deployments finished in [from, to) with whether each was a change failure and
 * when it recovered. A common table expression named `production_outcomes`, for the queries below and the
 * rollups. Deployments up to 24 hours after `to` are read so that the last ones can see their remediation.
 */
export function productionOutcomes({ from, to, teamIds }: DoraWindow): SQL {
  const start = at(from)
  const end = at(to)
  return sql`
    production as (
      select d.id, d.team_id, d.finished_at,
        lead(d.finished_at) over next_deployment as next_finished_at,
        lead(d.is_rollback or d.is_hotfix) over next_deployment as next_is_remediation
      from deployments d
      where d.is_production and d.status = 'success'
        and d.finished_at >= ${start}
        and d.finished_at < ${end} + make_interval(hours => ${REMEDIATION_WINDOW_HOURS})
        and ${teamFilter(sql`d.team_id`, teamIds)}
      window next_deployment as (partition by d.service_id, d.repository_id order by d.finished_at, d.id)
    ),
    production_outcomes as (
      select p.id, p.team_id, p.finished_at,
        coalesce(i.caused, false)
          or coalesce(p.next_is_remediation and p.next_finished_at <= p.finished_at + make_interval(hours => ${REMEDIATION_WINDOW_HOURS}), false)
          as is_change_failure,
        least(
          i.all_resolved_at,
          case when p.next_is_remediation and p.next_finished_at <= p.finished_at + make_interval(hours => ${REMEDIATION_WINDOW_HOURS})
            then p.next_finished_at end
        ) as recovered_at
      from production p
      left join lateral (
        select true as caused,
          case when bool_and(x.resolved_at is not null) then max(x.resolved_at) end as all_resolved_at
        from incidents x where x.caused_by_deployment_id = p.id
        having count(*) > 0
      ) i on true
      where p.finished_at >= ${start} and p.finished_at < ${end}
    )`
}

export async function summarizeDora(db: Db, window: DoraWindow): Promise<DoraSummary> {
  const { from, to, teamIds } = window
  const [outcomes] = await db.execute<{
    deployments: number
    change_failures: number
    recoveries: number
    recovery_median_minutes: number | null
  }>(sql`
    with ${productionOutcomes(window)}
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
