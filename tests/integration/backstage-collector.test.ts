// The Backstage collector against a fake Backstage on 127.0.0.1 that answers in Backstage's wire format: a
// catalog of 1,200 components over three cursor pages and 250 scaffolder tasks over three offset pages; re-runs
// that change nothing; upstream changes; every failure a portal is known for; killed runs that resume.
import fc from 'fast-check'
import type postgres from 'postgres'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { collectBackstage, type BackstageCollectorOptions } from '@/collectors/backstage/collector'
import type { Clock } from '@/collectors/github/client'
import { RunAborted } from '@/collectors/sync-run'
import { DAY_MS, HOUR_MS, toIsoDate } from '@/lib/dates'
import { collectedFacts, emptyDatabase } from '@/tests/helpers/collected'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'
import {
  fakeComponent,
  fakeTask,
  startFakeBackstage,
  type FakeBackstage,
  type FakeEntity,
  type FakeTask,
} from '@/tests/fakes/backstage'

const NOW = Math.floor(Date.now() / HOUR_MS) * HOUR_MS
/** Ben moved from payments to search on this day. */
const MOVE = toIsoDate(new Date(NOW - 30 * DAY_MS))
const pad = (i: number) => String(i).padStart(4, '0')

// 1,200 components: owners cycle payments (by ownedBy), search, platform (no such team yet), payments (short
// spec.owner, no relation); every 100th from 50 is owned by ada; svc-0007 by nobody. Every third has docs,
// every tenth is from service-node, every tenth from 5 from service-go (annotated in short form), every fifth
// names a repository (the first 40 of which Upshot knows).
function component(i: number): FakeEntity {
  const owner =
    i === 7
      ? null
      : i % 100 === 50
        ? 'user:default/ada'
        : (['group:default/payments', 'group:default/search', 'group:default/platform', 'payments'][i % 4] as string)
  return fakeComponent({
    name: `svc-${pad(i)}`,
    owner,
    relations: i % 4 !== 3,
    docs: i % 3 === 0,
    template: i % 10 === 0 ? 'template:default/service-node' : i % 10 === 5 ? 'service-go' : null,
    repository: i % 5 === 0 ? `acme/svc-${pad(i)}` : null,
    lifecycle: i % 50 === 1 ? 'experimental' : 'production',
  })
}
const expectedOwner = (i: number) =>
  i === 7 ? null : i % 100 === 50 ? 'payments' : (['payments', 'search', 'platform', 'payments'][i % 4] as string)

function catalog(): FakeEntity[] {
  const others: FakeEntity[] = [
    { ...fakeComponent({ name: 'orders-db' }), kind: 'Resource' },
    { ...fakeComponent({ name: 'payments', owner: null }), kind: 'Group' },
    { ...fakeComponent({ name: 'service-node', owner: 'group:default/platform' }), kind: 'Template' },
  ]
  return [...Array.from({ length: 1200 }, (_, i) => component(i + 1)), ...others]
}

const USERS = ['user:default/ada', 'user:default/ben', 'user:default/zoe']

