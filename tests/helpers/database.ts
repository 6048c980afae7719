// A fresh, migrated database per test file: a new database on TEST_DATABASE_URL's server (dropped
// afterwards), else an in-memory embedded PGlite served by this process. Closing one runs `db check` on it
// first: whatever a test wrote, once the rollup queue is drained the rollups must equal a recomputation from
// the facts, or the test file fails.
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { connect, type Connection } from '@/db/client'
import { startEmbedded } from '@/db/embedded'
import { migrateDatabase } from '@/db/migrate'
import { checkRollups, drainDirtyWeeks } from '@/db/queries/rollups'

export type Engine = 'postgres' | 'embedded'

/** The engine this test run uses. */
export const engine: Engine = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded'

export interface TestDatabase {
  engine: Engine
  url: string
  connection: Connection
  close(): Promise<void>
}

/** Drains the rollup queue (as the next writer would) and fails when a rollup differs from its recomputation. */
async function checkBeforeClosing(connection: Connection, label: string): Promise<void> {
  await drainDirtyWeeks(connection.db)
  const { differences } = await checkRollups(connection.db, { limit: 10 })
  if (differences.length > 0) {
    const lines = differences.map(
      (d) => `team ${d.team} week ${d.week} ${d.column}: stored ${d.stored}, recomputed ${d.recomputed}`,
    )
    throw new Error(`db check (${label}): the rollups differ from the facts:\n${lines.join('\n')}`)
  }
}

export async function freshDatabase(
  label: string,
  options: { engine?: Engine; checkOnClose?: boolean } = {},
): Promise<TestDatabase> {
  const use = options.engine ?? engine
  const check = options.checkOnClose ?? true
  if (use === 'postgres') {
    const admin = process.env.TEST_DATABASE_URL
    if (!admin) throw new Error('TEST_DATABASE_URL is not set')
    const name = `upshot_${label.replace(/\W+/g, '_')}_${randomBytes(4).toString('hex')}`.toLowerCase()
    await withAdmin(admin, (sql) => sql.unsafe(`create database "${name}"`))
    const url = new URL(admin)
    url.pathname = `/${name}`
    const connection = connect(url.toString(), { max: 4 })
    await migrateDatabase(connection.sql)
    return {
      engine: use,
      url: url.toString(),
      connection,
      async close() {
        try {
          if (check) await checkBeforeClosing(connection, label)
        } finally {
          await connection.close().catch(() => {})
          await withAdmin(admin, (sql) => sql.unsafe(`drop database if exists "${name}" with (force)`))
        }
      },
    }
  }
  const embedded = await startEmbedded({ dataDir: null, command: `integration test: ${label}` })
  const connection = connect(embedded.url, { max: 4 })
  await migrateDatabase(connection.sql)
  return {
    engine: use,
    url: embedded.url,
    connection,
    async close() {
      try {
        if (check) await checkBeforeClosing(connection, label)
      } finally {
        await connection.close().catch(() => {})
        await embedded.close()
      }
    },
  }
}

async function withAdmin<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    return await work(sql)
  } finally {
    await sql.end()
  }
}

/**
 * Row count and an MD5 of every row of every table, in primary-key order. Columns that record when a row
 * was computed or changed (refreshed_at, changed_at) are left out: they differ between runs by design.
 */
export async function tableChecksums(sql: postgres.Sql): Promise<Record<string, { rows: number; md5: string }>> {
  const tables = await sql<{ table_name: string; key: string }[]>`
    select c.relname as table_name,
      string_agg(quote_ident(a.attname), ', ' order by array_position(i.indkey, a.attnum)) as key
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    join pg_index i on i.indrelid = c.oid and i.indisprimary
    join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
    where c.relkind = 'r'
    group by c.relname
    order by c.relname`
  const out: Record<string, { rows: number; md5: string }> = {}
  for (const { table_name: table, key } of tables) {
    const [row] = await sql.unsafe<{ rows: number; md5: string }[]>(
      `select count(*)::int as rows, md5(coalesce(string_agg((to_jsonb(t) - 'refreshed_at' - 'changed_at')::text, E'\\n' order by ${key}), '')) as md5
       from "${table}" t`,
    )
    out[table] = row ?? { rows: 0, md5: '' }
  }
  return out
}
