// The PagerDuty collector against a fake PagerDuty on 127.0.0.1 that answers in PagerDuty's wire format: a
// backfill with acknowledge and restore times, re-runs that change nothing, a resolve picked up later, rate
// limits and failures, a window of more than 10,000 incidents, killed runs that resume, and incidents linked
// to the deployment that caused them.
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  collectPagerDuty,
  type PagerDutyCollectorOptions,
  type PagerDutySource,
} from '@/collectors/pagerduty/collector'
import type { Clock } from '@/collectors/http'
import { RunAborted } from '@/collectors/sync-run'
import { collectedFacts, emptyDatabase } from '@/tests/helpers/collected'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'
import { fakeIncidents, startFakePagerDuty, type FakePagerDuty } from '@/tests/fakes/pagerduty'

/** A run's status with its error, so a failing expectation says why. */
const outcome = (result: { status: string; error: string | null }) => ({ status: result.status, error: result.error })

const SERVICES: PagerDutySource['services'] = [
  { id: 'PSVC001', service: 'component:default/payments-api', team: 'payments' },
  { id: 'PSVC002', team: 'search' },
]

function incidents() {
  const payments = fakeIncidents({ serviceId: 'PSVC001', count: 230, start: '2026-01-05T09:00:00Z' })
  const search = fakeIncidents({ serviceId: 'PSVC002', count: 40, start: '2026-02-01T08:00:00Z', firstNumber: 1001 })
  const named = payments[2]
  if (named) named.title = 'Checkout 500s, caused by a1b2c3d'
  return [...payments, ...search]
}

async function seedCatalog(sql: TestDatabase['connection']['sql']) {
  await sql`insert into teams (slug, name) values ('payments', 'Payments'), ('search', 'Search')`
  await sql`insert into services (entity_ref, name, owner_team_id) values ('component:default/payments-api', 'payments-api', (select id from teams where slug = 'payments'))`
}

