// The one database access path: drizzle over postgres-js, to DATABASE_URL or to the process that owns
// the embedded database. Query functions take a `Db` (the database or a transaction) as a parameter.
import path from 'node:path'
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { env, type Env } from '@/lib/env'
import { UpshotError } from '@/lib/errors'
import { embeddedUrl, readLiveOwner } from './embedded-lock'
import * as schema from './schema'

export type Database = PostgresJsDatabase<typeof schema>
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]
/** What query functions accept, so the same function serves pages, collectors and tests. */
export type Db = Database | Transaction

export interface Connection {
  readonly db: Database
  readonly sql: postgres.Sql
  readonly url: string
  close(): Promise<void>
}

export interface DatabaseTarget {
  url: string
  embedded: boolean
}

/** DATABASE_URL when set; else the embedded database's owner, which must be running. */
export function resolveDatabaseTarget(config: Env = env()): DatabaseTarget {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false }
  const owner = readLiveOwner(config.UPSHOT_DATA_DIR)
  if (owner?.host && owner.port) return { url: embeddedUrl(owner.host, owner.port), embedded: true }
  throw new UpshotError(
    'unavailable',
    `No database: DATABASE_URL is not set and no process is serving the embedded database in ${path.resolve(config.UPSHOT_DATA_DIR)}.`,
    { hint: 'Start it with `npm run demo`, or set DATABASE_URL to a Postgres 15+ server.' },
  )
}

export function connect(url: string, options: { max?: number } = {}): Connection {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 20,
    // the embedded server answers a new connection only between transactions: one that waits behind a long
    // write (the demo's seed, a backfill page) must not give up first
    connect_timeout: 30,
    onnotice: () => {},
    // Metrics bucket by UTC days and weeks; never by the server's local zone. No JIT: Upshot's statements
    // are short, and compiling them costs more than it saves (measured at scale 20: a one-week rollup refresh
    // spent 1.7 s of its 2.4 s compiling).
    connection: { TimeZone: 'UTC', application_name: 'upshot', jit: 'off' },
  })
  const db = drizzle(sql, { schema })
  return { db, sql, url, close: () => sql.end({ timeout: 5 }) }
}

const globalForDb = globalThis as unknown as { upshotConnection?: Connection }

/** The process-wide connection of a long-running server (kept across dev reloads). */
function getConnection(): Connection {
  globalForDb.upshotConnection ??= connect(resolveDatabaseTarget().url)
  return globalForDb.upshotConnection
}

export function getDb(): Database {
  return getConnection().db
}
