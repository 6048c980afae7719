// Which deployment caused an incident: the one the upstream names, else the one the rule blames (the last
// successful production deployment of its service within a few hours before it opened).
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '@/db/client'
import type { NewIncident } from '@/db/schema'
import { at } from './dora'

/**
 * Links incidents to the deployment that caused them: to the one the upstream names (`deployment_ref`, a
 * commit SHA or an upstream deployment id) when there is one; else, by rule, to the last successful
 * production deployment of the incident's service that finished within `withinHours` before it opened.
 * Demo rows keep the links they were generated with. The weeks a changed link moves are queued by the
 * incidents' triggers (migration 0011).
 */
export function linkIncidents(
  db: Db,
  { withinHours, since }: { withinHours: number | null; since?: Date },
): Promise<void> {
  return relinkIncidents(db, { withinHours, which: sql`i.opened_at >= ${at(since ?? new Date(0))}` })
}

/**
 * Links, as linkIncidents does, the incidents that these just-written deployments may have caused: those
 * naming one of them (by upstream id or commit SHA), those the rule would give one of them (an incident
 * imported before the deployment that caused it), and those linked to one of them now (whose deployment
 * may have changed). Call it in the deployments' transaction, with the same `withinHours` as linkIncidents
 * (null: the rule is off, and links made by it are undone).
 */
export function linkPendingIncidents(
  db: Db,
  { deploymentIds, withinHours }: { deploymentIds: number[]; withinHours: number | null },
): Promise<void> {
  if (deploymentIds.length === 0) return Promise.resolve()
  const ids = sql`${sql.param(deploymentIds)}::bigint[]`
  return relinkIncidents(db, {
    withinHours,
    which: sql`(i.caused_by_deployment_id = any(${ids}) or exists (
      select 1 from deployments d
      where d.id = any(${ids}) and case
        when i.deployment_ref is not null then ${namedBy(sql`d`, sql`i`)}
        else ${withinHours}::float8 is not null and ${ruleMatches(sql`d`, sql`i`, withinHours)}
      end))`,
  })
}

/** Of these incidents, how many name a deployment (deployment_ref) that is not known yet. */
export async function countIncidentsAwaitingDeployment(
  db: Db,
  { source, externalIds }: { source: NewIncident['source']; externalIds: string[] },
): Promise<number> {
  if (externalIds.length === 0) return 0
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from incidents
    where source = ${source} and external_id = any(${sql.param(externalIds)}::text[]) and deployment_ref is not null and caused_by_deployment_id is null`)
  return row?.n ?? 0
}

/** `deployment` is the one `incident` names: by upstream id, by commit SHA, or by a SHA's first 7 or more characters. */
const namedBy = (deployment: SQL, incident: SQL) =>
  sql`(${deployment}.external_id = ${incident}.deployment_ref or ${deployment}.commit_sha = ${incident}.deployment_ref
    or (length(${incident}.deployment_ref) >= 7 and ${deployment}.commit_sha like ${incident}.deployment_ref || '%'))`

/** `deployment` is one the rule may blame for `incident`: its service's, successful in production, finished within `withinHours` before it opened. */
const ruleMatches = (deployment: SQL, incident: SQL, withinHours: number | null) =>
  sql`(${deployment}.service_id = ${incident}.service_id and ${deployment}.is_production and ${deployment}.status = 'success'
    and ${deployment}.finished_at <= ${incident}.opened_at and ${deployment}.finished_at > ${incident}.opened_at - make_interval(secs => ${withinHours}::float8 * 3600))`

/** Recomputes the link of the incidents `which` selects (a condition on `i`); one definition for both linkers. */
async function relinkIncidents(
  db: Db,
  { withinHours, which }: { withinHours: number | null; which: SQL },
): Promise<void> {
  await db.execute(sql`
    with candidates as (
      select i.id, i.caused_by_deployment_id as old_id,
        case
          when i.deployment_ref is not null then (
            select d.id from deployments d
            where ${namedBy(sql`d`, sql`i`)}
            order by d.is_production desc, (d.status = 'success') desc, d.finished_at desc nulls last limit 1)
          when ${withinHours}::float8 is not null and i.service_id is not null then (
            select d.id from deployments d
            where ${ruleMatches(sql`d`, sql`i`, withinHours)}
            order by d.finished_at desc, d.id desc limit 1)
        end as new_id
      from incidents i
      where i.source <> 'demo' and ${which}
    )
    update incidents i set caused_by_deployment_id = c.new_id
    from candidates c
    where i.id = c.id and c.new_id is distinct from c.old_id`)
}
