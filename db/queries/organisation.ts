import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'

/** True when no organisation has been loaded or collected yet. */
export async function isOrganisationEmpty(db: Db): Promise<boolean> {
  const [row] = await db.execute<{ found: boolean }>(sql`select exists (select 1 from teams) as found`)
  return !row?.found
}

export interface TeamRow {
  id: number
  slug: string
  name: string
  groupName: string | null
}

export async function listTeams(db: Db): Promise<TeamRow[]> {
  const rows = await db.execute<{ id: number; slug: string; name: string; group_name: string | null }>(
    sql`select id::int, slug, name, group_name from teams order by group_name nulls last, name`,
  )
  return rows.map((row) => ({ id: row.id, slug: row.slug, name: row.name, groupName: row.group_name }))
}

/**
 * Teams from an upstream (GitHub teams, Backstage groups): matched on the upstream's id, else on the slug,
 * so a renamed team keeps its row and a team first loaded from a roster is adopted, not duplicated.
 */
export async function reconcileTeams(
  db: Db,
  rows: { externalId: string; slug: string; name: string }[],
): Promise<{ ids: Map<string, number>; created: number; updated: number; unchanged: number }> {
  const out = { ids: new Map<string, number>(), created: 0, updated: 0, unchanged: 0 }
  for (const row of rows) {
    const [existing] = await db.execute<{ id: number; slug: string; name: string; external_id: string | null }>(
      // a team first loaded from a roster (no upstream id) or from a Backstage group (group:…) is adopted by slug
      sql`select id::int, slug, name, external_id from teams
          where external_id = ${row.externalId} or (slug = ${row.slug} and (external_id is null or external_id like 'group:%'))
          order by (external_id is not distinct from ${row.externalId}) desc limit 1`,
    )
    if (!existing) {
      const [inserted] = await db.execute<{ id: number }>(
        sql`insert into teams (slug, name, external_id) values (${row.slug}, ${row.name}, ${row.externalId}) returning id::int`,
      )
      out.ids.set(row.externalId, Number(inserted?.id))
      out.created++
      continue
    }
    out.ids.set(row.externalId, existing.id)
    if (existing.slug === row.slug && existing.name === row.name && existing.external_id === row.externalId) {
      out.unchanged++
      continue
    }
    await db.execute(
      sql`update teams set slug = ${row.slug}, name = ${row.name}, external_id = ${row.externalId} where id = ${existing.id}`,
    )
    out.updated++
  }
  return out
}

/** The people with these logins, created when first seen; their ids by login. */
export async function ensurePeople(db: Db, logins: string[]): Promise<Map<string, number>> {
  const unique = [...new Set(logins)]
  if (unique.length === 0) return new Map()
  await db.execute(
    sql`insert into people (login) select unnest(${sql.param(unique)}::text[]) on conflict (login) do nothing`,
  )
  const rows = await db.execute<{ id: number; login: string }>(
    sql`select id::int, login from people where login = any(${sql.param(unique)}::text[])`,
  )
  return new Map(rows.map((row) => [row.login, row.id]))
}

/** Who was in which team when: enough to attribute a piece of work to its author's team at the time. */
export interface Attribution {
  personIds: Map<string, number>
  memberships: Map<number, { teamId: number; from: string; to: string | null }[]>
}

export async function loadAttribution(db: Db): Promise<Attribution> {
  const people = await db.execute<{ id: number; login: string }>(sql`select id::int, login from people`)
  const memberships = await db.execute<{
    person_id: number
    team_id: number
    valid_from: string
    valid_to: string | null
  }>(
    sql`select person_id::int, team_id::int, to_char(valid_from, 'YYYY-MM-DD') as valid_from, to_char(valid_to, 'YYYY-MM-DD') as valid_to from team_memberships order by valid_from`,
  )
  const byPerson = new Map<number, { teamId: number; from: string; to: string | null }[]>()
  for (const row of memberships) {
    const list = byPerson.get(row.person_id) ?? []
    list.push({ teamId: row.team_id, from: row.valid_from, to: row.valid_to })
    byPerson.set(row.person_id, list)
  }
  return { personIds: new Map(people.map((row) => [row.login, row.id])), memberships: byPerson }
}

/** The team a person belonged to on a day (YYYY-MM-DD), if any. */
export function teamOn(attribution: Attribution, personId: number | null | undefined, day: string): number | null {
  if (personId == null) return null
  const spans = attribution.memberships.get(personId) ?? []
  return spans.find((span) => span.from <= day && (span.to === null || span.to > day))?.teamId ?? null
}

