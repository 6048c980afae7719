// The GitHub collector against a fake GitHub on 127.0.0.1 that answers in GitHub's wire format: a backfill,
// re-runs that change nothing and cost nothing, every failure GitHub is known for, a rename, killed runs that
// resume where they stopped, and the request count of a 10,000-PR backfill.
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { collectGitHub } from '@/collectors/github/collector'
import { PAGE_SIZE, type GitHubCollectorOptions, type PageDone } from '@/collectors/github/options'
import { GitHubClient, type Clock } from '@/collectors/github/client'
import type { GitHubSource } from '@/collectors/config'
import { RunAborted } from '@/collectors/sync-run'
import { collectedFacts, emptyDatabase } from '@/tests/helpers/collected'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'
import { fakeRepository, startFakeGitHub, type FakeGitHub } from '@/tests/fakes/github'

const TEAMS = [
  { id: 1, nodeId: 'T_payments', slug: 'payments', name: 'Payments', members: ['ada', 'ben'] },
  { id: 2, nodeId: 'T_search', slug: 'search', name: 'Search', members: ['chen'] },
  { id: 3, nodeId: 'T_eng', slug: 'engineering', name: 'Engineering', members: ['ada', 'ben', 'chen'] },
]

/** A run's status with its error, so a failing expectation says why. */
const outcome = (result: { status: string; error: string | null }) => ({ status: result.status, error: result.error })

const config = (overrides: Partial<GitHubSource> = {}): GitHubSource => ({
  baseUrl: 'set-below',
  auth: { tokenEnv: 'GITHUB_TOKEN' },
  organisation: 'acme',
  teams: true,
  repositories: [
    { name: 'acme/payments', team: 'payments', deployments: { from: 'deployments', environment: 'production' } },
    { name: 'acme/search', team: 'search', deployments: { from: 'none' } },
  ],
  ...overrides,
})

