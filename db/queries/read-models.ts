// Stored read models (db/schema/operations.ts, read_models): the answers lib/data/read-cache.ts keeps in the
// database, shared by every web process and the standing-answers job.
import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'

export interface StoredReadModel {
  dataVersion: number
  day: string
  computedAt: Date
  value: string
}

export async function getStoredReadModel(db: Db, name: string, inputs: string): Promise<StoredReadModel | null> {
  const [row] = await db.execute<{ data_version: string; day: string; computed_at: string | Date; value: string }>(
    sql`select data_version::text, day::text, computed_at, value from read_models where name = ${name} and inputs = ${inputs}`,
  )
  if (!row) return null
  return {
    dataVersion: Number(row.data_version),
    day: row.day,
    computedAt: new Date(row.computed_at),
    value: row.value,
  }
}

/**
 * Keeps an answer unless a newer one is already stored: of two processes computing the same question, the one
 * that read the later data version (or, at the same version, the later day) wins, whichever finishes last.
 */
export async function storeReadModel(
  db: Db,
  row: { name: string; inputs: string; dataVersion: number; day: string; value: string; computedAt?: Date },
): Promise<void> {
  await db.execute(sql`
    insert into read_models (name, inputs, day, data_version, computed_at, value)
    values (${row.name}, ${row.inputs}, ${row.day}, ${row.dataVersion}, ${(row.computedAt ?? new Date()).toISOString()}, ${row.value})
    on conflict (name, inputs) do update
      set day = excluded.day, data_version = excluded.data_version, computed_at = excluded.computed_at, value = excluded.value
      where (read_models.data_version, read_models.day) <= (excluded.data_version, excluded.day)`)
}

/** Drops answers nobody has needed recomputed for `days` days (filters asked once, weeks long past). */
export async function pruneReadModels(db: Db, days = 14): Promise<number> {
  const rows = await db.execute(
    sql`delete from read_models where computed_at < now() - make_interval(days => ${days}) returning 1`,
  )
  return rows.length
}

/**
 * The pg-boss queue whose job computes the standing answers (lib/data/standing.ts works it in every web server
 * on a real Postgres; collectors/schedule.ts sends to it after each rollup refresh). One job at a time across
 * all processes; whoever starts first creates it with these options.
 */
export const STANDING_QUEUE = 'standing-answers'
export const STANDING_QUEUE_OPTIONS = {
  name: STANDING_QUEUE,
  policy: 'singleton',
  retryLimit: 2,
  expireInSeconds: 600,
} as const
