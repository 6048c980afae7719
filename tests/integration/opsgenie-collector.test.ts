// The Opsgenie collector against a fake Opsgenie on 127.0.0.1 that answers in Opsgenie's wire format: a
// backfill with restore times, re-runs that change nothing, a resolve picked up later, rate limits and
// failures, killed runs that resume, and incidents linked to the deployment that caused them.
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Clock } from '@/collectors/http'
import { collectOpsgenie, type OpsgenieCollectorOptions, type OpsgenieSource } from '@/collectors/opsgenie/collector'
import { RunAborted } from '@/collectors/sync-run'
import { collectedFacts, emptyDatabase } from '@/tests/helpers/collected'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'
import {
  fakeOpsgenieIncidents,
  startFakeOpsgenie,
  type FakeOpsgenie,
  type FakeOpsgenieIncident,
} from '@/tests/fakes/opsgenie'

/** A run's status with its error, so a failing expectation says why. */
const outcome = (result: { status: string; error: string | null }) => ({ status: result.status, error: result.error })

const PAYMENTS = 'f3a9c1d2-5b7e-4c1a-9d2f-0a1b2c3d4e01'
const SEARCH = '7e4b2a90-3c6d-4e8f-a1b2-c3d4e5f60002'
const SERVICES: OpsgenieSource['services'] = [
  { id: PAYMENTS, service: 'component:default/payments-api', team: 'payments' },
  { id: SEARCH, team: 'search' },
]

function incidents(): FakeOpsgenieIncident[] {
  const payments = fakeOpsgenieIncidents({
    serviceId: PAYMENTS,
    count: 250,
    start: '2026-01-05T09:00:00Z',
    everyMinutes: 5 * 60,
  })
  const search = fakeOpsgenieIncidents({
    serviceId: SEARCH,
    count: 30,
    start: '2026-02-01T08:00:00Z',
    firstTinyId: 1001,
  })
  const [, unreported, named] = payments
  if (unreported) unreported.reportsImpactEnd = false
  if (named) named.message = 'Checkout 500s, caused by a1b2c3d'
  return [...payments, ...search]
}

async function seedCatalog(sql: TestDatabase['connection']['sql']) {
  await sql`insert into teams (slug, name) values ('payments', 'Payments'), ('search', 'Search')`
  await sql`insert into services (entity_ref, name, owner_team_id) values ('component:default/payments-api', 'payments-api', (select id from teams where slug = 'payments'))`
}

