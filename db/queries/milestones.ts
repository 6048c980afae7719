// Milestones: dated events on the time axis (the portal launch, per-use-case launches, anything else), each
// for every team or for a list of teams (milestone_teams; no rows = every team). Written by people (the
// Milestones page, `npm run db -- milestones`, the milestones CSV) and by the demo generator.
import { asc, eq, sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import { milestones, milestoneTeams, type Milestone } from '@/db/schema'
import { milestoneKindLabels, type MilestoneKind } from '@/lib/domain'
import { isUniqueViolation, UpshotError } from '@/lib/errors'
import { listTeams } from './organisation'

/** The longest name and note a milestone takes (the form, the command and the CSV check the same limits). */
export const MILESTONE_NAME_MAX = 200
export const MILESTONE_NOTE_MAX = 2000

export interface MilestoneWithTeams extends Milestone {
  /** The teams it applies to, by id; empty: every team. */
  teamIds: number[]
}

export interface MilestoneInput {
  kind: MilestoneKind
  name: string
  occurredOn: string
  description: string | null
  /** Empty: every team. */
  teamIds: number[]
}

const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`

/** Every milestone with the teams it applies to, oldest first (a handful of rows: launches, rollouts, events). */
export async function listMilestones(db: Db): Promise<MilestoneWithTeams[]> {
  const [rows, links] = await Promise.all([
    db.select().from(milestones).orderBy(asc(milestones.occurredOn), asc(milestones.id)),
    db.select().from(milestoneTeams).orderBy(asc(milestoneTeams.milestoneId), asc(milestoneTeams.teamId)),
  ])
  const teamsOf = new Map<number, number[]>()
  for (const link of links) teamsOf.set(link.milestoneId, [...(teamsOf.get(link.milestoneId) ?? []), link.teamId])
  return rows.map((row) => ({ ...row, teamIds: teamsOf.get(row.id) ?? [] }))
}

/**
 * Creates (`id` null) or replaces a milestone and its teams, in one transaction; returns its id. A second
 * milestone of one kind on one day is refused (`conflict`): (kind, occurred_on) is what a CSV re-import
 * matches on, so two would make a re-run ambiguous.
 */
export async function saveMilestone(
  db: Db,
  { id, input }: { id: number | null; input: MilestoneInput },
): Promise<number> {
  try {
    return await db.transaction(async (tx) => {
      const values = {
        kind: input.kind,
        name: input.name,
        occurredOn: input.occurredOn,
        description: input.description,
      }
      let savedId: number
      if (id === null) {
        const [row] = await tx.insert(milestones).values(values).returning({ id: milestones.id })
        savedId = row?.id as number
      } else {
        const [row] = await tx
          .update(milestones)
          .set(values)
          .where(eq(milestones.id, id))
          .returning({ id: milestones.id })
        if (!row) throw new UpshotError('not_found', `There is no milestone ${id}.`)
        savedId = row.id
        await tx.delete(milestoneTeams).where(eq(milestoneTeams.milestoneId, id))
      }
      const teamIds = [...new Set(input.teamIds)]
      if (teamIds.length > 0)
        await tx.insert(milestoneTeams).values(teamIds.map((teamId) => ({ milestoneId: savedId, teamId })))
      return savedId
    })
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new UpshotError(
        'conflict',
        `There is already a ${milestoneKindLabels[input.kind]} milestone on ${input.occurredOn}; edit that one, or choose another day or kind.`,
        { cause: error },
      )
    }
    throw error
  }
}

/** Deletes a milestone (its team list goes with it); false when there was none. */
export async function deleteMilestone(db: Db, { id }: { id: number }): Promise<boolean> {
  const rows = await db.delete(milestones).where(eq(milestones.id, id)).returning({ id: milestones.id })
  return rows.length > 0
}

export interface MilestoneUpsertRow {
  kind: MilestoneKind
  occurredOn: string
  name: string
  description: string | null
  teamIds: number[]
}

/**
 * Milestones from a file, matched on (kind, occurred_on): a new one is inserted, an existing one gets the
 * file's name, note and teams. Set-based, a few statements whatever the row count; the caller's transaction
 * makes it all or nothing. A row is "updated" when its name, note or teams changed.
 */
export async function upsertMilestones(
  db: Db,
  rows: MilestoneUpsertRow[],
): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 }
  const input = sql`jsonb_to_recordset(${json(rows)}) as r(kind text, "occurredOn" text, name text, description text)`
  const written = await db.execute<{ id: number; inserted: boolean }>(sql`
    insert into milestones (kind, occurred_on, name, description)
    select r.kind::milestone_kind, r."occurredOn"::date, r.name, r.description from ${input}
    on conflict (kind, occurred_on) do update set name = excluded.name, description = excluded.description
      where (milestones.name, milestones.description) is distinct from (excluded.name, excluded.description)
    returning id::int, xmax = 0 as inserted`)
  const ids = await db.execute<{ id: number; kind: string; occurred_on: string }>(sql`
    select m.id::int, m.kind::text, m.occurred_on::text from milestones m join ${input} on m.kind = r.kind::milestone_kind and m.occurred_on = r."occurredOn"::date`)
  const idOf = new Map(ids.map((row) => [`${row.kind}|${row.occurred_on}`, row.id]))
  const wanted = rows.flatMap((row) =>
    [...new Set(row.teamIds)].map((teamId) => ({ milestoneId: idOf.get(`${row.kind}|${row.occurredOn}`), teamId })),
  )
  const all = sql.param(ids.map((row) => row.id))
  const links = sql`jsonb_to_recordset(${json(wanted)}) as w("milestoneId" bigint, "teamId" bigint)`
  // a team list is replaced, not merged: a team the file no longer names stops seeing the milestone
  const removed = await db.execute<{ id: number }>(sql`
    delete from milestone_teams mt where mt.milestone_id = any(${all}::bigint[])
      and not exists (select 1 from ${links} where w."milestoneId" = mt.milestone_id and w."teamId" = mt.team_id)
    returning mt.milestone_id::int as id`)
  const added = await db.execute<{ id: number }>(sql`
    insert into milestone_teams (milestone_id, team_id) select w."milestoneId", w."teamId" from ${links}
    on conflict do nothing
    returning milestone_id::int as id`)
  const inserted = new Set(written.filter((row) => row.inserted).map((row) => row.id))
  const changed = new Set(
    [...written.filter((row) => !row.inserted), ...removed, ...added]
      .map((row) => row.id)
      .filter((id) => !inserted.has(id)),
  )
  return { inserted: inserted.size, updated: changed.size }
}

/**
 * Teams named by people (a CLI flag, a CSV cell): each name matches a team's slug, or its display name
 * ignoring case. A name that matches no team, or a display name two teams share, is returned as a problem.
 */
export async function resolveTeamNames(
  db: Db,
  names: string[],
): Promise<{ ids: Map<string, number>; problems: Map<string, string> }> {
  const teams = await listTeams(db)
  const ids = new Map<string, number>()
  const problems = new Map<string, string>()
  for (const name of new Set(names)) {
    const bySlug = teams.find((team) => team.slug === name)
    const byName = teams.filter((team) => team.name.toLowerCase() === name.trim().toLowerCase())
    if (bySlug) ids.set(name, bySlug.id)
    else if (byName.length === 1 && byName[0]) ids.set(name, byName[0].id)
    else if (byName.length > 1)
      problems.set(
        name,
        `"${name}" is the name of ${byName.length} teams (${byName.map((team) => team.slug).join(', ')}); use the slug`,
      )
    else problems.set(name, `"${name}" is not a team (neither a team name nor a slug; import the roster first)`)
  }
  return { ids, problems }
}