// 250 tasks, one every 8 hours back from 3 hours ago (the newest: 2 open, 3 processing, a retry of svc-0020):
// 100 completed runs that created svc-0010 … svc-1000, 50 that created svc-0005 … svc-0495 (service-go), 60
// failed, 25 cancelled, 5 completed under the name of a hand-made service, 1 skipped, 3 without a name.
function tasks(): FakeTask[] {
  const specs: Omit<Parameters<typeof fakeTask>[0], 'createdAt' | 'user'>[] = []
  for (let i = 0; i < 2; i++)
    specs.push({ id: `task-open-${i}`, template: 'template:default/service-node', name: `new-${i}`, status: 'open' })
  for (let i = 0; i < 3; i++)
    specs.push({
      id: `task-processing-${i}`,
      template: 'template:default/service-node',
      name: `building-${i}`,
      status: 'processing',
    })
  specs.push({
    id: 'task-retry-0020',
    template: 'template:default/service-node',
    name: 'svc-0020',
    status: 'completed',
  })
  const rest: (typeof specs)[number][] = []
  for (let j = 1; j <= 100; j++)
    rest.push({
      id: `task-created-${pad(10 * j)}`,
      template: 'template:default/service-node',
      name: `svc-${pad(10 * j)}`,
      status: 'completed',
    })
  for (let j = 0; j < 50; j++)
    rest.push({
      id: `task-created-${pad(10 * j + 5)}`,
      template: 'template:default/service-go',
      name: `svc-${pad(10 * j + 5)}`,
      status: 'completed',
    })
  for (let j = 0; j < 60; j++)
    rest.push({
      id: `task-failed-${j}`,
      template: 'template:default/service-node',
      name: `attempt-${j}`,
      status: 'failed',
    })
  for (let j = 0; j < 25; j++)
    rest.push({
      id: `task-cancelled-${j}`,
      template: 'template:default/service-go',
      name: `draft-${j}`,
      status: 'cancelled',
    })
  for (let j = 0; j < 5; j++)
    rest.push({
      id: `task-manual-${j}`,
      template: 'template:default/service-node',
      name: `svc-${pad(10 * j + 1)}`,
      status: 'completed',
    })
  rest.push({ id: 'task-skipped', template: 'template:default/docs', name: 'docs', status: 'skipped' })
  for (let j = 0; j < 3; j++)
    rest.push({ id: `task-nameless-${j}`, template: 'template:default/docs', name: '', status: 'completed' })
  // interleave deterministically, so every page mixes outcomes
  rest.sort((a, b) => hash(a.id as string) - hash(b.id as string))
  return [...specs, ...rest].map((spec, k) =>
    fakeTask({ ...spec, user: USERS[k % 3] as string, createdAt: new Date(NOW - (3 + 8 * k) * HOUR_MS) }),
  )
}
const hash = (text: string) => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_003, 7)

/** Ben's runs count for payments before his move and for search after it; zoe is nobody Upshot knows. */
function expectedTeam(task: FakeTask): string | null {
  if (task.createdBy === 'user:default/ada') return 'payments'
  if (task.createdBy === 'user:default/ben') return toIsoDate(new Date(task.createdAt)) >= MOVE ? 'search' : 'payments'
  return null
}

/** What the Backstage collector leaves, beyond collectedFacts: links, people, dates (a first-seen date is left out: it is when the run happened). */
async function backstageFacts(sql: postgres.Sql): Promise<Record<string, string[]>> {
  const rows = async (query: string) => (await sql.unsafe<{ row: string }[]>(query)).map((r) => r.row)
  return {
    services: await rows(`
      select concat_ws('|', s.entity_ref, r.full_name, s.requested_at, case when s.requested_at is null then 'first seen' else s.created_at::text end) as row
      from services s left join repositories r on r.id = s.repository_id order by 1`),
    runs: await rows(`
      select concat_ws('|', x.external_id, p.login, t.slug, s.entity_ref) as row
      from scaffolder_runs x left join people p on p.id = x.person_id left join teams t on t.id = x.team_id left join services s on s.id = x.service_id order by 1`),
    state: await rows(
      `select concat_ws('|', scope, cursor::text) as row from sync_state where source = 'backstage' order by 1`,
    ),
  }
}

async function seed(sql: postgres.Sql): Promise<void> {
  // payments came from GitHub (its external id is a node id), search from a roster
  await sql`insert into teams (slug, name, external_id) values ('payments', 'Payments', 'T_payments'), ('search', 'Search', null), ('engineering', 'Engineering', null)`
  await sql`insert into people (login) values ('ada'), ('Ben')`
  await sql`insert into team_memberships (person_id, team_id, valid_from, valid_to)
    select p.id, t.id, m.valid_from::date, m.valid_to::date
    from (values ('ada', 'payments', '2000-01-01', null), ('Ben', 'payments', '2000-01-01', ${MOVE}), ('Ben', 'search', ${MOVE}, null)) as m(login, slug, valid_from, valid_to)
    join people p on p.login = m.login join teams t on t.slug = m.slug`
  // the first 40 repositories the catalog names; one spelled in another case
  const repos = Array.from({ length: 40 }, (_, k) => (k === 1 ? 'Acme/SVC-0010' : `acme/svc-${pad(5 * (k + 1))}`))
  await sql`insert into repositories (provider, external_id, owner, name, full_name)
    select 'github', 'R_' || n, split_part(n, '/', 1), split_part(n, '/', 2), n from unnest(${repos}::text[]) as n`
}