describe(`Opsgenie collector against a fake Opsgenie (${engine})`, () => {
  let database: TestDatabase
  let fake: FakeOpsgenie
  let slept: number[]
  const clock: Clock = { now: () => Date.now(), sleep: async (ms) => void slept.push(ms) }

  beforeAll(async () => {
    database = await freshDatabase('opsgenie')
  })
  afterAll(async () => database?.close())
  beforeEach(async () => {
    await emptyDatabase(database.connection.sql)
    await seedCatalog(database.connection.sql)
    slept = []
    fake = await startFakeOpsgenie({ incidents: incidents() })
  })
  afterEach(async () => fake?.close())

  function run(options: Partial<OpsgenieCollectorOptions> = {}) {
    return collectOpsgenie(database.connection.db, {
      config: { baseUrl: fake.url, apiKeyEnv: 'OPSGENIE_API_KEY', services: SERVICES, backfillSince: '2026-01-01' },
      apiKey: fake.apiKey,
      linkIncidentsWithinHours: 2,
      clock,
      // the embedded database runs in this process: a busy moment must not pass for an upstream that hangs
      timeoutMs: 1_500,
      ...options,
    })
  }
  const sql = () => database.connection.sql
  const count = async (where: string) =>
    Number((await sql().unsafe<{ n: number }[]>(`select count(*)::int as n from incidents where ${where}`))[0]?.n)
  const state = async (scope: string) => {
    const [row] = await sql()<
      { watermark: string | null; cursor: unknown }[]
    >`select watermark::text, cursor from sync_state where source = 'opsgenie' and scope = ${scope}`
    return row && { watermark: row.watermark === null ? null : new Date(row.watermark), cursor: row.cursor }
  }
  const requests = (path: RegExp) => fake.log.filter((entry) => path.test(entry.path))
  const restore = async (id: string) => {
    const [row] = await sql()<{ status: string; minutes: number | null }[]>`
      select status::text, extract(epoch from resolved_at - opened_at)::int / 60 as minutes from incidents where external_id = ${id}`
    return row
  }

  it('backfills the incidents of every service with their restore times; reads a log only for a resolve that reports no end of impact', async () => {
    const { run: result } = await run()
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    expect(await count('true')).toBe(280)
    // payments: 84 open, 125 resolved, 41 closed; search: 10 open, 15 resolved, 5 closed
    const byStatus = await sql()<
      { status: string; n: number }[]
    >`select status::text, count(*)::int as n from incidents group by 1 order by 1`
    expect(byStatus).toEqual([
      { status: 'resolved', n: 186 },
      { status: 'triggered', n: 94 },
    ])
    const [open, unreported, named, , , closed] = fake.incidents
    if (!open || !unreported || !named || !closed) throw new Error('no incidents')
    // resolved 52 minutes after opening: from impactEndDate, from the log, and for a closed one (closed an hour later) still 52
    expect(await restore(named.id)).toEqual({ status: 'resolved', minutes: 52 })
    expect(await restore(unreported.id)).toEqual({ status: 'resolved', minutes: 52 })
    expect(await restore(closed.id)).toEqual({ status: 'resolved', minutes: 52 })
    expect(await restore(open.id)).toEqual({ status: 'triggered', minutes: null })
    const [row] = await sql()<Record<string, unknown>[]>`
      select i.title, i.priority::text, i.urgency, i.acknowledged_at, i.deployment_ref, i.url, s.entity_ref, t.slug
      from incidents i left join services s on s.id = i.service_id left join teams t on t.id = i.team_id where i.external_id = ${named.id}`
    expect(row).toEqual({
      title: 'Checkout 500s, caused by a1b2c3d',
      priority: 'P3',
      urgency: null,
      acknowledged_at: null,
      deployment_ref: 'a1b2c3d',
      url: `https://acme.app.opsgenie.com/incident/detail/${named.id}`,
      entity_ref: 'component:default/payments-api',
      slug: 'payments',
    })
    expect(await count(`service_id is null and team_id = (select id from teams where slug = 'search')`)).toBe(30)
    // one log request, for the one resolved incident without impactEndDate
    expect(requests(/\/logs$/).map((entry) => entry.path)).toEqual([`/v1/incidents/${unreported.id}/logs`])
    const lists = requests(/^\/v1\/incidents$/)
    expect(lists.map((entry) => [entry.query.get('query'), entry.query.get('offset')])).toEqual([
      [`impactedServices:${PAYMENTS}`, '0'],
      [`impactedServices:${PAYMENTS}`, '100'],
      [`impactedServices:${PAYMENTS}`, '200'],
      [`impactedServices:${SEARCH}`, '0'],
    ])
    expect(
      lists.every(
        (entry) =>
          entry.query.get('limit') === '100' &&
          entry.query.get('sort') === 'createdAt' &&
          entry.query.get('order') === 'desc',
      ),
    ).toBe(true)
    expect((await state(PAYMENTS))?.watermark).toEqual(result.startedAt)
    expect((await state(SEARCH))?.cursor).toBeNull()
    const [rollup] = await sql()<
      { incidents: number; restores: number }[]
    >`select sum(incidents)::int as incidents, sum(cardinality(restore_minutes))::int as restores from rollups_team_weeks`
    expect(rollup).toEqual({ incidents: 280, restores: 186 })
    expect(slept).toEqual([])
  })

  it('a second run changes nothing and reads no log again', async () => {
    await run()
    const before = await collectedFacts(sql())
    fake.log.length = 0
    const { run: second } = await run()
    expect(outcome(second)).toEqual({ status: 'success', error: null })
    expect({ created: second.created, updated: second.updated }).toEqual({ created: 0, updated: 0 })
    expect(await collectedFacts(sql())).toEqual(before)
    expect(requests(/\/logs$/)).toEqual([])
  })

  it('an incident resolved upstream later is updated on the next run', async () => {
    await run()
    const [open] = fake.incidents
    if (!open) throw new Error('no incidents')
    open.status = 'resolved'
    open.resolvedAt = '2026-01-05T13:00:00.000Z'
    open.updatedAt = '2026-01-05T13:00:00.000Z'
    const { run: second } = await run()
    expect(outcome(second)).toEqual({ status: 'success', error: null })
    expect({ created: second.created, updated: second.updated }).toEqual({ created: 0, updated: 1 })
    expect(await restore(open.id)).toEqual({ status: 'resolved', minutes: 240 })
  })

  it('rate limits: a throttled answer waits X-RateLimit-Period-In-Sec, a bare 429 backs off from a second; a 500 and a timeout are retried', async () => {
    fake.faults.push(
      {
        match: /^GET \/v1\/incidents\?/,
        answer: {
          kind: 'status',
          status: 429,
          headers: {
            'X-RateLimit-State': 'THROTTLED',
            'X-RateLimit-Reason': 'ACCOUNT',
            'X-RateLimit-Period-In-Sec': '60',
          },
          body: { message: 'TooManyRequests' },
        },
      },
      {
        match: /^GET \/v1\/incidents\?/,
        after: 2,
        answer: { kind: 'status', status: 429, body: { message: 'TooManyRequests' } },
      },
      {
        match: /^GET \/v1\/incidents\?/,
        after: 4,
        answer: { kind: 'status', status: 500, body: { message: 'Internal Server Error' } },
      },
      { match: /\/logs/, answer: { kind: 'hang' } },
    )
    const { run: result } = await run()
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    expect(slept[0]).toBe(60_000)
    expect(slept.slice(1).sort()).toEqual([1_000, 1_000, 1_000])
    expect(await count('true')).toBe(280)
  })

  it('a malformed answer fails that service by name and keeps its watermark; a down upstream fails the run', async () => {
    await run()
    const watermarks = { payments: (await state(PAYMENTS))?.watermark, search: (await state(SEARCH))?.watermark }
    fake.faults.push({
      match: new RegExp(`^GET /v1/incidents\\?query=impactedServices:${SEARCH}`),
      answer: { kind: 'malformed' },
    })
    const { run: partial } = await run()
    expect(partial.status).toBe('partial')
    expect(partial.error).toBe(`1 item failed: ${SEARCH}`)
    expect(partial.details).toMatchObject({
      failures: [{ item: SEARCH, error: expect.stringMatching(/Opsgenie GET \/v1\/incidents: unreadable answer/) }],
    })
    expect((await state(SEARCH))?.watermark).toEqual(watermarks.search)
    expect((await state(PAYMENTS))?.watermark).toEqual(partial.startedAt)

    await fake.close()
    const before = await collectedFacts(sql())
    const { run: down } = await run()
    expect(down.status).toBe('failed')
    expect(down.error).toMatch(
      new RegExp(`no service could be synced \\(${SEARCH}: Opsgenie GET /v1/incidents: no answer`),
    )
    expect((await state(PAYMENTS))?.watermark).toEqual(partial.startedAt)
    expect((await state(SEARCH))?.watermark).toEqual(watermarks.search)
    expect(await collectedFacts(sql())).toEqual(before)
  })

  it('a run killed after any page resumes there: the database equals a clean run’s and no log is read twice', async () => {
    const pages: string[] = []
    await run({ afterPage: (page) => void pages.push(page.scope) })
    const clean = await collectedFacts(sql())
    expect(pages).toEqual([PAYMENTS, PAYMENTS, PAYMENTS, SEARCH])
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: pages.length }), async (killAt) => {
        await emptyDatabase(sql())
        await seedCatalog(sql())
        fake.log.length = 0
        let seen = 0
        const first = await run({
          afterPage: () => {
            if (++seen === killAt) throw new RunAborted('killed by the test')
          },
        })
        expect(first.run.status).toBe('failed')
        const second = await run()
        expect(outcome(second.run)).toEqual({ status: 'success', error: null })
        expect(await collectedFacts(sql())).toEqual(clean)
        expect(requests(/\/logs$/)).toHaveLength(1)
      }),
      { numRuns: 8, seed: 7 },
    )
  })

  it('links an incident to the production deployment of its service 40 minutes before it, or to the one its caused_by names', async () => {
    await sql()`
      insert into deployments (source, external_id, service_id, team_id, environment, is_production, status, started_at, finished_at, commit_sha)
      values ('webhook', 'deploy-41', (select id from services), (select id from teams where slug = 'payments'), 'production', true, 'success', '2026-03-10T11:05:00Z', '2026-03-10T11:20:00Z', 'f00dfeed41'),
        ('webhook', 'deploy-7', null, (select id from teams where slug = 'search'), 'production', true, 'success', '2026-03-09T08:00:00Z', '2026-03-09T08:10:00Z', 'c0ffee0007')`
    const one = (serviceId: string, start: string, tiny: number) =>
      fakeOpsgenieIncidents({
        serviceId,
        count: 1,
        start,
        firstTinyId: tiny,
        status: 'resolved',
      })[0] as FakeOpsgenieIncident
    const soon = one(PAYMENTS, '2026-03-10T12:00:00Z', 5001)
    const late = one(PAYMENTS, '2026-03-10T15:00:00Z', 5002)
    const named = one(SEARCH, '2026-03-10T16:00:00Z', 5003)
    named.extraProperties = { caused_by: 'deploy-7' }
    fake.incidents = [soon, late, named]
    const { run: result } = await run()
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    const links = await sql()<{ id: string; deployment: string | null }[]>`
      select i.external_id as id, d.external_id as deployment from incidents i left join deployments d on d.id = i.caused_by_deployment_id order by i.opened_at`
    expect(links).toEqual([
      { id: soon.id, deployment: 'deploy-41' }, // 40 minutes after deploy-41 of its service
      { id: late.id, deployment: null }, // 3 h 40 after: outside the 2-hour rule
      { id: named.id, deployment: 'deploy-7' }, // its caused_by extra property
    ])
    const [week] = await sql()<
      { failures: number }[]
    >`select sum(change_failures)::int as failures from rollups_team_weeks`
    expect(week?.failures).toBe(2)
  })
})
