// The software catalog as collected from a portal: services by entity ref, the teams that own them, and the
// scaffolder runs (template runs) that created some of them.
import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import { scaffolderRuns, services, type NewScaffolderRun, type NewService } from '@/db/schema'
import { upsertRows, type UpsertResult } from './upsert'

/**
 * The team of each owner group (by group ref): the team synced from that group (external_id = the ref), else
 * the team whose slug is the group's name (a GitHub team or a roster team of the same name). A group matching
 * neither becomes a team (slug = the name in lower case, external_id = the ref); an existing team is never
 * changed and never duplicated.
 */
export async function resolveOwnerTeams(
  db: Db,
  groups: { ref: string; name: string }[],
): Promise<{ ids: Map<string, number>; created: number }> {
  const out = { ids: new Map<string, number>(), created: 0 }
  const unique = [...new Map(groups.map((group) => [group.ref, group])).values()]
  if (unique.length === 0) return out
  const lookup = async () => {
    const rows = await db.execute<{ id: number; slug: string; external_id: string | null }>(
      sql`select id::int, lower(slug) as slug, external_id from teams
          where external_id = any(${sql.param(unique.map((g) => g.ref))}::text[]) or lower(slug) = any(${sql.param(unique.map((g) => g.name.toLowerCase()))}::text[])`,
    )
    const byRef = new Map(
      rows.filter((row) => row.external_id !== null).map((row) => [row.external_id as string, row.id]),
    )
    const bySlug = new Map(rows.map((row) => [row.slug, row.id]))
    for (const group of unique) {
      const id = byRef.get(group.ref) ?? bySlug.get(group.name.toLowerCase())
      if (id !== undefined) out.ids.set(group.ref, id)
    }
  }
  await lookup()
  const missing = [
    ...new Map(
      unique.filter((group) => !out.ids.has(group.ref)).map((group) => [group.name.toLowerCase(), group]),
    ).values(),
  ]
  if (missing.length === 0) return out
  // another writer may create the same team meanwhile: skip the conflict and read it back
  const inserted = await db.execute<{ id: number }>(
    sql`insert into teams (slug, name, external_id)
        select * from unnest(${sql.param(missing.map((g) => g.name.toLowerCase()))}::text[], ${sql.param(missing.map((g) => g.name))}::text[], ${sql.param(missing.map((g) => g.ref))}::text[])
        on conflict do nothing returning id::int`,
  )
  out.created = inserted.length
  await lookup()
  return out
}

/** Repository ids by owner/name, matched without regard to case (GitHub's names are case-insensitive); keys in lower case. */
export async function repositoryIdsByFullName(db: Db, fullNames: string[]): Promise<Map<string, number>> {
  const wanted = [...new Set(fullNames.map((name) => name.toLowerCase()))]
  if (wanted.length === 0) return new Map()
  const rows = await db.execute<{ id: number; name: string }>(
    sql`select min(id)::int as id, lower(full_name) as name from repositories where lower(full_name) = any(${sql.param(wanted)}::text[]) group by 2`,
  )
  return new Map(rows.map((row) => [row.name, row.id]))
}

export type ServiceFacts = Omit<NewService, 'id' | 'createdAt' | 'requestedAt'>

/**
 * Upserts services by entity ref. A new service's created_at is `firstSeenAt`; an existing service's dates
 * are never written here (they stay what they were, or what its scaffolder run said: see dateServicesFromRuns).
 */
export async function upsertServices(
  db: Db,
  rows: ServiceFacts[],
  { firstSeenAt }: { firstSeenAt: Date },
): Promise<UpsertResult & { createdRefs: string[] }> {
  const result = { created: 0, updated: 0, unchanged: 0, ids: new Map<string, number>(), createdRefs: [] as string[] }
  if (rows.length === 0) return result
  const existing = new Set(
    (
      await db.execute<{ entity_ref: string }>(
        sql`select entity_ref from services where entity_ref = any(${sql.param(rows.map((row) => row.entityRef))}::text[])`,
      )
    ).map((row) => row.entity_ref),
  )
  const fresh = rows.filter((row) => !existing.has(row.entityRef))
  const known = rows.filter((row) => existing.has(row.entityRef))
  for (const part of [
    await upsertRows(
      db,
      services,
      fresh.map((row) => ({ ...row, createdAt: firstSeenAt })),
      [services.entityRef],
    ),
    await upsertRows(db, services, known, [services.entityRef]),
  ]) {
    result.created += part.created
    result.updated += part.updated
    result.unchanged += part.unchanged
    for (const [key, id] of part.ids) result.ids.set(key, id)
  }
  result.createdRefs = fresh.map((row) => row.entityRef)
  return result
}

