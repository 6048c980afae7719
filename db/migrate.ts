// Applies the migrations drizzle-kit generated in db/migrations. Serialised by an advisory lock so that
// several processes starting at once (web servers, workers, CLIs) migrate once.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import type postgres from 'postgres'

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/** Any constant works; this one is "upshot" in ASCII. */
const MIGRATION_LOCK = 0x7570_73686f74

export async function migrateDatabase(sql: postgres.Sql): Promise<void> {
  // The lock is held by one reserved connection while the migrator works through the pool; on the embedded
  // database (one shared session) it is a no-op, and the one owner process migrates before it serves.
  const reserved = await sql.reserve()
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`
    try {
      await migrate(drizzle(sql), { migrationsFolder })
    } finally {
      await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`
    }
  } finally {
    reserved.release()
  }
}