/** A membership first seen by a sync is taken to have held since the person started (else since this date). */
export const FIRST_SEEN_FROM = '2000-01-01'

/**
 * Makes the memberships of `teamIds` match an upstream's current membership lists as of `on` (YYYY-MM-DD):
 * a person now in another team moves there on `on`; a person no longer in any of these teams leaves on
 * `on`; a person seen for the first time is taken to have been in the team since their start date. Returns
 * how many memberships changed.
 */
export async function reconcileMemberships(
  db: Db,
  { current, teamIds, on }: { current: Map<number, number>; teamIds: number[]; on: string },
): Promise<number> {
  const open = await db.execute<{ id: number; person_id: number; team_id: number; valid_from: string }>(
    sql`select m.id::int, m.person_id::int, m.team_id::int, to_char(m.valid_from, 'YYYY-MM-DD') as valid_from
        from team_memberships m
        where m.valid_to is null and (m.team_id = any(${sql.param(teamIds)}::bigint[]) or m.person_id = any(${sql.param([...current.keys()])}::bigint[]))`,
  )
  const openByPerson = new Map(open.map((row) => [row.person_id, row]))
  const known = new Set(
    (
      await db.execute<{ person_id: number }>(
        sql`select distinct person_id::int from team_memberships where person_id = any(${sql.param([...current.keys()])}::bigint[])`,
      )
    ).map((row) => row.person_id),
  )
  let changed = 0
  const close = async (row: { id: number; valid_from: string }) => {
    if (row.valid_from >= on) await db.execute(sql`delete from team_memberships where id = ${row.id}`)
    else await db.execute(sql`update team_memberships set valid_to = ${on}::date where id = ${row.id}`)
    changed++
  }
  for (const [personId, teamId] of current) {
    const now = openByPerson.get(personId)
    if (now?.team_id === teamId) continue
    if (now) await close(now)
    const from = known.has(personId)
      ? sql`${on}::date`
      : sql`coalesce((select start_date from people where id = ${personId}), ${FIRST_SEEN_FROM}::date)`
    await db.execute(sql`insert into team_memberships (person_id, team_id, valid_from) values (${personId}, ${teamId}, ${from})
      on conflict (person_id, valid_from) do update set team_id = excluded.team_id, valid_to = null`)
    changed++
  }
  for (const row of open) if (!current.has(row.person_id) && teamIds.includes(row.team_id)) await close(row)
  return changed
}

/** The person with a login and their team on a day (YYYY-MM-DD), creating the person when first seen. */
export async function findAuthor(
  db: Db,
  { login, day }: { login: string; day: string },
): Promise<{ personId: number; teamId: number | null }> {
  const ids = await ensurePeople(db, [login])
  const personId = ids.get(login) as number
  const [row] = await db.execute<{ team_id: number }>(sql`
    select team_id::int from team_memberships where person_id = ${personId} and valid_from <= ${day}::date and (valid_to is null or valid_to > ${day}::date)
    order by valid_from desc limit 1`)
  return { personId, teamId: row?.team_id ?? null }
}

/** A repository's id and team by the upstream's id (stable across renames); GitHub's unless `provider` says otherwise. */
export async function findRepository(
  db: Db,
  { externalId, provider = 'github' }: { externalId: string; provider?: string },
): Promise<{ id: number; teamId: number | null } | null> {
  const [row] = await db.execute<{ id: number; team_id: number | null }>(
    sql`select id::int, team_id::int from repositories where provider = ${provider} and external_id = ${externalId}`,
  )
  return row ? { id: row.id, teamId: row.team_id } : null
}

/** A catalog service by its entity ref, with its owning team. */
export async function findService(
  db: Db,
  { entityRef }: { entityRef: string },
): Promise<{ id: number; ownerTeamId: number | null } | null> {
  const [row] = await db.execute<{ id: number; owner_team_id: number | null }>(
    sql`select id::int, owner_team_id::int from services where entity_ref = ${entityRef}`,
  )
  return row ? { id: row.id, ownerTeamId: row.owner_team_id } : null
}

export async function findTeamIdBySlug(db: Db, { slug }: { slug: string }): Promise<number | null> {
  const [row] = await db.execute<{ id: number }>(sql`select id::int from teams where slug = ${slug}`)
  return row?.id ?? null
}
