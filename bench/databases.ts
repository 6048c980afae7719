// The benchmark's databases, on the Postgres server DATABASE_URL names: one per demo scale, seeded once and
// kept (a scale-20 seed takes minutes), and scratch databases made fresh for each measurement that writes.
// A kept database is reused only when it holds exactly the organisation asked for: the seed options are
// written on the database as its comment, and anything else is dropped and seeded again.
import postgres from 'postgres'
import { connect, type Connection } from '@/db/client'
import { seedDemo } from '@/db/demo/seed'
import { migrateDatabase } from '@/db/migrate'

export interface SeedSpec {
  scale: number
  months: number
  seed: number
  /** The first day after the data (a Monday), YYYY-MM-DD. */
  end: string
}

export type Log = (message: string) => void

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export async function withServer<T>(serverUrl: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} })
  try {
    return await work(sql)
  } finally {
    await sql.end({ timeout: 5 })
  }
}

/** A new, migrated, empty database `name` (dropped first if it exists). */
export async function freshDatabase(serverUrl: string, name: string): Promise<Connection> {
  await withServer(serverUrl, async (sql) => {
    await sql.unsafe(`drop database if exists "${name}" with (force)`)
    await sql.unsafe(`create database "${name}"`)
  })
  const connection = connect(databaseUrl(serverUrl, name), { max: 4 })
  await migrateDatabase(connection.sql)
  return connection
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withServer(serverUrl, (sql) => sql.unsafe(`drop database if exists "${name}" with (force)`))
}

/** The demo organisation of `spec` in its own database: kept from an earlier run when it matches, else seeded. */
export async function seededDatabase(
  serverUrl: string,
  spec: SeedSpec,
  { fresh, log }: { fresh: boolean; log: Log },
): Promise<{ url: string; seededMs: number | null }> {
  const name = `upshot_bench_scale${String(spec.scale).replace('.', '_')}`
  const url = databaseUrl(serverUrl, name)
  const wanted = JSON.stringify(spec)
  const [kept] = await withServer(
    serverUrl,
    (sql) => sql<{ comment: string | null }[]>`
      select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${name}`,
  )
  if (kept && kept.comment === wanted && !fresh) {
    const connection = connect(url, { max: 1 })
    try {
      const { applied } = await migrateDatabase(connection.sql)
      log(
        `scale ${spec.scale}: reusing ${name} (seeded earlier with ${wanted}${applied ? `; ${applied} new migration(s) applied` : ''})`,
      )
    } finally {
      await connection.close()
    }
    return { url, seededMs: null }
  }
  if (kept && !fresh) {
    // a database without the spec and with someone connected is being seeded by another run: never drop it
    const [busy] = await withServer(
      serverUrl,
      (sql) => sql<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`,
    )
    if (busy && busy.n > 0)
      throw new Error(
        `${name} holds no finished seed of ${wanted} and ${busy.n} connection(s) are using it (another run seeding it?); try again when it is done`,
      )
  }
  log(`scale ${spec.scale}: seeding ${name} (${wanted}); scale 20 takes several minutes`)
  const connection = await freshDatabase(serverUrl, name)
  try {
    const result = await seedDemo(connection.db, spec, (message) => log(`  scale ${spec.scale}: ${message}`))
    if (!result.seeded) throw new Error(`seeding ${name} failed: ${result.reason}`)
    await connection.sql.unsafe(`comment on database "${name}" is '${wanted.replaceAll("'", "''")}'`)
    log(`scale ${spec.scale}: seeded in ${(result.ms / 1000).toFixed(0)} s`)
    return { url, seededMs: result.ms }
  } finally {
    await connection.close()
  }
}

/** Row counts of the facts a page reads, for the report. */
export async function countFacts(url: string): Promise<Record<string, number>> {
  const connection = connect(url, { max: 1 })
  try {
    const [row] = await connection.sql<Record<string, string>[]>`
      select (select count(*) from teams) as teams, (select count(*) from people) as people,
        (select count(*) from pull_requests) as pull_requests, (select count(*) from deployments) as deployments,
        (select count(*) from incidents) as incidents, (select count(*) from portal_events) as portal_events,
        (select count(*) from survey_responses) as survey_responses, (select count(*) from rollups_team_weeks) as team_weeks,
        (select min(opened_at)::date::text from pull_requests) as first_day, (select max(merged_at)::date::text from pull_requests) as last_day`
    const counts: Record<string, number> = {}
    for (const [key, value] of Object.entries(row ?? {})) if (!key.endsWith('_day')) counts[key] = Number(value)
    const days =
      row?.first_day && row.last_day ? (Date.parse(row.last_day) - Date.parse(row.first_day)) / 86_400_000 : 0
    counts.years = Math.round((days / 365.25) * 10) / 10
    return counts
  } finally {
    await connection.close()
  }
}