/** An instant as epoch milliseconds (the drizzle-wrapped client hands timestamps back as strings). */
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`
const date = (value: number | string | null | undefined) =>
  value === null || value === undefined ? null : new Date(Number(value))

/** A run's status with its error, so a failing expectation says why. */
const outcome = (result: { status: string; error: string | null }) => ({ status: result.status, error: result.error })

describe(`Backstage collector against a fake Backstage (${engine})`, () => {
  let database: TestDatabase
  let fake: FakeBackstage
  let slept: number[]
  const clock: Clock = { now: () => Date.now(), sleep: async (ms) => void slept.push(ms) }

  beforeAll(async () => {
    database = await freshDatabase('backstage')
  })
  afterAll(async () => database?.close())
  beforeEach(async () => {
    await emptyDatabase(database.connection.sql)
    await seed(database.connection.sql)
    slept = []
    fake = await startFakeBackstage({ entities: catalog(), tasks: tasks() })
  })
  afterEach(async () => fake?.close())

  const run = (options: Partial<BackstageCollectorOptions> = {}) =>
    collectBackstage(database.connection.db, {
      config: { baseUrl: fake.url, kinds: ['Component'] },
      token: fake.token,
      clock,
      timeoutMs: 1_000,
      ...options,
    })
  const sql = () => database.connection.sql
  const count = async (query: string) =>
    Number((await sql().unsafe<{ n: number }[]>(`select count(*)::int as n from ${query}`))[0]?.n)
  const requests = (path: string) => fake.log.filter((entry) => entry.path === path)
  const CATALOG = '/api/catalog/entities/by-query'
  const TASKS = '/api/scaffolder/v2/tasks'
  const state = async (phase: string) => {
    const [row] = await sql().unsafe<{ watermark: number | null; cursor: Record<string, unknown> | null }[]>(
      `select ${ms('watermark')} as watermark, cursor from sync_state where source = 'backstage' and scope = $1`,
      [`${new URL(fake.url).host}:${phase}`],
    )
    return row ? { watermark: date(row.watermark), cursor: row.cursor } : null
  }

  it('maps 1,200 components over 3 cursor pages and 250 tasks over 3 offset pages: owners, docs, templates, repositories, runs', async () => {
    const { run: result, failures } = await run()
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    expect(failures).toEqual([])

    // catalog: the filter on the first page only (the cursor carries it), 500 at a time, only the fields read
    const catalogPages = requests(CATALOG)
    expect(catalogPages.map((page) => page.params.getAll('filter'))).toEqual([['kind=Component'], [], []])
    expect(catalogPages.map((page) => page.params.get('limit'))).toEqual(['500', '500', '500'])
    expect(catalogPages.slice(1).every((page) => page.params.has('cursor'))).toBe(true)
    expect(catalogPages[0]?.params.get('fields')).toContain('metadata.annotations')
    expect(
      requests(TASKS).map(
        (page) => `${page.params.get('offset')}/${page.params.get('limit')}/${page.params.get('order')}`,
      ),
    ).toEqual(['0/100/desc:created_at', '100/100/desc:created_at', '200/100/desc:created_at'])

    expect(await count('services')).toBe(1200)
    // no duplicate of payments or search; platform created from its group ref
    expect(await sql()`select slug, name, external_id from teams order by slug`).toEqual([
      { slug: 'engineering', name: 'Engineering', external_id: null },
      { slug: 'payments', name: 'Payments', external_id: 'T_payments' },
      { slug: 'platform', name: 'platform', external_id: 'group:default/platform' },
      { slug: 'search', name: 'Search', external_id: null },
    ])
    const owners = await sql()<
      { entity_ref: string; slug: string | null }[]
    >`select s.entity_ref, t.slug from services s left join teams t on t.id = s.owner_team_id`
    const tally = (list: (string | null)[]) =>
      Object.fromEntries([...new Set(list)].map((slug) => [slug ?? 'none', list.filter((s) => s === slug).length]))
    // 300 by relation + 299 by spec.owner (all but svc-0007) + 12 via ada = 611; platform 300 - 12 = 288
    expect(tally(owners.map((row) => row.slug))).toEqual({ payments: 611, search: 300, platform: 288, none: 1 })
    expect(owners.every((row) => row.slug === expectedOwner(Number(row.entity_ref.slice(-4))))).toBe(true)

    const [catalogFacts] = await sql()<
      {
        docs: number
        template: number
        manual: number
        node: number
        go: number
        linked: number
        experimental: number
      }[]
    >`
      select count(*) filter (where has_docs)::int as docs, count(*) filter (where origin = 'template')::int as template, count(*) filter (where origin = 'manual')::int as manual,
        count(*) filter (where template_ref = 'template:default/service-node')::int as node, count(*) filter (where template_ref = 'template:default/service-go')::int as go,
        count(repository_id)::int as linked, count(*) filter (where lifecycle = 'experimental')::int as experimental
      from services`
    // docs: 1,200 / 3; templates: 120 + 120; repositories: the 40 known of the 240 named (one in another case)
    expect(catalogFacts).toEqual({
      docs: 400,
      template: 240,
      manual: 960,
      node: 120,
      go: 120,
      linked: 40,
      experimental: 24,
    })
    expect(
      await count(
        `services s join repositories r on r.id = s.repository_id where s.entity_ref = 'component:default/svc-0010' and r.full_name = 'Acme/SVC-0010'`,
      ),
    ).toBe(1)

    // runs: all 250, statuses as they are, finished only when terminal
    expect(await count('scaffolder_runs')).toBe(250)
    const statuses = await sql()<{ status: string; n: number; finished: number }[]>`
      select status::text, count(*)::int as n, count(finished_at)::int as finished from scaffolder_runs group by 1 order by 1`
    expect(statuses).toEqual([
      { status: 'cancelled', n: 25, finished: 25 },
      { status: 'completed', n: 159, finished: 159 },
      { status: 'failed', n: 60, finished: 60 },
      { status: 'open', n: 2, finished: 0 },
      { status: 'processing', n: 3, finished: 0 },
      { status: 'skipped', n: 1, finished: 0 },
    ])
    // each run counts for its author's team on the day it started; zoe is nobody we know
    const byRun = await sql()<{ external_id: string; login: string | null; slug: string | null }[]>`
      select r.external_id, p.login, t.slug from scaffolder_runs r left join people p on p.id = r.person_id left join teams t on t.id = r.team_id`
    const all = fake.tasks
    for (const row of byRun) {
      const task = all.find((t) => t.id === row.external_id) as FakeTask
      expect({ id: row.external_id, slug: row.slug, login: row.login }).toEqual({
        id: task.id,
        slug: expectedTeam(task),
        login: task.createdBy === 'user:default/zoe' ? null : task.createdBy === 'user:default/ada' ? 'ada' : 'Ben',
      })
    }
    expect(new Set(byRun.map((row) => row.slug))).toEqual(new Set(['payments', 'search', null]))

    // the 150 completed runs that created an entity are linked to it (and the retry of svc-0020 too); the runs
    // named after a hand-made service, failed runs and nameless ones are not
    const linked = await sql()<{ external_id: string; entity_ref: string }[]>`
      select r.external_id, s.entity_ref from scaffolder_runs r join services s on s.id = r.service_id order by 1`
    expect(linked).toHaveLength(151)
    expect(
      linked.every((row) => row.external_id.replace(/^task-(created|retry)-/, '') === row.entity_ref.slice(-4)),
    ).toBe(true)
    // a service made from a template: requested when its (earliest) run started, created when it finished
    const dated = await sql().unsafe<{ entity_ref: string; requested_at: number; created_at: number }[]>(
      `select entity_ref, ${ms('requested_at')} as requested_at, ${ms('created_at')} as created_at from services where requested_at is not null order by 1`,
    )
    expect(dated).toHaveLength(150)
    for (const service of dated) {
      const task = all.find((t) => t.id === `task-created-${service.entity_ref.slice(-4)}`) as FakeTask
      expect({
        ref: service.entity_ref,
        requested: date(service.requested_at)?.toISOString(),
        created: date(service.created_at)?.toISOString(),
      }).toEqual({
        ref: service.entity_ref,
        requested: task.createdAt,
        created: task.lastHeartbeatAt,
      })
    }
    // 20 service-node and 70 service-go services have no run we know: created when first seen
    expect(
      await count(
        `services where origin = 'template' and requested_at is null and created_at = ${`'${result.startedAt.toISOString()}'`}`,
      ),
    ).toBe(90)

    // nothing secret and no form answers are kept or logged
    const stored =
      JSON.stringify(await sql()`select * from scaffolder_runs`) +
      JSON.stringify(await sql()`select * from sync_runs`) +
      JSON.stringify(await sql()`select * from sync_state`)
    expect(stored).not.toMatch(/do-not-store|repoUrl|apiKey/)
    expect((await state('catalog'))?.watermark).toEqual(result.startedAt)
    expect((await state('scaffolder'))?.watermark).toEqual(result.startedAt)
  })

  it('a second run changes nothing and reads one page of tasks: it stops a day before the watermark', async () => {
    const first = await run()
    const before = { ...(await collectedFacts(sql())), ...(await backstageFacts(sql())) }
    const createdAt = await sql()`select entity_ref, created_at from services order by 1`
    fake.log.length = 0
    const { run: second } = await run()
    expect(outcome(second)).toEqual({ status: 'success', error: null })
    expect({ created: second.created, updated: second.updated, failed: second.failed }).toEqual({
      created: 0,
      updated: 0,
      failed: 0,
    })
    expect(second.skipped).toBeGreaterThan(1200)
    expect({ ...(await collectedFacts(sql())), ...(await backstageFacts(sql())) }).toEqual(before)
    // created_at never moves: not even "first seen" ones
    expect(await sql()`select entity_ref, created_at from services order by 1`).toEqual(createdAt)
    expect(requests(CATALOG)).toHaveLength(3)
    expect(requests(TASKS)).toHaveLength(1)
    expect((await state('scaffolder'))?.watermark).toEqual(second.startedAt)
    expect(first.run.startedAt < second.startedAt).toBe(true)
  })

  it('upstream changes arrive on the next run: a new owner, a run that finished, a new service and the run that made it', async () => {
    await run()
    const entity = fake.entities.find((e) => e.metadata.name === 'svc-0001') as FakeEntity
    entity.spec.owner = 'group:default/payments'
    entity.relations = [{ type: 'ownedBy', targetRef: 'group:default/payments' }]
    const processing = fake.tasks.find((t) => t.id === 'task-processing-0') as FakeTask
    processing.status = 'failed'
    processing.lastHeartbeatAt = new Date(NOW - HOUR_MS).toISOString()
    fake.entities.push(
      fakeComponent({ name: 'svc-new', owner: 'group:default/search', template: 'template:default/service-node' }),
    )
    fake.tasks.push(
      fakeTask({
        id: 'task-created-new',
        template: 'template:default/service-node',
        user: 'user:default/ada',
        name: 'svc-new',
        status: 'completed',
        createdAt: new Date(NOW - 2 * HOUR_MS),
        durationMs: 60_000,
      }),
    )

    const { run: second } = await run()
    expect(outcome(second)).toEqual({ status: 'success', error: null })
    // svc-0001's owner, the finished run, the new run and the new service, and the new service's dates
    expect({ created: second.created, updated: second.updated }).toEqual({ created: 2, updated: 3 })
    expect(
      await sql()`select t.slug from services s join teams t on t.id = s.owner_team_id where s.entity_ref = 'component:default/svc-0001'`,
    ).toEqual([{ slug: 'payments' }])
    expect(
      await sql().unsafe(
        `select status::text, ${ms('finished_at')} as finished from scaffolder_runs where external_id = 'task-processing-0'`,
      ),
    ).toEqual([{ status: 'failed', finished: NOW - HOUR_MS }])
    expect(
      await sql().unsafe(
        `select ${ms('s.requested_at')} as requested, ${ms('s.created_at')} as created from services s join scaffolder_runs r on r.service_id = s.id where r.external_id = 'task-created-new'`,
      ),
    ).toEqual([{ requested: NOW - 2 * HOUR_MS, created: NOW - 2 * HOUR_MS + 60_000 }])
  })

  it('401 without the token or with a wrong one: the run fails and says to check the token', async () => {
    const { run: anonymous } = await run({ token: null })
    expect(anonymous.status).toBe('failed')
    expect(anonymous.error).toMatch(
      /catalog: GET \/api\/catalog\/entities\/by-query: 401: Missing credentials \(check the token/,
    )
    expect(anonymous.error).toMatch(/scaffolder: GET \/api\/scaffolder\/v2\/tasks: 401/)
    const { run: wrong } = await run({ token: 'not-the-token-at-all' })
    expect(wrong.status).toBe('failed')
    expect(wrong.error).not.toContain('not-the-token-at-all')
    expect(slept).toEqual([])
    expect(await count('services')).toBe(0)
  })

  it('a 500 and a timeout are asked again after 1 s, 2 s, …; a 429 waits its Retry-After (seconds or a date)', async () => {
    fake.faults.push(
      { match: /by-query$/, after: 1, times: 2, answer: { kind: 'status', status: 500 } },
      { match: /tasks$/, answer: { kind: 'hang' } },
      { match: /tasks$/, after: 2, answer: { kind: 'status', status: 429, headers: { 'retry-after': '7' } } },
      {
        match: /tasks$/,
        after: 4,
        answer: {
          kind: 'status',
          status: 429,
          headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() },
        },
      },
    )
    const { run: result } = await run()
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    expect(slept.slice(0, 4)).toEqual([1_000, 2_000, 1_000, 7_000])
    expect(slept[4]).toBeGreaterThan(25_000)
    expect(slept[4]).toBeLessThanOrEqual(30_000)
    expect(await count('services')).toBe(1200)
    expect(await count('scaffolder_runs')).toBe(250)

    // a 500 that does not go away: five retries (1 + 2 + 4 + 8 + 16 s), then the phase fails
    await emptyDatabase(sql())
    await seed(sql())
    slept = []
    fake.faults.length = 0
    fake.faults.push({ match: /tasks$/, times: 100, answer: { kind: 'status', status: 503 } })
    const { run: partial } = await run()
    expect(partial.status).toBe('partial')
    expect(partial.details).toMatchObject({
      failures: [{ item: 'scaffolder', error: 'GET /api/scaffolder/v2/tasks: 503: scripted fault (after 6 attempts)' }],
    })
    expect(slept).toEqual([1_000, 2_000, 4_000, 8_000, 16_000])
  })

  it('malformed JSON fails its phase by name: the run is partial, that phase keeps its watermark, the other moves on', async () => {
    const first = await run()
    fake.faults.push({ match: /tasks$/, answer: { kind: 'malformed' } })
    const { run: partial } = await run()
    expect(partial.status).toBe('partial')
    expect(partial.error).toBe('1 item failed: scaffolder')
    expect(partial.details).toMatchObject({
      failures: [{ item: 'scaffolder', error: 'GET /api/scaffolder/v2/tasks: unreadable answer (not JSON)' }],
    })
    expect(slept).toEqual([])
    expect((await state('scaffolder'))?.watermark).toEqual(first.run.startedAt)
    expect((await state('catalog'))?.watermark).toEqual(partial.startedAt)

    // an entity that is not one (no name) is named and left out; the rest of its page is kept
    const broken = fake.entities.find((e) => e.metadata.name === 'svc-0002') as FakeEntity
    ;(broken.metadata as { name?: string }).name = undefined
    const { run: oneBad } = await run()
    expect(oneBad.status).toBe('partial')
    expect(oneBad.details).toMatchObject({
      failures: [
        {
          item: expect.stringMatching(/^catalog entity #\d+ of its page$/),
          error: expect.stringMatching(/metadata\.name/),
        },
      ],
    })
  })

  it('a catalog failing at page 2 keeps its cursor and watermark; the next run resumes at page 2; an upstream that is down fails the run', async () => {
    fake.faults.push({ match: /by-query$/, after: 1, times: 6, answer: { kind: 'status', status: 502 } })
    const { run: partial } = await run()
    expect(partial.status).toBe('partial')
    expect(partial.error).toBe('1 item failed: catalog')
    expect(await count('services')).toBe(500)
    const stuck = await state('catalog')
    expect(stuck?.watermark).toBeNull()
    expect(stuck?.cursor).toMatchObject({ next: expect.any(String) })
    expect(await count('scaffolder_runs')).toBe(250)

    fake.log.length = 0
    const { run: resumed } = await run()
    expect(outcome(resumed)).toEqual({ status: 'success', error: null })
    expect(requests(CATALOG).map((page) => page.params.get('cursor'))).toEqual([
      stuck?.cursor?.next,
      expect.any(String),
    ])
    expect(await count('services')).toBe(1200)
    expect((await state('catalog'))?.watermark).toEqual(partial.startedAt)

    // a saved cursor the portal no longer understands (400): the pass starts again
    await sql()`update sync_state set cursor = ${JSON.stringify({ passStart: new Date().toISOString(), next: 'not-a-cursor' })}::jsonb where scope like '%:catalog'`
    const progress: string[] = []
    const { run: restarted } = await run({ onProgress: (message) => progress.push(message) })
    expect(outcome(restarted)).toEqual({ status: 'success', error: null })
    expect(progress).toContain('catalog: the saved cursor was refused; starting the pass again')

    const watermarks = {
      catalog: (await state('catalog'))?.watermark,
      scaffolder: (await state('scaffolder'))?.watermark,
    }
    const before = { ...(await collectedFacts(sql())), ...(await backstageFacts(sql())) }
    await fake.close()
    const { run: down } = await run()
    expect(down.status).toBe('failed')
    expect(down.error).toMatch(
      /neither the catalog nor the scaffolder could be read \(catalog: GET \/api\/catalog\/entities\/by-query: no answer .*after 6 attempts/,
    )
    expect({
      catalog: (await state('catalog'))?.watermark,
      scaffolder: (await state('scaffolder'))?.watermark,
    }).toEqual(watermarks)
    expect({ ...(await collectedFacts(sql())), ...(await backstageFacts(sql())) }).toEqual(before)
  })

  it('a run killed after any page resumes there: the database equals a clean run’s', async () => {
    await run()
    const clean = { ...(await collectedFacts(sql())), ...(await backstageFacts(sql())) }
    const pages = 6 // 3 of the catalog, 3 of tasks
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: pages }), async (killAt) => {
        await emptyDatabase(sql())
        await seed(sql())
        let seen = 0
        const killed = await run({
          afterPage: () => {
            if (++seen === killAt) throw new RunAborted('killed by the test')
          },
        })
        expect(killed.run.status).toBe('failed')
        expect(killed.run.error).toMatch(/killed by the test/)
        fake.log.length = 0
        const { run: again } = await run()
        expect(outcome(again)).toEqual({ status: 'success', error: null })
        expect({ ...(await collectedFacts(sql())), ...(await backstageFacts(sql())) }).toEqual(clean)
        // a catalog pass cut short resumes at the next page instead of starting again
        if (killAt < 3) expect(requests(CATALOG)).toHaveLength(3 - killAt)
      }),
      { numRuns: 8, seed: 11 },
    )
  })
})
