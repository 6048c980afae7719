// The data version: one number that moves with every committed change the read models depend on (see
// dataVersion in db/schema/operations.ts and migration 0006). Caches of read models are keyed on it.
import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'

export async function getDataVersion(db: Db): Promise<number> {
  const [row] = await db.execute<{ version: string }>(sql`select version::text from data_version where id = 1`)
  if (!row) throw new Error('data_version has no row: the database was not migrated')
  return Number(row.version)
}

/** Counts this transaction's changes once, visible at its commit. Run it last in a transaction: it takes the version row's lock. */
export async function bumpDataVersion(db: Db): Promise<void> {
  await db.execute(sql`select upshot_bump_data_version()`)
}