describe(`GitHub collector against a fake GitHub (${engine})`, () => {
  let database: TestDatabase
  let fake: FakeGitHub
  let slept: number[]
  const clock: Clock = { now: () => Date.now(), sleep: async (ms) => void slept.push(ms) }

  beforeAll(async () => {
    database = await freshDatabase('github')
  })
  afterAll(async () => database?.close())
  beforeEach(async () => {
    await emptyDatabase(database.connection.sql)
    slept = []
    fake = await startFakeGitHub({
      repositories: [
        fakeRepository({
          id: 1,
          name: 'payments',
          pullRequests: 230,
          deployEvery: 10,
          authors: ['ada', 'ben', 'chen', 'renovate[bot]'],
        }),
        fakeRepository({ id: 2, name: 'search', pullRequests: 40, authors: ['chen'] }),
      ],
      teams: TEAMS,
    })
  })
  afterEach(async () => fake?.close())

  async function run(options: Partial<GitHubCollectorOptions> & { source?: Partial<GitHubSource> } = {}) {
    const client = await GitHubClient.connect({
      baseUrl: fake.url,
      auth: { token: fake.token },
      clock,
      timeoutMs: 1_500,
    }) // not shorter: the embedded database shares this process
    const summary = await collectGitHub(database.connection.db, {
      client,
      config: { ...config(options.source), baseUrl: fake.url },
      today: '2026-11-24',
      ...options,
    })
    return { ...summary, client }
  }
  const count = async (table: string) =>
    Number((await database.connection.sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`))[0]?.n)
  const graphqlPages = () => fake.log.filter((entry) => entry.path === '/graphql')
  const state = async (scope: string) => {
    const [row] = await database.connection.sql<
      { watermark: string | null; cursor: unknown }[]
    >`select watermark::text, cursor from sync_state where source = 'github' and scope = ${scope}`
    return row && { watermark: row.watermark === null ? null : new Date(row.watermark), cursor: row.cursor }
  }

  it('backfills pull requests, deployments and what each shipped, teams and members; attributes work to the team at the time', async () => {
    const { run: result, client } = await run()
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    expect(await count('pull_requests')).toBe(270)
    expect(await count('deployments')).toBe(23)
    // every merged pull request up to the last deployment shipped exactly once, except those before the first
    const shipped = await database.connection.sql<{ prs: number; deployments: number }[]>`
      select count(distinct pull_request_id)::int as prs, count(distinct deployment_id)::int as deployments from deployment_pull_requests`
    expect(shipped[0]).toEqual({ prs: 198, deployments: 22 })
    // ada is in payments and engineering: she counts for the smaller team
    const memberships = await database.connection.sql<{ login: string; slug: string }[]>`
      select p.login, t.slug from team_memberships m join people p on p.id = m.person_id join teams t on t.id = m.team_id where m.valid_to is null order by 1`
    expect(memberships).toEqual([
      { login: 'ada', slug: 'payments' },
      { login: 'ben', slug: 'payments' },
      { login: 'chen', slug: 'search' },
    ])
    // chen's pull requests in the payments repository count for search; the bot's for the repository's team
    const byTeam = await database.connection.sql<{ author: string; slug: string; n: number }[]>`
      select coalesce(p.author_login, '-') as author, t.slug, count(*)::int as n from pull_requests p join teams t on t.id = p.team_id
      where p.repository_id = (select id from repositories where full_name = 'acme/payments') group by 1, 2 order by 1`
    expect(byTeam).toEqual([
      { author: 'ada', slug: 'payments', n: 58 },
      { author: 'ben', slug: 'payments', n: 58 },
      { author: 'chen', slug: 'search', n: 57 },
      { author: 'renovate', slug: 'payments', n: 57 },
    ])
    expect(await count(`people where login like 'renovate%'`)).toBe(0)
    // lead times and deployments reach the rollups
    const [rollup] = await database.connection.sql<{ deployments: number; leads: number }[]>`
      select sum(deployments)::int as deployments, sum(cardinality(lead_time_hours))::int as leads from rollups_team_weeks`
    expect(rollup).toEqual({ deployments: 23, leads: 198 })
    expect((await state('acme/payments'))?.watermark).toEqual(result.startedAt)
    console.log(`backfill: ${client.stats.requests} requests, ${client.stats.pointsSpent} rate-limit points`)
  })

  it('a second run changes nothing and spends no rate limit: every poll answers 304', async () => {
    await run()
    const before = await collectedFacts(database.connection.sql)
    const remaining = fake.remaining
    fake.log.length = 0
    const { run: second, client } = await run()
    expect(outcome(second)).toEqual({ status: 'success', error: null })
    expect({ created: second.created, updated: second.updated }).toEqual({ created: 0, updated: 0 })
    expect(await collectedFacts(database.connection.sql)).toEqual(before)
    expect(client.stats.pointsSpent).toBe(0)
    expect(fake.remaining).toBe(remaining)
    expect(fake.log.every((entry) => entry.status === 304)).toBe(true)
    console.log(
      `unchanged incremental run: ${fake.log.length} requests, all 304; ${client.stats.pointsSpent} rate-limit points`,
    )
  })

  it('an incremental run fetches only what changed since the watermark; a force-push replaces the commit set', async () => {
    await run()
    const pr = fake.repositories[0]?.pullRequests[5]
    if (!pr) throw new Error('no pull request')
    pr.updatedAt = new Date().toISOString()
    pr.title = 'Renamed after review'
    pr.firstCommitAt = '2026-01-05T20:00:00.000Z' // force-pushed: the oldest commit is now newer
    fake.log.length = 0
    const { run: second } = await run()
    expect(outcome(second)).toEqual({ status: 'success', error: null })
    expect(second.updated).toBe(1)
    expect(graphqlPages()).toHaveLength(1)
    const [row] = await database.connection.sql<
      { title: string; first_commit_at: string }[]
    >`select title, to_char(first_commit_at, 'YYYY-MM-DD HH24:MI') as first_commit_at from pull_requests where external_id = ${pr.id}`
    expect(row).toEqual({ title: 'Renamed after review', first_commit_at: '2026-01-05 20:00' })
  })

  it('rate limits by GitHub’s rules: retry-after, then the reset time, then a minute; a 403 without either is a permissions error', async () => {
    const reset = Math.floor(Date.now() / 1000) + 120
    fake.faults.push(
      {
        match: /^GET \/repos\/acme\/payments\/pulls$/,
        answer: {
          kind: 'status',
          status: 403,
          headers: { 'retry-after': '7' },
          body: { message: 'You have exceeded a secondary rate limit.' },
        },
      },
      {
        match: /^POST \/graphql$/,
        after: 1,
        answer: {
          kind: 'status',
          status: 403,
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
          body: { message: 'API rate limit exceeded' },
        },
      },
      {
        match: /^POST \/graphql$/,
        after: 3,
        answer: { kind: 'status', status: 429, headers: {}, body: { message: 'secondary rate limit' } },
      },
    )
    const { run: result } = await run()
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    expect(slept[0]).toBe(7_000)
    expect(slept[1]).toBeGreaterThan(115_000)
    expect(slept[1]).toBeLessThanOrEqual(122_000)
    expect(slept[2]).toBe(60_000)
    expect(await count('pull_requests')).toBe(270)

    // a bare 403 (no rate-limit headers, no rate-limit message): not retried, the repository fails
    await emptyDatabase(database.connection.sql)
    slept = []
    fake.faults.length = 0
    fake.faults.push({
      match: /^GET \/repos\/acme\/search\/pulls$/,
      times: 100,
      answer: { kind: 'status', status: 403, body: { message: 'Resource not accessible by integration' } },
    })
    const { run: denied } = await run()
    expect(denied.status).toBe('partial')
    expect(denied.error).toContain('acme/search')
    expect(slept).toEqual([])
  })

  it('a 502 or a timeout halves the GraphQL page, good pages grow it back; malformed JSON is asked again', async () => {
    fake.repositories[0] = fakeRepository({ id: 1, name: 'payments', pullRequests: 600 })
    fake.faults.push(
      {
        match: /^POST \/graphql$/,
        after: 1,
        answer: { kind: 'status', status: 502, body: { message: 'Server Error' } },
      },
      { match: /^POST \/graphql$/, after: 3, answer: { kind: 'hang' } },
      { match: /^POST \/graphql$/, after: 9, answer: { kind: 'malformed' } },
    )
    const { run: result } = await run()
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    const sizes = graphqlPages()
      .filter((entry) => entry.graphqlRepository === 'acme/payments' && entry.graphqlKind === 'pullRequests')
      .map((entry) => entry.graphqlFirst ?? 0)
    // 50, a 502 at 50 → 25; a timeout at 25 → 12; three good pages of 12 → 24; a malformed answer at 24 → 12
    expect(sizes.slice(0, 11)).toEqual([50, 50, 25, 25, 12, 12, 12, 24, 24, 24, 12])
    expect(sizes.slice(11, 17)).toEqual([12, 12, 24, 24, 24, 48])
    expect(Math.max(...sizes.slice(17))).toBe(PAGE_SIZE)
    expect(await count('pull_requests')).toBe(640)
  })

  it('a malformed REST answer fails only that repository, by name', async () => {
    fake.faults.push({ match: /^GET \/repos\/acme\/search\/pulls$/, answer: { kind: 'malformed' } })
    const { run: result } = await run()
    expect(result.status).toBe('partial')
    expect(result.details).toMatchObject({
      failures: [{ item: 'acme/search', error: expect.stringMatching(/unexpected answer/) }],
    })
    expect(await count('pull_requests')).toBe(230)
  })

  it('deployments from workflow runs and from releases, and issues labelled as incidents linked to the deployment they name', async () => {
    const actions = fakeRepository({ id: 3, name: 'checkout', pullRequests: 30 })
    const merged = actions.pullRequests.filter((pr) => pr.mergeCommit)
    actions.workflowRuns['deploy.yml'] = merged.slice(4, 8).map((pr, i) => ({
      id: 900 + i,
      headSha: pr.mergeCommit as string,
      headBranch: 'main',
      conclusion: i === 2 ? 'failure' : 'success',
      createdAt: new Date(Date.parse(pr.mergedAt as string) + 600_000).toISOString(),
      updatedAt: new Date(Date.parse(pr.mergedAt as string) + 900_000).toISOString(),
      title: i === 3 ? 'Revert "Add cache"' : `Deploy ${pr.number}`,
    }))
    actions.issues = [
      {
        number: 500,
        title: 'Checkout returns 500s',
        body: 'Rolled back. Caused by deployment 903 (the cache change).',
        labels: ['incident', 'SEV1'],
        createdAt: '2026-01-06T12:00:00Z',
        closedAt: '2026-01-06T13:30:00Z',
        updatedAt: '2026-01-06T13:30:00Z',
      },
      {
        number: 501,
        title: 'A feature request',
        body: null,
        labels: ['enhancement'],
        createdAt: '2026-01-06T12:00:00Z',
        closedAt: null,
        updatedAt: '2026-01-06T12:00:00Z',
      },
    ]
    const releases = fakeRepository({ id: 4, name: 'mobile', pullRequests: 20 })
    const shipped = releases.pullRequests.filter((pr) => pr.mergeCommit)
    releases.releases = [5, 12].map((index, i) => ({
      id: 70 + i,
      tag: `v1.${i}.0`,
      sha: shipped[index]?.mergeCommit as string,
      createdAt: shipped[index]?.mergedAt as string,
      publishedAt: new Date(Date.parse(shipped[index]?.mergedAt as string) + 3_600_000).toISOString(),
    }))
    fake.repositories.push(actions, releases)
    const { run: result } = await run({
      source: {
        teams: false,
        incidentLabel: 'incident',
        repositories: [
          {
            name: 'acme/checkout',
            team: 'payments',
            deployments: { from: 'workflow_runs', workflows: ['deploy.yml'], branch: 'main' },
          },
          { name: 'acme/mobile', team: 'search', deployments: { from: 'releases' } },
        ],
      },
    })
    expect(outcome(result)).toEqual({ status: 'success', error: null })
    expect(
      await database.connection
        .sql`select source, status, is_rollback, ref from deployments order by source, started_at`,
    ).toEqual([
      { source: 'github_actions', status: 'success', is_rollback: false, ref: 'main' },
      { source: 'github_actions', status: 'success', is_rollback: false, ref: 'main' },
      { source: 'github_actions', status: 'failure', is_rollback: false, ref: 'main' },
      // "Revert …" in the run's title
      { source: 'github_actions', status: 'success', is_rollback: true, ref: 'main' },
      { source: 'github_releases', status: 'success', is_rollback: false, ref: 'v1.0.0' },
      { source: 'github_releases', status: 'success', is_rollback: false, ref: 'v1.1.0' },
    ])
    // what each shipped: the merges since the deployment before (tags compared for releases)
    const links = await database.connection.sql<{ ref: string; shipped: number }[]>`
      select d.external_id as ref, count(dp.pull_request_id)::int as shipped from deployments d left join deployment_pull_requests dp on dp.deployment_id = d.id
      where d.status = 'success' group by d.source, d.external_id, d.started_at order by d.source, d.started_at`
    // runs: the first has no deployment before it; then 1 merge; then 2 (one a failed run had not shipped); releases: v1.0.0…v1.1.0 holds 7 merges
    expect(links.map((link) => link.shipped)).toEqual([0, 1, 2, 0, 7])
    // the issue labelled incident is an incident of the repository's team, caused by the deployment it names; the other issue is not
    expect(
      await database.connection
        .sql`select i.source, i.priority, i.status, d.external_id as caused_by from incidents i left join deployments d on d.id = i.caused_by_deployment_id`,
    ).toEqual([{ source: 'github_issues', priority: 'P1', status: 'resolved', caused_by: '903' }])
  })

  it('a next-page link to another host is not followed with our token', async () => {
    fake.faults.push({
      match: /^GET \/orgs\/acme\/teams$/,
      answer: {
        kind: 'status',
        status: 200,
        body: [],
        headers: { link: '<https://collector.evil.example/orgs/acme/teams?page=2>; rel="next"' },
      },
    })
    const { run: result } = await run()
    expect(result.status).toBe('partial')
    expect(result.details).toMatchObject({
      failures: [
        { item: 'teams', error: expect.stringMatching(/points away from http:\/\/127\.0\.0\.1:\d+; not followed/) },
      ],
    })
  })

  it('a phase added to the sources file later (the incident label) reads its history from the backfill start, not from the watermark', async () => {
    const repo = fake.repositories[0]
    if (!repo) throw new Error('no repository')
    repo.issues = [
      {
        number: 700,
        title: 'Checkout returns 500s',
        body: null,
        labels: ['incident'],
        createdAt: '2026-01-06T12:00:00Z',
        closedAt: '2026-01-06T13:30:00Z',
        updatedAt: '2026-01-06T13:30:00Z',
      },
    ]
    expect(outcome((await run()).run)).toEqual({ status: 'success', error: null })
    expect(await count('incidents')).toBe(0)
    // months after the issue, the label is configured: the issue is older than the watermark's lookback
    expect(outcome((await run({ source: { incidentLabel: 'incident' } })).run)).toEqual({
      status: 'success',
      error: null,
    })
    expect(await count('incidents')).toBe(1)
  })

  it('a team added to the sources file is read even when GitHub says nothing changed', async () => {
    const withMembers = async () =>
      (
        await database.connection.sql<
          { slug: string }[]
        >`select distinct t.slug from teams t join team_memberships m on m.team_id = t.id order by 1`
      ).map((row) => row.slug)
    await run({ source: { teams: ['payments'] } })
    expect(await withMembers()).toEqual(['payments'])
    await run({ source: { teams: ['payments', 'search'] } })
    expect(await withMembers()).toEqual(['payments', 'search'])
  })

  it('a renamed repository (301) stays one row under its new name', async () => {
    await run()
    const repository = fake.repositories[0]
    if (!repository) throw new Error('no repository')
    repository.formerName = 'payments'
    repository.name = 'payments-api'
    repository.pullRequests[0] = {
      ...(repository.pullRequests[0] as (typeof repository.pullRequests)[0]),
      updatedAt: new Date().toISOString(),
      title: 'After the rename',
    }
    const progress: string[] = []
    const { run: second } = await run({ onProgress: (message) => progress.push(message) })
    expect(outcome(second)).toEqual({ status: 'success', error: null })
    expect(await database.connection.sql`select full_name from repositories order by full_name`).toEqual([
      { full_name: 'acme/payments-api' },
      { full_name: 'acme/search' },
    ])
    expect(fake.log.some((entry) => entry.status === 301)).toBe(true)
    expect(progress.join('\n')).toContain('acme/payments is now acme/payments-api')
    expect(await count(`pull_requests where title = 'After the rename'`)).toBe(1)
  })

  it('a superseded deployment keeps its own finish time; a compare of a commit that is gone fails that deployment once, not the repository for good', async () => {
    fake.faults.push({
      match: /^GET \/repos\/acme\/payments\/compare\//,
      after: 3,
      answer: { kind: 'status', status: 404, body: { message: 'Not Found' } },
    })
    const { run: first } = await run()
    expect(first.status).toBe('partial')
    expect(first.details).toMatchObject({
      failures: [
        {
          item: expect.stringMatching(/^acme\/payments deployment of m1-/),
          error: expect.stringMatching(/404|Not Found/),
        },
      ],
    })
    // every deployment is in, each finished 30 minutes after it was created (its success), not when superseded
    const finishes = await database.connection.sql<{ minutes: number }[]>`
      select distinct (extract(epoch from finished_at - started_at) / 60)::int as minutes from deployments where source = 'github_deployments'`
    expect(finishes).toEqual([{ minutes: 30 }])
    expect(await count('deployments')).toBe(fake.repositories[0]?.deployments.length)
    const compares = () => fake.log.filter((entry) => /\/compare\//.test(entry.path)).length
    const before = compares()
    const { run: second } = await run()
    expect(outcome(second)).toEqual({ status: 'success', error: null })
    expect(compares()).toBe(before)
  })

  it('a failing repository ends the run partial, names it and keeps its watermark; a down upstream ends it failed', async () => {
    await run()
    const watermarks = {
      payments: (await state('acme/payments'))?.watermark,
      search: (await state('acme/search'))?.watermark,
    }
    for (const repo of fake.repositories)
      repo.pullRequests[0] = {
        ...(repo.pullRequests[0] as (typeof repo.pullRequests)[0]),
        updatedAt: new Date().toISOString(),
      }
    fake.faults.push({
      match: /^POST \/graphql$/,
      times: 100,
      after: 1,
      answer: { kind: 'status', status: 500, body: { message: 'boom' } },
    })
    const { run: partial } = await run()
    expect(partial.status).toBe('partial')
    expect(partial.error).toMatch(/1 item failed: acme\/search/)
    expect((await state('acme/search'))?.watermark).toEqual(watermarks.search)
    expect((await state('acme/payments'))?.watermark).toEqual(partial.startedAt)

    await fake.close()
    const before = await collectedFacts(database.connection.sql)
    const { run: down } = await run()
    expect(down.status).toBe('failed')
    expect(down.error).toMatch(/no repository could be synced/)
    expect((await state('acme/search'))?.watermark).toEqual(watermarks.search)
    expect((await state('acme/payments'))?.watermark).toEqual(partial.startedAt)
    expect(await collectedFacts(database.connection.sql)).toEqual(before)
  })

  it('two runs of one organisation at once: the second is refused', async () => {
    const results = await Promise.allSettled([run(), run()])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(String(refused.reason)).toMatch(/already running/)
    expect(await count(`sync_runs where status = 'success'`)).toBe(1)
  })

  it('a run killed at any page resumes there: the database equals a clean run’s, no row twice, no finished page fetched again', async () => {
    await run()
    const clean = await collectedFacts(database.connection.sql)
    const pageCount =
      (await database.connection.sql<{ n: number }[]>`select count(*)::int as n from sync_runs`)[0]?.n ?? 0
    const pages = fake.log.filter((entry) => entry.path === '/graphql').length + 1 // + the link step
    expect(pageCount).toBe(1)
    const graphqlKey = (entry: FakeGitHub['log'][number]) =>
      `${entry.graphqlRepository}|${entry.graphqlKind}|${entry.graphqlAfter}`
    const pageKey = (page: PageDone) =>
      `${page.repository}|${page.phase === 'pulls' ? 'pullRequests' : page.phase}|${page.from}`
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: pages }), fc.boolean(), async (killAt, beforeCommit) => {
        await emptyDatabase(database.connection.sql)
        let seen = 0
        const committed: string[] = []
        const kill = () => {
          if (++seen === killAt) throw new RunAborted('killed by the test')
        }
        const first = await run({
          beforeCommit: beforeCommit ? kill : undefined,
          afterPage: (page) => {
            committed.push(pageKey(page))
            if (!beforeCommit) kill()
          },
        })
        expect(first.run.status).toBe('failed')
        fake.log.length = 0
        const second = await run()
        expect(outcome(second.run)).toEqual({ status: 'success', error: null })
        expect(await collectedFacts(database.connection.sql)).toEqual(clean)
        const fetchedAgain = fake.log
          .filter((entry) => entry.path === '/graphql')
          .map(graphqlKey)
          .filter((key) => committed.includes(key))
        expect(fetchedAgain).toEqual([])
      }),
      { numRuns: 16, seed: 4 },
    )
  })
})

describe(`GitHub backfill cost (${engine})`, () => {
  let database: TestDatabase
  let fake: FakeGitHub
  beforeAll(async () => {
    database = await freshDatabase('github_cost')
    // one pull request an hour for 10,000 hours: begun far enough back that none is opened in the future (refused)
    fake = await startFakeGitHub({
      repositories: [fakeRepository({ id: 9, name: 'monolith', pullRequests: 10_000, start: '2024-01-01T09:00:00Z' })],
    })
  })
  afterAll(async () => {
    await fake?.close()
    await database?.close()
  })

  it('10,000 pull requests take at most 1.2× the minimum number of requests for the page size', async () => {
    const client = await GitHubClient.connect({ baseUrl: fake.url, auth: { token: fake.token } })
    const source: GitHubSource = {
      baseUrl: fake.url,
      auth: { tokenEnv: 'GITHUB_TOKEN' },
      organisation: 'acme',
      teams: false,
      repositories: [{ name: 'acme/monolith', deployments: { from: 'none' } }],
    }
    const { run } = await collectGitHub(database.connection.db, { client, config: source })
    expect(outcome(run)).toEqual({ status: 'success', error: null })
    const [row] = await database.connection.sql<{ n: number }[]>`select count(*)::int as n from pull_requests`
    expect(row?.n).toBe(10_000)
    const minimum = Math.ceil(10_000 / PAGE_SIZE)
    const ratio = client.stats.requests / minimum
    console.log(
      `10,000-PR backfill: ${client.stats.requests} requests for a minimum of ${minimum} at ${PAGE_SIZE} per page = ${ratio.toFixed(3)}×`,
    )
    expect(ratio).toBeLessThanOrEqual(1.2)

    const again = await GitHubClient.connect({ baseUrl: fake.url, auth: { token: fake.token } })
    const second = await collectGitHub(database.connection.db, { client: again, config: source })
    expect(outcome(second.run)).toEqual({ status: 'success', error: null })
    expect(again.stats.pointsSpent).toBe(0)
  })
})
