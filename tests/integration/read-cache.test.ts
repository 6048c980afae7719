// The read-model cache against a real database: a figure is computed once per data version, and every kind
// of change the read models depend on moves the version at its commit (a sync run's completion, a rollup
// refresh, an edit to the organisation or an initiative, a truncation), while a sync's heartbeat does not.
// Every table is accounted for, so a table added later cannot be forgotten.
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDataVersion } from '@/db/queries/data-version'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import { finishSyncRun, heartbeatSyncRun, startSyncRun } from '@/db/queries/sync'
import { cachedRead } from '@/lib/data/read-cache'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

/** Tables whose every committed change moves the version (a deferred trigger per row, one bump per transaction). */
const TRIGGERED = [
  'initiative_goals',
  'initiative_teams',
  'initiatives',
  'milestone_teams',
  'milestones',
  'people',
  'repositories',
  'roi_assumptions',
  'services',
  'settings',
  'study_observations',
  'survey_waves',
  'team_memberships',
  'teams',
]
/** Facts: they count when their sync run completes (sync_runs) or their weeks are refreshed (rollups_team_weeks). */
const FACTS = [
  'deployment_pull_requests',
  'deployments',
  'incidents',
  'portal_events',
  'pull_requests',
  'scaffolder_runs',
  'survey_responses',
]
const COUNTED_AT_COMPLETION = ['rollup_span', 'rollups_team_weeks', 'sync_runs']
/**
 * Read by no cached read model: sign-in, tokens, resume points, the webhook and rollup queues, the version itself,
 * the stored read models (keyed on the version, never its cause), and what is published (subscriptions, their
 * deliveries, snapshots and share links: read straight from their tables).
 */
const NOT_READ = [
  'api_tokens',
  'auth_verifications',
  'data_version',
  'delivery_attempts',
  'dirty_weeks',
  'read_models',
  'report_deliveries',
  'report_snapshots',
  'report_subscriptions',
  'share_links',
  'smtp_settings',
  'sync_state',
  'user_accounts',
  'user_sessions',
  'users',
  'webhook_deliveries',
]

describe(`read-model cache and the data version (${engine})`, () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase('read_cache')
  })
  afterAll(async () => database?.close())
  const db = () => database.connection.db
  const version = () => getDataVersion(db())

  it('accounts for every table: triggered, counted at completion, a fact, or read by no read model', async () => {
    const tables = (
      await db().execute<{ name: string }>(
        sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like '\\_\\_%' order by 1`,
      )
    ).map((row) => row.name)
    expect(tables.filter((name) => name !== '__drizzle_migrations').sort()).toEqual(
      [...TRIGGERED, ...FACTS, ...COUNTED_AT_COMPLETION, ...NOT_READ].sort(),
    )
    const triggers = await db().execute<{ table: string }>(sql`
      select distinct c.relname as table from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where not t.tgisinternal and t.tgname like '%\\_data\\_changed' order by 1`)
    expect(triggers.map((row) => row.table)).toEqual([...TRIGGERED, 'sync_runs'].sort())
  })

  it('computes a read model once per version; a committed edit recomputes it, an uncommitted one does not', async () => {
    let computed = 0
    const read = () =>
      cachedRead(
        'test-teams',
        { scope: 'all' },
        async () => ({ computed: ++computed, teams: (await db().execute(sql`select id from teams`)).length }),
        { db: db() },
      )
    const first = await read()
    expect(await read()).toBe(first)
    expect(first).toEqual({ computed: 1, teams: 0 })
    expect(Object.isFrozen(first)).toBe(true)

    const before = await version()
    await db().transaction(async (tx) => {
      await tx.execute(sql`insert into teams (slug, name) values ('alpha', 'Alpha'), ('beta', 'Beta')`)
      // another connection sees neither the rows nor a new version until the commit (the embedded server runs
      // one transaction at a time: another connection's query would wait for this one to end)
      if (engine === 'postgres') {
        expect(await version()).toBe(before)
        expect(await read()).toBe(first)
      }
    })
    expect(await version()).toBe(before + 1) // two rows, one transaction: one bump
    expect(await read()).toEqual({ computed: 2, teams: 2 })
  })

  it('a sync run moves the version when it completes, not while it runs or beats', async () => {
    const started = await startSyncRun(db(), { source: 'github', scope: 'acme/payments' })
    if (!started.started) throw new Error('a run of github acme/payments is already running')
    const { run } = started
    await db().execute(
      sql`insert into repositories (id, external_id, owner, name, full_name) values (1, 'R1', 'acme', 'payments', 'acme/payments')`,
    )
    const before = await version()
    await heartbeatSyncRun(db(), run.id)
    await db().execute(
      sql`insert into pull_requests (repository_id, number, external_id, state, opened_at) values (1, 1, 'PR1', 'open', now())`,
    )
    expect(await version()).toBe(before)
    await finishSyncRun(db(), run.id, { status: 'success', counts: { created: 1, updated: 0, skipped: 0, failed: 0 } })
    expect(await version()).toBe(before + 1)
  })

  it('a rollup refresh and a truncation move the version', async () => {
    const before = await version()
    await db().execute(sql`insert into dirty_weeks (from_week, to_week) values ('2026-03-02', '2026-03-02')`)
    await drainDirtyWeeks(db())
    expect(await version()).toBe(before + 1)
    await db().execute(sql`truncate rollups_team_weeks`)
    expect(await version()).toBe(before + 2)
  })

  it('a failed computation is not kept: the next request computes again', async () => {
    let calls = 0
    const failing = () =>
      cachedRead(
        'test-failing',
        1,
        async () => {
          calls++
          if (calls === 1) throw new Error('database went away')
          return { ok: true }
        },
        { db: db() },
      )
    await expect(failing()).rejects.toThrow('database went away')
    expect(await failing()).toEqual({ ok: true })
    expect(calls).toBe(2)
  })
})