describe(`PagerDuty collector against a fake PagerDuty (${engine})`, () => {
  let database: TestDatabase
  let fake: FakePagerDuty
  let slept: number[]
  const clock: Clock = { now: () => Date.now(), sleep: async (ms) => void slept.push(ms) }

  beforeAll(async () => {
    database = await freshDatabase('pagerduty')
  })
  afterAll(async () => database?.close())
  beforeEach(async () => {
    await emptyDatabase(database.connection.sql)
    await seedCatalog(database.connection.sql)
    slept = []
    fake = await startFakePagerDuty({ incidents: incidents() })
  })
  afterEach(async () => fake?.close())

  function run(options: Partial<PagerDutyCollectorOptions> = {}) {
    return collectPagerDuty(database.connection.db, {
      config: { baseUrl: fake.url, tokenEnv: 'PAGERDUTY_TOKEN', services: SERVICES, backfillSince: '2026-01-01' },
      token: fake.token,
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
    >`select watermark::text, cursor from sync_state where source = 'pagerduty' and scope = ${scope}`
    return row && { watermark: row.watermark === null ? null : new Date(row.watermark), cursor: row.cursor }
  }
  const requests = (path: RegExp) => fake.log.filter((entry) => path.test(entry.path))

  it('backfills every service’s incidents with acknowledge and restore times; reads a log only for incidents resolved at first sight', async () => {
    const { run: result } = await run()
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    expect(await count('true')).toBe(270)
    expect(result.created).toBe(270)
    // 230 payments incidents: 58 triggered, 58 acknowledged, 114 resolved; 40 search incidents: 10, 10, 20
    const byStatus = await sql()<
      { status: string; n: number }[]
    >`select status::text, count(*)::int as n from incidents group by 1 order by 1`
    expect(byStatus).toEqual([
      { status: 'acknowledged', n: 68 },
      { status: 'resolved', n: 134 },
      { status: 'triggered', n: 68 },
    ])
    // the third payments incident: opened 2026-01-05 23:00, acknowledged 4 minutes later (the first of two
    // acknowledgements in its log), resolved 47 minutes after opening; it names its cause
    const [third] = await sql()<Record<string, unknown>[]>`
      select i.title, i.priority::text, i.urgency, i.status::text, to_char(i.opened_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as opened,
        extract(epoch from i.acknowledged_at - i.opened_at)::int / 60 as ack_minutes, extract(epoch from i.resolved_at - i.opened_at)::int / 60 as restore_minutes,
        i.deployment_ref, i.url, s.entity_ref, t.slug
      from incidents i left join services s on s.id = i.service_id left join teams t on t.id = i.team_id where i.external_id = 'P0100003'`
    expect(third).toEqual({
      title: 'Checkout 500s, caused by a1b2c3d',
      priority: 'P2',
      urgency: 'high',
      status: 'resolved',
      opened: '2026-01-05 23:00',
      ack_minutes: 4,
      restore_minutes: 47,
      deployment_ref: 'a1b2c3d',
      url: 'https://acme.pagerduty.com/incidents/P0100003',
      entity_ref: 'component:default/payments-api',
      slug: 'payments',
    })
    // acknowledged ones carry their acknowledgement on the incident; no priority set → null
    expect(await count(`status = 'acknowledged' and acknowledged_at is null`)).toBe(0)
    expect(await count(`priority is null`)).toBe(68)
    // search has no catalog service: its incidents count for the configured team
    expect(
      await count(
        `external_id like 'P02%' and service_id is null and team_id = (select id from teams where slug = 'search')`,
      ),
    ).toBe(40)
    // one log request per incident resolved at first sight (134), none for acknowledged ones
    expect(requests(/\/log_entries$/)).toHaveLength(134)
    for (const entry of requests(/^\/incidents$/)) {
      expect(entry.status).toBe(200)
      expect(entry.query.get('time_zone')).toBe('UTC')
      expect(entry.query.get('sort_by')).toBe('created_at:asc')
      expect(Number(entry.query.get('offset')) + Number(entry.query.get('limit'))).toBeLessThanOrEqual(10_000)
    }
    expect((await state('PSVC001'))?.watermark).toEqual(result.startedAt)
    expect((await state('PSVC002'))?.cursor).toBeNull()
    // restore times reach the rollups
    const [rollup] = await sql()<
      { incidents: number; restores: number }[]
    >`select sum(incidents)::int as incidents, sum(cardinality(restore_minutes))::int as restores from rollups_team_weeks`
    expect(rollup).toEqual({ incidents: 270, restores: 134 })
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
    expect(requests(/\/log_entries$/)).toEqual([])
  })

  it('an incident resolved upstream later is updated on the next run, its acknowledgement kept', async () => {
    await run()
    const [triggered, acknowledged] = fake.incidents
    if (!triggered || !acknowledged) throw new Error('no incidents')
    triggered.status = 'resolved'
    triggered.resolvedAt = '2026-01-05T11:30:00Z'
    acknowledged.status = 'resolved'
    acknowledged.resolvedAt = '2026-01-05T17:00:00Z'
    fake.log.length = 0
    const { run: second } = await run()
    expect(outcome(second)).toEqual({ status: 'success', error: null })
    expect({ created: second.created, updated: second.updated }).toEqual({ created: 0, updated: 2 })
    const rows = await sql()<{ id: string; status: string; ack: string | null; resolved: string }[]>`
      select external_id as id, status::text, to_char(acknowledged_at at time zone 'UTC', 'HH24:MI') as ack, to_char(resolved_at at time zone 'UTC', 'HH24:MI') as resolved
      from incidents where external_id in (${triggered.id}, ${acknowledged.id}) order by 1`
    expect(rows).toEqual([
      { id: triggered.id, status: 'resolved', ack: null, resolved: '11:30' },
      { id: acknowledged.id, status: 'resolved', ack: '16:04', resolved: '17:00' },
    ])
    // the acknowledged one's acknowledgement was already known: only the other one's log was read
    expect(requests(/\/log_entries$/).map((entry) => entry.path)).toEqual([`/incidents/${triggered.id}/log_entries`])
  })

  it('rate limits: waits ratelimit-reset seconds, else backs off from a second; retries a 500 and a timeout', async () => {
    fake.faults.push(
      {
        match: /^GET \/incidents\?/,
        answer: {
          kind: 'status',
          status: 429,
          headers: { 'ratelimit-limit': '960', 'ratelimit-remaining': '0', 'ratelimit-reset': '20' },
          body: { error: { message: 'Rate Limit Exceeded', code: 2020 } },
        },
      },
      {
        match: /^GET \/incidents\?/,
        after: 4,
        answer: { kind: 'status', status: 429, body: { error: { message: 'Rate Limit Exceeded', code: 2020 } } },
      },
      {
        match: /\/log_entries/,
        answer: { kind: 'status', status: 500, body: { error: { message: 'Internal Server Error' } } },
      },
      { match: /\/log_entries/, after: 3, answer: { kind: 'hang' } },
    )
    const { run: result } = await run()
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    expect(slept[0]).toBe(20_000)
    expect(slept.slice(1)).toEqual([1_000, 1_000, 1_000])
    expect(await count('true')).toBe(270)
    expect(await count("status = 'resolved' and acknowledged_at is not null")).toBe(34)
  })

  it('a malformed answer fails that service by name and keeps its watermark; a down upstream fails the run', async () => {
    await run()
    const watermarks = { payments: (await state('PSVC001'))?.watermark, search: (await state('PSVC002'))?.watermark }
    fake.faults.push({ match: /^GET \/incidents\?.*service_ids\[\]=PSVC002/, answer: { kind: 'malformed' } })
    const { run: partial } = await run()
    expect(partial.status).toBe('partial')
    expect(partial.error).toMatch(/1 item failed: PSVC002/)
    expect(partial.details).toMatchObject({
      failures: [{ item: 'PSVC002', error: expect.stringMatching(/PagerDuty GET \/incidents: unreadable answer/) }],
    })
    expect((await state('PSVC002'))?.watermark).toEqual(watermarks.search)
    expect((await state('PSVC001'))?.watermark).toEqual(partial.startedAt)

    await fake.close()
    const before = await collectedFacts(sql())
    const { run: down } = await run()
    expect(down.status).toBe('failed')
    expect(down.error).toMatch(/no service could be synced \(PSVC002: PagerDuty GET \/incidents: no answer/)
    expect((await state('PSVC001'))?.watermark).toEqual(partial.startedAt)
    expect((await state('PSVC002'))?.watermark).toEqual(watermarks.search)
    expect(await collectedFacts(sql())).toEqual(before)
  })

  it('two runs at once: the second is refused', async () => {
    const results = await Promise.allSettled([run(), run()])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(
      /already running/,
    )
  })

  it('a run killed after any page resumes there: the database equals a clean run’s and no log is read twice', async () => {
    const pages: string[] = []
    await run({ afterPage: (page) => void pages.push(page.scope) })
    const clean = await collectedFacts(sql())
    const logReads = requests(/\/log_entries$/).length
    expect(pages.length).toBeGreaterThan(20)
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
        expect(requests(/\/log_entries$/)).toHaveLength(logReads)
      }),
      { numRuns: 8, seed: 11 },
    )
  })

  it('links an incident to the production deployment of its service 40 minutes before it, or to the deployment it names', async () => {
    await sql()`
      insert into deployments (source, external_id, service_id, team_id, environment, is_production, status, started_at, finished_at, commit_sha)
      values ('webhook', 'deploy-41', (select id from services), (select id from teams where slug = 'payments'), 'production', true, 'success', '2026-03-10T11:05:00Z', '2026-03-10T11:20:00Z', 'f00dfeed41'),
        ('webhook', 'deploy-7', null, (select id from teams where slug = 'search'), 'production', true, 'success', '2026-03-09T08:00:00Z', '2026-03-09T08:10:00Z', 'c0ffee0007')`
    const [soon, unrelated, late, named] = [
      fakeIncidents({
        serviceId: 'PSVC001',
        count: 1,
        start: '2026-03-10T12:00:00Z',
        firstNumber: 5001,
        status: 'resolved',
      }),
      fakeIncidents({
        serviceId: 'PSVC002',
        count: 1,
        start: '2026-03-10T12:05:00Z',
        firstNumber: 5002,
        status: 'resolved',
      }),
      fakeIncidents({
        serviceId: 'PSVC001',
        count: 1,
        start: '2026-03-10T15:00:00Z',
        firstNumber: 5003,
        status: 'resolved',
      }),
      fakeIncidents({
        serviceId: 'PSVC002',
        count: 1,
        start: '2026-03-10T16:00:00Z',
        firstNumber: 5004,
        status: 'triggered',
      }),
    ].map((list) => list[0] as FakePagerDuty['incidents'][number])
    if (!soon || !unrelated || !late || !named) throw new Error('no incidents')
    named.title = 'Search is down, caused by deployment deploy-7'
    fake.incidents = [soon, unrelated, late, named]
    const { run: result } = await run()
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    const links = await sql()<{ id: string; deployment: string | null }[]>`
      select i.external_id as id, d.external_id as deployment from incidents i left join deployments d on d.id = i.caused_by_deployment_id order by i.opened_at`
    expect(links).toEqual([
      { id: soon.id, deployment: 'deploy-41' }, // 40 minutes after deploy-41 of its service
      { id: unrelated.id, deployment: null }, // its service is not in the catalog
      { id: late.id, deployment: null }, // 3 h 40 after: outside the 2-hour rule
      { id: named.id, deployment: 'deploy-7' }, // named in its title
    ])
    // the change failure reaches the deploying team's week
    const [week] = await sql()<
      { failures: number }[]
    >`select sum(change_failures)::int as failures from rollups_team_weeks`
    expect(week?.failures).toBe(2)
  })
})

