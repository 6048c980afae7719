import { asc, eq } from 'drizzle-orm'
import type { Db } from '../client'
import { milestones, type Milestone } from '../schema'

/** The portal's launch: the first portal_launch milestone (when anybody could first use it). */
export async function getPortalLaunch(db: Db): Promise<Milestone | null> {
  const [launch] = await db
    .select()
    .from(milestones)
    .where(eq(milestones.kind, 'portal_launch'))
    .orderBy(asc(milestones.occurredOn))
    .limit(1)
  return launch ?? null
}

export async function listMilestones(db: Db): Promise<Milestone[]> {
  return db.select().from(milestones).orderBy(asc(milestones.occurredOn))
}
