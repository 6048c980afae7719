// Rollups never drift from the facts, whatever the interleaving or crash. A fixed body of work (a GitHub
// backfill against the fake GitHub, signed-payload webhook deliveries, CSV imports) runs in random orders,
// several writers at a time, with random kill points: a collector killed before or after a page's commit and
// resumed by the next run, a webhook processor that dies after its commit and before its refresh, an import
// killed before its commit and run again; incidents naming deployments imported before or after them. Each interleaving must end with the facts and every rollup column
// equal to a clean sequential run's, no row twice, no run left `running`, and `db check` clean.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GitHubSource } from '@/collectors/config'
import { importCsv } from '@/collectors/csv/import'
import { collectGitHub } from '@/collectors/github/collector'
import { GitHubClient, type Clock } from '@/collectors/github/client'
import { handleDelivery, processGitHubDeliveries } from '@/collectors/github/webhook-events'
import { RunAborted } from '@/collectors/sync-run'
import type { Database } from '@/db/client'
import { checkRollups, drainDirtyWeeks } from '@/db/queries/rollups'
import { enqueueWebhookDelivery, processWebhookDeliveries } from '@/db/queries/webhooks'
import { collectedFacts, emptyDatabase } from '@/tests/helpers/collected'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'
import { fakeRepository, startFakeGitHub, type FakeGitHub } from '@/tests/fakes/github'

const TODAY = '2026-11-24'
const collectorConfig = (url: string): GitHubSource => ({
  baseUrl: url,
  auth: { tokenEnv: 'GITHUB_TOKEN' },
  organisation: 'acme',
  teams: false,
  repositories: [
    { name: 'acme/payments', team: 'payments', deployments: { from: 'deployments', environment: 'production' } },
  ],
})
// webhooks for a repository the backfill does not read, so the final rows do not depend on who wrote last
const webhookConfig: GitHubSource = {
  baseUrl: 'http://127.0.0.1:9',
  auth: { tokenEnv: 'GITHUB_TOKEN' },
  organisation: 'acme',
  teams: false,
  repositories: [{ name: 'acme/web', team: 'web', deployments: { from: 'none' } }],
}
const webRepository = {
  id: 9,
  node_id: 'R_web',
  name: 'web',
  full_name: 'acme/web',
  owner: { login: 'acme' },
  default_branch: 'main',
  archived: false,
  created_at: '2024-01-01T00:00:00Z',
}

const csv = (lines: string[]) => new TextEncoder().encode(`${lines.join('\n')}\n`)
const ROSTER = csv([
  'login,team,team_name,start_date,team_since',
  'ada,payments,Payments,2025-06-02,2025-06-02',
  'ben,payments,Payments,2025-06-02,2025-06-02',
  'chen,search,Search,2025-06-02,2025-06-02',
  'dana,web,Web,2025-06-02,2025-06-02',
  'eve,web,Web,2025-11-03,2025-11-03',
])
/** The work every interleaving does, besides the backfill. */
const IMPORTS = {
  // dana moves from web to search in February: engineers of both teams change in every week since
  move: { kind: 'roster' as const, bytes: csv(['login,team,team_since', 'dana,search,2026-02-02']) },
  deployments: {
    kind: 'deployments' as const,
    bytes: csv([
      'id,team,environment,status,started_at,finished_at,commit_sha,is_rollback',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `search-${i},search,production,success,2026-0${1 + (i % 3)}-${String(5 + i).padStart(2, '0')}T10:00:00Z,2026-0${1 + (i % 3)}-${String(5 + i).padStart(2, '0')}T10:20:00Z,${'abc1234'}${i},${i % 5 === 4}`,
      ),
    ]),
  },
  incidents: {
    kind: 'incidents' as const,
    bytes: csv([
      // half name the deployment that caused them: imported before or after it, they end up linked
      'id,team,title,opened_at,resolved_at,caused_by_deployment',
      ...Array.from(
        { length: 6 },
        (_, i) =>
          `inc-${i},search,Search is slow ${i},2026-0${1 + (i % 3)}-${String(6 + i).padStart(2, '0')}T11:00:00Z,2026-0${1 + (i % 3)}-${String(6 + i).padStart(2, '0')}T12:30:00Z,${i % 2 === 0 ? `search-${i + 1}` : ''}`,
      ),
    ]),
  },
}
type ImportName = keyof typeof IMPORTS

