import { asc, eq } from 'drizzle-orm'
import type { Db } from '../client'
import { initiatives, initiativeTeams, teams, type Initiative } from '../schema'

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
