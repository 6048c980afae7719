// Initiative goals: a target per (initiative, metric), set by an admin on the initiative's page. Which metric
// keys exist is the caller's to check (lib/data/goals.ts, against lib/metrics/comparable.ts); the table's
// data_changed triggers make every cached read model of the initiative recompute when a goal changes.
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import { initiativeGoals, type InitiativeGoal } from '@/db/schema'
import { databaseErrorCode, UpshotError } from '@/lib/errors'

export type { InitiativeGoal }

export interface GoalInput {
  initiativeId: number
  metric: string
  /** In the metric's unit (a share as 0–1). */
  target: number
  /** 'YYYY-MM-DD'. */
  dueOn: string
  setBy: string
}

/** The goals of an initiative, by metric key (a handful of rows). */
export async function listGoals(db: Db, { initiativeId }: { initiativeId: number }): Promise<InitiativeGoal[]> {
  return db
    .select()
    .from(initiativeGoals)
    .where(eq(initiativeGoals.initiativeId, initiativeId))
    .orderBy(asc(initiativeGoals.metric))
}

/**
 * Sets the goal of an initiative's metric: a second goal for the same metric replaces the first (one target
 * per metric; the unique index on (initiative_id, metric) makes it one statement, race-free). An initiative
 * that does not exist is `not_found`.
 */
export async function upsertGoal(db: Db, input: GoalInput): Promise<InitiativeGoal> {
  try {
    const [row] = await db
      .insert(initiativeGoals)
      .values({ ...input, setAt: new Date() })
      .onConflictDoUpdate({
        target: [initiativeGoals.initiativeId, initiativeGoals.metric],
        set: {
          target: sql`excluded.target`,
          dueOn: sql`excluded.due_on`,
          setBy: sql`excluded.set_by`,
          setAt: sql`excluded.set_at`,
        },
      })
      .returning()
    return row as InitiativeGoal
  } catch (error) {
    // foreign_key_violation: the initiative was deleted (or never was)
    if (databaseErrorCode(error) === '23503')
      throw new UpshotError('not_found', `There is no initiative ${input.initiativeId}.`, { cause: error })
    throw error
  }
}

/** Removes the goal of an initiative's metric; false when there was none. */
export async function deleteGoal(db: Db, { initiativeId, metric }: { initiativeId: number; metric: string }) {
  const rows = await db
    .delete(initiativeGoals)
    .where(and(eq(initiativeGoals.initiativeId, initiativeId), eq(initiativeGoals.metric, metric)))
    .returning({ id: initiativeGoals.id })
  return rows.length > 0
}