/** Deliveries for acme/web: merged pull requests by ada, two states of each, the newer one wins whatever the order. */
const DELIVERIES = Array.from({ length: 8 }, (_, i) => {
  const number = (i % 4) + 1
  const version = i < 4 ? 0 : 1
  const opened = Date.parse('2026-01-05T09:00:00Z') + number * 9 * 86_400_000
  const merged = new Date(opened + (version === 0 ? 1 : 20) * 86_400_000).toISOString()
  return {
    deliveryId: `web-${i}`,
    event: 'pull_request',
    payload: {
      action: 'closed',
      repository: webRepository,
      pull_request: {
        node_id: `PR_web_${number}`,
        number,
        title: `Web change ${number}`,
        state: 'closed',
        draft: false,
        user: { login: 'ada', type: 'User' },
        created_at: new Date(opened).toISOString(),
        updated_at: new Date(Date.parse(merged) + version).toISOString(),
        closed_at: merged,
        merged_at: merged,
        merge_commit_sha: `web-m${number}-${version}`,
        head: { ref: `change-${number}` },
      },
    },
  }
})

type Step =
  | { kind: 'backfill'; killAt: number; beforeCommit: boolean }
  | { kind: 'import'; name: ImportName; killed: boolean }
  | { kind: 'delivery'; index: number; diesBeforeRefresh: boolean }

