import { getTableName, is } from 'drizzle-orm'
import { PgTable } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateDatabase } from '@/db/migrate'
import * as schema from '@/db/schema'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

describe(`migrations (${engine})`, () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase('migrations')
  })
  afterAll(async () => database?.close())

  it('create every table the schema declares, and nothing else', async () => {
    const declared = (Object.values(schema) as unknown[])
      .filter((value): value is PgTable => is(value, PgTable))
      .map((table) => getTableName(table))
      .sort()
    const rows = await database.connection.sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`
    expect(rows.map((row) => row.table_name)).toEqual(declared)
    // 26 for the domain and operations (dirty_weeks and rollup_span the latest), 4 for sign-in (users,
    // user_sessions, user_accounts, auth_verifications), 2 for the read models (data_version, the caches' key;
    // read_models, the stored answers)
    expect(declared).toHaveLength(40)
  })

  it('create the indexes the team × week queries use', async () => {
    const rows = await database.connection.sql<{ indexname: string; indexdef: string }[]>`
      select indexname, indexdef from pg_indexes where schemaname = 'public'`
    const byName = new Map(rows.map((row) => [row.indexname, row.indexdef]))
    expect(byName.get('deployments_team_finished_prod_idx')).toMatch(
      /\(team_id, finished_at\) WHERE \(is_production AND \(status = 'success'/,
    )
    expect(byName.get('pull_requests_team_merged_idx')).toMatch(/\(team_id, merged_at\)/)
    expect(byName.get('incidents_team_opened_idx')).toMatch(/\(team_id, opened_at\)/)
    expect(byName.get('portal_events_occurred_user_idx')).toMatch(/\(occurred_at, user_ref\)/)
  })

  it('apply once: running them again changes nothing', async () => {
    const before = await database.connection.sql`select hash, created_at from drizzle.__drizzle_migrations order by id`
    await migrateDatabase(database.connection.sql)
    await Promise.all([migrateDatabase(database.connection.sql), migrateDatabase(database.connection.sql)])
    const after = await database.connection.sql`select hash, created_at from drizzle.__drizzle_migrations order by id`
    expect(after).toEqual(before)
    expect(after.length).toBeGreaterThan(0)
  })

  it('enforce the initiative window order in the database', async () => {
    await expect(
      database.connection
        .sql`insert into initiatives (slug, name, use_case, launch_date, baseline_start, baseline_end, evaluation_start, evaluation_end)
        values ('bad', 'Bad windows', 'delivery', '2026-01-01', '2025-12-01', '2026-02-01', '2026-01-01', '2026-03-01')`,
    ).rejects.toThrow(/initiatives_windows_apart/)
  })
})
