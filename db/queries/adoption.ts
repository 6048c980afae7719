import { sql } from 'drizzle-orm'
import { startOfUtcWeek, toIsoDate } from '@/lib/dates'
import type { Db } from '@/db/client'
import { at } from './dora'
import { teamFilter } from './team-filter'

/**
 * The roster adoption divides by: each (team, person) with a membership on the Monday of a week starting in
 * [from, to), as the rollups count engineers per week. lib/metrics/adoption.ts rosterOver is its twin.
 */
export async function listRoster(
  db: Db,
  { from, to, teamIds }: { from: Date; to: Date; teamIds?: number[] },
): Promise<{ teamId: number; personId: number }[]> {
  const rows = await db.execute<{ team_id: number; person_id: number }>(sql`
    select distinct m.team_id::int, m.person_id::int
    from generate_series(${toIsoDate(startOfUtcWeek(from))}::date, ${toIsoDate(to)}::date - 1, interval '7 days') as w(monday)
    join team_memberships m on m.valid_from <= w.monday::date and (m.valid_to is null or m.valid_to > w.monday::date)
    where ${teamFilter(sql`m.team_id`, teamIds)}`)
  return rows.map((row) => ({ teamId: row.team_id, personId: row.person_id }))
}

/**
 * Everyone who used the portal in [from, to), by the team the event was attributed to (null: no person or no
 * team, kept only when no teams are chosen), with their last event there: the active engineers are among them,
 * the rest are the other portal users. The user key is lib/metrics/adoption.ts portalUserKey: the person id,
 * else 'ref:' and the user ref.
 */
export async function listPortalUsers(
  db: Db,
  { from, to, teamIds }: { from: Date; to: Date; teamIds?: number[] },
): Promise<{ teamId: number | null; user: string; lastAt: Date }[]> {
  const rows = await db.execute<{ team_id: number | null; user_key: string; last_at: string }>(sql`
    select team_id::int, coalesce(person_id::text, 'ref:' || user_ref) as user_key, max(occurred_at) as last_at
    from portal_events
    where occurred_at >= ${at(from)} and occurred_at < ${at(to)} and (person_id is not null or user_ref is not null) and ${teamFilter(sql`team_id`, teamIds)}
    group by 1, 2`)
  return rows.map((row) => ({ teamId: row.team_id, user: row.user_key, lastAt: new Date(row.last_at) }))
}

export interface CatalogRow {
  ownerTeamId: number | null
  hasDocs: boolean
  origin: 'template' | 'manual' | 'unknown'
  requestedAt: Date | null
  createdAt: Date
  firstProductionDeployAt: Date | null
}

/** Catalog services (owned by the given teams, or all), with when each first reached production. */
export async function listCatalog(db: Db, { teamIds }: { teamIds?: number[] } = {}): Promise<CatalogRow[]> {
  const rows = await db.execute<{
    owner_team_id: number | null
    has_docs: boolean
    origin: CatalogRow['origin']
    requested_at: string | null
    created_at: string
    first_deploy: string | null
  }>(sql`
    select s.owner_team_id::int, s.has_docs, s.origin, s.requested_at, s.created_at,
      (select min(d.finished_at) from deployments d where d.service_id = s.id and d.is_production and d.status = 'success') as first_deploy
    from services s
    where ${teamFilter(sql`s.owner_team_id`, teamIds)}`)
  const date = (value: string | null) => (value ? new Date(value) : null)
  return rows.map((row) => ({
    ownerTeamId: row.owner_team_id,
    hasDocs: row.has_docs,
    origin: row.origin,
    requestedAt: date(row.requested_at),
    createdAt: new Date(row.created_at),
    firstProductionDeployAt: date(row.first_deploy),
  }))
}

export interface ScaffolderRunRow {
  teamId: number | null
  userRef: string | null
  status: string
  templateRef: string
  startedAt: Date
  serviceId: number | null
}

export async function listScaffolderRuns(
  db: Db,
  { from, to, teamIds }: { from: Date; to: Date; teamIds?: number[] },
): Promise<ScaffolderRunRow[]> {
  const rows = await db.execute<{
    team_id: number | null
    user_ref: string | null
    status: string
    template_ref: string
    started_at: string
    service_id: number | null
  }>(sql`
    select team_id::int, user_ref, status::text, template_ref, started_at, service_id::int
    from scaffolder_runs
    where started_at >= ${at(from)} and started_at < ${at(to)} and ${teamFilter(sql`team_id`, teamIds)}
    order by started_at`)
  return rows.map((row) => ({
    teamId: row.team_id,
    userRef: row.user_ref,
    status: row.status,
    templateRef: row.template_ref,
    startedAt: new Date(row.started_at),
    serviceId: row.service_id,
  }))
}

export interface TopPortalSubject {
  kind: 'techdocs' | 'search'
  subject: string
  events: number
  /** Distinct portal users (lib/metrics/adoption.ts portalUserKey), anonymous events not counted. */
  users: number
}

/**
 * The most read TechDocs pages (navigate events of the techdocs plugin, Backstage's analytics shape) and the
 * most frequent search terms in [from, to), `limit` of each, most events first: what people come to the
 * portal for.
 */
export async function listTopPortalSubjects(
  db: Db,
  { from, to, teamIds, limit = 5 }: { from: Date; to: Date; teamIds?: number[]; limit?: number },
): Promise<TopPortalSubject[]> {
  const rows = await db.execute<{ kind: TopPortalSubject['kind']; subject: string; events: number; users: number }>(sql`
    select kind, subject, events, users from (
      select kind, subject, events, users, row_number() over (partition by kind order by events desc, subject) as rank
      from (
        select case when action = 'search' then 'search' else 'techdocs' end as kind, subject, count(*)::int as events,
          count(distinct coalesce(person_id::text, 'ref:' || user_ref))::int as users
        from portal_events
        where occurred_at >= ${at(from)} and occurred_at < ${at(to)} and ${teamFilter(sql`team_id`, teamIds)}
          and ((action = 'navigate' and plugin_id = 'techdocs') or action = 'search')
        group by 1, 2
      ) counted
    ) ranked
    where rank <= ${limit}
    order by kind, rank`)
  return rows.map((row) => ({ kind: row.kind, subject: row.subject, events: row.events, users: row.users }))
}