describe(`rollups under concurrent writers, crashes and resumes (${engine})`, () => {
  let database: TestDatabase
  let fake: FakeGitHub
  let clean: { facts: Record<string, string[]>; rollups: string[] }
  const clock: Clock = { now: () => Date.now(), sleep: async () => {} }
  const db = (): Database => database.connection.db

  const backfill = async (hooks: { killAt?: number; beforeCommit?: boolean } = {}) => {
    let pages = 0
    const kill = () => {
      if (++pages === hooks.killAt) throw new RunAborted('killed by the test')
    }
    const client = await GitHubClient.connect({
      baseUrl: fake.url,
      auth: { token: fake.token },
      clock,
      timeoutMs: 2_000,
    })
    return collectGitHub(db(), {
      client,
      config: collectorConfig(fake.url),
      today: TODAY,
      pageSize: 20,
      beforeCommit: hooks.killAt && hooks.beforeCommit ? kill : undefined,
      afterPage: hooks.killAt && !hooks.beforeCommit ? kill : undefined,
    })
  }
  const runImport = async (name: ImportName, { killed = false } = {}) => {
    const { kind, bytes } = IMPORTS[name]
    const work = (target: Database) =>
      importCsv(target, { kind, file: `${name}.csv`, bytes, dryRun: false, today: TODAY })
    if (!killed) return expect((await work(db())).problems).toEqual([])
    // killed before its commit: everything it wrote, the run's record included, rolls back
    await db()
      .transaction(async (tx) => {
        await work(tx as unknown as Database)
        throw new RunAborted('killed before the commit')
      })
      .catch((error: unknown) => {
        if (!(error instanceof RunAborted)) throw error
      })
  }
  const deliver = async (index: number, { diesBeforeRefresh = false } = {}) => {
    await enqueueWebhookDelivery(db(), DELIVERIES[index] as (typeof DELIVERIES)[number])
    // the route's work; a process that dies after the commit never reaches its refresh
    if (diesBeforeRefresh)
      await processWebhookDeliveries(db(), (tx, delivery) =>
        handleDelivery(tx, webhookConfig, delivery.event, delivery.payload).then(() => undefined),
      )
    else await processGitHubDeliveries(db(), webhookConfig)
  }
  const snapshot = async () => ({
    facts: await collectedFacts(database.connection.sql),
    rollups: (
      await database.connection.sql<{ row: string }[]>`
        select concat_ws('|', t.slug, r.week_start, r.engineers, r.live_services, r.merged_pull_requests, r.deployments, r.change_failures,
          r.rework_deployments, r.lead_time_hours, r.recovery_minutes, r.coding_hours, r.pickup_hours, r.review_hours, r.deploy_hours,
          r.cycle_hours, r.incidents, r.restore_minutes, r.acknowledge_minutes, r.portal_users) as row
        from rollups_team_weeks r join teams t on t.id = r.team_id order by 1`
    ).map((r) => r.row),
  })

  beforeAll(async () => {
    database = await freshDatabase('interleavings')
    fake = await startFakeGitHub({
      repositories: [
        fakeRepository({ id: 1, name: 'payments', pullRequests: 90, deployEvery: 7, authors: ['ada', 'ben', 'chen'] }),
      ],
    })
    // the clean run: everything once, one after the other, nothing killed
    await emptyDatabase(database.connection.sql)
    await importCsv(db(), { kind: 'roster', file: 'roster.csv', bytes: ROSTER, dryRun: false, today: TODAY })
    expect((await backfill()).run.status).toBe('success')
    for (const name of Object.keys(IMPORTS) as ImportName[]) await runImport(name)
    for (let i = 0; i < DELIVERIES.length; i++) await deliver(i)
    clean = await snapshot()
    expect(clean.rollups.length).toBeGreaterThan(20)
    // the named deployments are change failures in the clean run: what an import order must not change
    expect(clean.facts.incidents?.filter((row) => row.includes('|search-')).length).toBe(3)
  })
  afterAll(async () => {
    await fake?.close()
    await database?.close()
  })

  it('random interleavings with random kill points end equal to the clean run, with db check clean', async () => {
    const pages = 12 // the backfill's pages of 20 (pull requests, deployments, their links): a kill point among them
    const work = fc.record({
      // killAt 0: not killed
      backfill: fc.record({
        kind: fc.constant('backfill' as const),
        killAt: fc.integer({ min: 0, max: pages }),
        beforeCommit: fc.boolean(),
      }),
      imports: fc.tuple(
        ...(Object.keys(IMPORTS) as ImportName[]).map((name) =>
          fc.record({ kind: fc.constant('import' as const), name: fc.constant(name), killed: fc.boolean() }),
        ),
      ),
      deliveries: fc.tuple(
        ...DELIVERIES.map((_, index) =>
          fc.record({
            kind: fc.constant('delivery' as const),
            index: fc.constant(index),
            diesBeforeRefresh: fc.boolean(),
          }),
        ),
      ),
      order: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
      // at most 2 writers at once: the pool has 4 connections, and a writer inside a transaction may need a second
      // (3 writers holding one each leave 1 for the 3 that ask: the pool deadlocks, as one Postgres run did at 120 s)
      concurrency: fc.integer({ min: 1, max: 2 }),
    })
    let tried = 0
    await fc.assert(
      fc.asyncProperty(work, async ({ backfill: first, imports, deliveries, order, concurrency }) => {
        tried++
        await emptyDatabase(database.connection.sql)
        await importCsv(db(), { kind: 'roster', file: 'roster.csv', bytes: ROSTER, dryRun: false, today: TODAY })
        // the steps in a random order, `concurrency` at a time
        const steps: Step[] = [first, ...imports, ...deliveries]
        const shuffled = steps
          .map((s, i) => ({ s, key: order[i] ?? i }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.s)
        const run = async (s: Step) => {
          if (s.kind === 'backfill') {
            const result = await backfill(s.killAt > 0 ? { killAt: s.killAt, beforeCommit: s.beforeCommit } : {})
            // a kill point past its last page lets it finish
            expect(result.run.status).toMatch(s.killAt > 0 ? /^(failed|success)$/ : /^success$/)
          } else if (s.kind === 'import') await runImport(s.name, { killed: s.killed })
          else await deliver(s.index, { diesBeforeRefresh: s.diesBeforeRefresh })
        }
        for (let i = 0; i < shuffled.length; i += concurrency)
          await Promise.all(shuffled.slice(i, i + concurrency).map(run))
        // later: the next scheduled backfill resumes, killed imports are run again, the next delivery's processing
        // (here, the scheduler's minute) drains what the dead processors left queued
        expect((await backfill()).run.status).toBe('success')
        for (const s of imports) if (s.killed) await runImport(s.name)
        await processGitHubDeliveries(db(), webhookConfig)
        await drainDirtyWeeks(db())

        const now = await snapshot()
        expect(now.facts).toEqual(clean.facts)
        expect(now.rollups).toEqual(clean.rollups)
        const check = await checkRollups(db())
        expect({ queued: check.queued, differences: check.differences }).toEqual({ queued: 0, differences: [] })
        const [runs] = await database.connection.sql<{ running: number; duplicates: number }[]>`
          select (select count(*)::int from sync_runs where status = 'running') as running,
            (select count(*)::int - count(distinct (provider, external_id))::int from pull_requests) as duplicates`
        expect(runs).toEqual({ running: 0, duplicates: 0 })
      }),
      { numRuns: engine === 'postgres' ? 30 : 15, seed: 15 },
    )
    console.log(`rollup interleavings (${engine}): ${tried} tried, each equal to the clean run with db check clean`)
    expect(tried).toBeGreaterThanOrEqual(8)
  })
})