describe(`PagerDuty: a window of more than 10,000 incidents (${engine})`, () => {
  let database: TestDatabase
  let fake: FakePagerDuty
  beforeAll(async () => {
    database = await freshDatabase('pagerduty_split')
    // 10,150 incidents two minutes apart, all in the first 30-day window
    fake = await startFakePagerDuty({
      incidents: fakeIncidents({
        serviceId: 'PSVC001',
        count: 10_150,
        start: '2026-01-02T00:00:00Z',
        everyMinutes: 2,
        status: 'triggered',
      }),
    })
  })
  afterAll(async () => {
    await fake?.close()
    await database?.close()
  })

  it('goes on from the last incident read, so no request asks for offset + limit > 10,000', async () => {
    const { run } = await collectPagerDuty(database.connection.db, {
      config: {
        baseUrl: fake.url,
        tokenEnv: 'PAGERDUTY_TOKEN',
        services: [{ id: 'PSVC001' }],
        backfillSince: '2026-01-01',
      },
      token: fake.token,
      linkIncidentsWithinHours: null,
      clock: { now: () => Date.now(), sleep: async () => {} },
    })
    expect(outcome(run)).toEqual({ status: 'success', error: null })
    const [row] = await database.connection.sql<{ n: number }[]>`select count(*)::int as n from incidents`
    expect(row?.n).toBe(10_150)
    const lists = fake.log.filter((entry) => entry.path === '/incidents')
    expect(lists.every((entry) => entry.status === 200)).toBe(true)
    expect(
      Math.max(...lists.map((entry) => Number(entry.query.get('offset')) + Number(entry.query.get('limit')))),
    ).toBe(10_000)
    // after offset 9,900 the window goes on from the 10,000th incident, created 2026-01-15 21:18
    const after = lists.findIndex((entry) => entry.query.get('offset') === '9900') + 1
    expect({ since: lists[after]?.query.get('since'), offset: lists[after]?.query.get('offset') }).toEqual({
      since: '2026-01-15T21:18:00.000Z',
      offset: '0',
    })
    // 100 pages, 2 more for the last 151 (the 10,000th read again), one per remaining 30-day window
    expect(lists.length).toBeLessThanOrEqual(102 + 11)
  })
})
