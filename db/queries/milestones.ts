import { asc } from 'drizzle-orm'
import type { Db } from '../client'
import { milestones, type Milestone } from '../schema'

/** Every milestone, oldest first (a handful of rows: the portal launch, rollouts, initiatives' events). */
export async function listMilestones(db: Db): Promise<Milestone[]> {
  return db.select().from(milestones).orderBy(asc(milestones.occurredOn), asc(milestones.id))
}
