import { asc, eq, sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import { initiatives, initiativeTeams, teams, type Initiative } from '@/db/schema'
import { UpshotError } from '@/lib/errors'

export interface InitiativeWithTeams extends Initiative {
  teams: { teamId: number; name: string; role: 'pilot' | 'control' }[]
}

export async function listInitiatives(db: Db): Promise<Initiative[]> {
  return db.select().from(initiatives).orderBy(asc(initiatives.launchDate), asc(initiatives.id))
}

export async function getInitiativeWithTeams(db: Db, id: number): Promise<InitiativeWithTeams | null> {
  const [initiative] = await db.select().from(initiatives).where(eq(initiatives.id, id))
  if (!initiative) return null
  const members = await db
    .select({ teamId: initiativeTeams.teamId, name: teams.name, role: initiativeTeams.role })
    .from(initiativeTeams)
    .innerJoin(teams, eq(teams.id, initiativeTeams.teamId))
    .where(eq(initiativeTeams.initiativeId, id))
    .orderBy(asc(initiativeTeams.role), asc(teams.name))
  return { ...initiative, teams: members }
}

export interface InitiativeInput {
  name: string
  useCase: Initiative['useCase']
  description: string | null
  launchDate: string
  baselineStart: string
  baselineEnd: string
  evaluationStart: string
  evaluationEnd: string
  teams: { teamId: number; role: 'pilot' | 'control' }[]
  /** Metric keys the pilot is judged by first (lib/metrics/comparable.ts). */
  primaryMetrics: string[]
}

/** A slug from a name, unique among initiatives ("checkout-pilot", then "checkout-pilot-2"). */
async function uniqueSlug(db: Db, name: string, exceptId: number | null): Promise<string> {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'initiative'
  const taken = new Set(
    (await db.select({ slug: initiatives.slug, id: initiatives.id }).from(initiatives))
      .filter((row) => row.id !== exceptId)
      .map((row) => row.slug),
  )
  let slug = base
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`
  return slug
}

/** Creates or replaces an initiative and its teams, in one transaction. Returns its id. */
export async function saveInitiative(
  db: Db,
  { id, input }: { id: number | null; input: InitiativeInput },
): Promise<number> {
  return db.transaction(async (tx) => {
    const values = {
      name: input.name,
      useCase: input.useCase,
      description: input.description,
      launchDate: input.launchDate,
      baselineStart: input.baselineStart,
      baselineEnd: input.baselineEnd,
      evaluationStart: input.evaluationStart,
      evaluationEnd: input.evaluationEnd,
      primaryMetrics: input.primaryMetrics,
    }
    let savedId: number
    if (id === null) {
      const [row] = await tx
        .insert(initiatives)
        .values({ ...values, slug: await uniqueSlug(tx, input.name, null) })
        .returning({ id: initiatives.id })
      savedId = row?.id as number
    } else {
      const [row] = await tx
        .update(initiatives)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(initiatives.id, id))
        .returning({ id: initiatives.id })
      if (!row) throw new UpshotError('not_found', `There is no initiative ${id}.`)
      savedId = row.id
      await tx.delete(initiativeTeams).where(eq(initiativeTeams.initiativeId, id))
    }
    if (input.teams.length > 0)
      await tx
        .insert(initiativeTeams)
        .values(input.teams.map((team) => ({ initiativeId: savedId, teamId: team.teamId, role: team.role })))
    return savedId
  })
}

/** Whether another initiative already has this name (names are how people tell them apart). */
export async function isInitiativeNameTaken(
  db: Db,
  { name, exceptId }: { name: string; exceptId: number | null },
): Promise<boolean> {
  const rows = await db
    .select({ id: initiatives.id })
    .from(initiatives)
    .where(sql`lower(${initiatives.name}) = lower(${name})`)
  return rows.some((row) => row.id !== exceptId)
}