/**
 * The template-made service each (template ref, entity name) pair names, matched without regard to case; a
 * pair that names no service or several (the same name in two namespaces) is left out. Keys are
 * `template ref|name` in lower case.
 */
export async function findTemplateServices(
  db: Db,
  candidates: { templateRef: string; name: string }[],
): Promise<Map<string, number>> {
  const pairs = [
    ...new Map(candidates.map((c) => [`${c.templateRef.toLowerCase()}|${c.name.toLowerCase()}`, c])).values(),
  ]
  if (pairs.length === 0) return new Map()
  const rows = await db.execute<{ template_ref: string; name: string; id: number }>(
    sql`select c.template_ref, c.name, min(s.id)::int as id
        from unnest(${sql.param(pairs.map((c) => c.templateRef.toLowerCase()))}::text[], ${sql.param(pairs.map((c) => c.name.toLowerCase()))}::text[]) as c(template_ref, name)
        join services s on s.origin = 'template' and lower(s.template_ref) = c.template_ref and lower(split_part(s.entity_ref, '/', 2)) = c.name
        group by 1, 2
        having count(*) = 1`,
  )
  return new Map(rows.map((row) => [`${row.template_ref}|${row.name}`, row.id]))
}

/** Upserts scaffolder runs by source and task id. */
export function upsertScaffolderRuns(db: Db, rows: NewScaffolderRun[]): Promise<UpsertResult> {
  return upsertRows(db, scaffolderRuns, rows, [scaffolderRuns.source, scaffolderRuns.externalId])
}

/**
 * Dates services from the completed runs that created them: requested_at = the run's start, created_at = its
 * finish, from the earliest such run. A service is dated when it has no requested_at yet, or when a run that
 * started earlier turns up (runs are read newest first, so a retry under the same name comes before the run
 * that created the service); a later run never moves the dates. Returns how many services it dated.
 */
export async function dateServicesFromRuns(
  db: Db,
  runs: { serviceId: number; startedAt: Date; finishedAt: Date }[],
): Promise<number> {
  // one run per service: the earliest, whichever order they came in
  const first = new Map<number, { serviceId: number; startedAt: Date; finishedAt: Date }>()
  for (const run of runs) {
    const seen = first.get(run.serviceId)
    if (!seen || run.startedAt < seen.startedAt) first.set(run.serviceId, run)
  }
  if (first.size === 0) return 0
  const list = [...first.values()]
  const rows = await db.execute<{ id: number }>(
    sql`update services s set requested_at = r.started_at, created_at = r.finished_at
        from unnest(${sql.param(list.map((r) => r.serviceId))}::bigint[], ${sql.param(list.map((r) => r.startedAt.toISOString()))}::text[]::timestamptz[], ${sql.param(list.map((r) => r.finishedAt.toISOString()))}::text[]::timestamptz[])
          as r(service_id, started_at, finished_at)
        where s.id = r.service_id and (s.requested_at is null or r.started_at < s.requested_at)
        returning s.id::int`,
  )
  return rows.length
}

/** When the oldest run still open or processing started, among those started since `since`. */
export async function oldestUnfinishedScaffolderRun(
  db: Db,
  { source, since }: { source: string; since: Date },
): Promise<Date | null> {
  const [row] = await db.execute<{ started_at: string | null }>(
    sql`select min(started_at) as started_at from scaffolder_runs where source = ${source} and status in ('open', 'processing') and started_at >= ${since.toISOString()}::timestamptz`,
  )
  return row?.started_at ? new Date(row.started_at) : null
}
