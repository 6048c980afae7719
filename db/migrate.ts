// Applies the migrations drizzle-kit generated in db/migrations, recorded in drizzle's own bookkeeping table
// (drizzle.__drizzle_migrations), so drizzle-kit sees the same history.
//
// Several processes may start at once (web servers, workers, CLIs). drizzle's migrator reads what is applied
// outside its transaction, so two of them would both apply a migration; here the whole run is one
// transaction that first takes an advisory lock: the second process waits, then finds everything applied.
// One connection is enough (a pool of one works).
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql as raw } from 'drizzle-orm'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { drizzle } from 'drizzle-orm/postgres-js'
import type postgres from 'postgres'

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/** Any constant works; this one spells "upshot". */
const MIGRATION_LOCK = 0x7570_73686f74

export async function migrateDatabase(sql: postgres.Sql): Promise<{ applied: number }> {
  const migrations = readMigrationFiles({ migrationsFolder })
  return drizzle(sql).transaction(async (tx) => {
    await tx.execute(raw`select pg_advisory_xact_lock(${MIGRATION_LOCK})`)
    await tx.execute(raw`create schema if not exists drizzle`)
    await tx.execute(
      raw`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    )
    const [last] = await tx.execute<{ created_at: string }>(
      raw`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    )
    let applied = 0
    for (const migration of migrations) {
      if (last && Number(last.created_at) >= migration.folderMillis) continue
      for (const statement of migration.sql) if (statement.trim()) await tx.execute(raw.raw(statement))
      await tx.execute(
        raw`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      )
      applied++
    }
    return { applied }
  })
}
