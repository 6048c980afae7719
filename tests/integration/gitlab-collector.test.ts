// The GitLab collector against a fake GitLab on 127.0.0.1 that answers in GitLab's wire format: an
// organisation of two groups (one with a subgroup), five projects and 550 merge requests, synced; the weekly
// figures checked against a computation from the fake's own data made here, to the second; killed runs that
// resume; re-runs that change nothing; rate limits, a 5xx and a bad token; and the webhook.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { collectGitLab } from '@/collectors/gitlab/collector'
import type { GitLabCollectorOptions, PageDone } from '@/collectors/gitlab/options'
import { receiveGitLabWebhook } from '@/collectors/gitlab/webhook'
import { processGitLabDeliveries } from '@/collectors/gitlab/webhook-events'
import { processGitHubDeliveries } from '@/collectors/github/webhook-events'
import type { GitLabSource } from '@/collectors/config'
import type { Clock } from '@/collectors/http'
import { RunAborted } from '@/collectors/sync-run'
import { collectedFacts, emptyDatabase } from '@/tests/helpers/collected'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'
import {
  fakeGitLabOrganisation,
  startFakeGitLab,
  type FakeGitLab,
  type FakeGitLabData,
  type FakeDeployment,
  type FakeMergeRequest,
} from '@/tests/fakes/gitlab'

const outcome = (result: { status: string; error: string | null }) => ({ status: result.status, error: result.error })

const config = (baseUrl: string): GitLabSource => ({
  baseUrl,
  tokenEnv: 'GITLAB_TOKEN',
  tokenHeader: 'private-token',
  groups: ['payments', 'search'],
  teams: true,
  subgroups: true,
  productionEnvironments: ['prod'],
  incidents: true,
  services: {},
})

// The expected weekly figures, computed here from the fake's data by the definitions in docs/metrics.md ----

/** Monday (UTC) of the week holding `at`, as YYYY-MM-DD. */
function weekOf(at: string): string {
  const day = new Date(at)
  const monday =
    Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()) - ((day.getUTCDay() + 6) % 7) * 86_400_000
  return new Date(monday).toISOString().slice(0, 10)
}
const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000)

type Figures = Record<string, Record<string, number[]>>

function expectedFigures(data: FakeGitLabData): Figures {
  const slug = (fullPath: string) => fullPath.replace(/\//g, '-')
  const projectTeam = new Map(data.projects.map((p) => [p.id, slug(p.namespace)]))
  const personTeam = new Map(
    data.groups.flatMap((g) => g.members.filter((m) => !m.bot).map((m) => [m.username, slug(g.fullPath)] as const)),
  )
  const out: Figures = {}
  const add = (figure: string, team: string, week: string, value: number) => {
    const key = `${team}|${week}`
    ;((out[figure] ??= {})[key] ??= []).push(value)
  }
  const firstCommit = (mr: FakeMergeRequest) => mr.commits.map((c) => c.authoredAt).sort()[0] as string
  const firstReview = (mr: FakeMergeRequest) =>
    mr.notes
      .filter((n) => n.author !== mr.author && (!n.system || n.body === 'approved this merge request'))
      .map((n) => n.createdAt)
      .sort()[0]
  const isProduction = (d: FakeGitLabData['deployments'][number]) => d.tier === 'production' || d.environment === 'prod'
  const shippedBy = new Map<number, string>()
  for (const d of data.deployments) {
    if (d.status !== 'success' || !isProduction(d)) continue
    const team = projectTeam.get(d.projectId) as string
    add('deployments', team, weekOf(d.finishedAt as string), 1)
    for (const id of d.mergeRequestIds) {
      const mr = data.mergeRequests.find((m) => m.id === id) as FakeMergeRequest
      shippedBy.set(id, d.finishedAt as string)
      add('lead', team, weekOf(d.finishedAt as string), seconds(firstCommit(mr), d.finishedAt as string))
    }
  }
  for (const mr of data.mergeRequests) {
    if (!mr.mergedAt) continue
    const team = (mr.authorIsBot ? projectTeam.get(mr.projectId) : personTeam.get(mr.author)) as string
    const week = weekOf(mr.mergedAt)
    const review = firstReview(mr)
    const deployed = shippedBy.get(mr.id)
    add('coding', team, week, Math.max(0, seconds(firstCommit(mr), mr.createdAt)))
    if (review) add('pickup', team, week, Math.max(0, seconds(mr.createdAt, review)))
    if (review) add('review', team, week, Math.max(0, seconds(review, mr.mergedAt)))
    if (deployed) add('deploy', team, week, Math.max(0, seconds(mr.mergedAt, deployed)))
  }
  for (const incident of data.incidents) {
    if (!incident.closedAt) continue
    add(
      'restore',
      projectTeam.get(incident.projectId) as string,
      weekOf(incident.createdAt),
      seconds(incident.createdAt, incident.closedAt),
    )
  }
  for (const figure of Object.values(out)) for (const values of Object.values(figure)) values.sort((a, b) => a - b)
  // deployments are a count per team-week
  for (const [key, values] of Object.entries(out.deployments ?? {}))
    (out.deployments as Record<string, number[]>)[key] = [values.length]
  return out
}

describe(`GitLab collector against a fake GitLab (${engine})`, () => {
  let database: TestDatabase
  let fake: FakeGitLab
  let slept: number[]
  const clock: Clock = { now: () => Date.now(), sleep: async (ms) => void slept.push(ms) }
  const data = fakeGitLabOrganisation()

  beforeAll(async () => {
    database = await freshDatabase('gitlab')
  })
  afterAll(async () => database?.close())
  beforeEach(async () => {
    await emptyDatabase(database.connection.sql)
    slept = []
    fake = await startFakeGitLab(structuredClone(data))
  })
  afterEach(async () => fake?.close())

  const run = (options: Partial<GitLabCollectorOptions> = {}) =>
    collectGitLab(database.connection.db, {
      config: config(fake.url),
      token: fake.token,
      clock,
      timeoutMs: 5_000,
      today: '2026-11-24',
      ...options,
    })
  const count = async (table: string) =>
    Number((await database.connection.sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`))[0]?.n)

  /** The rollups' figures in the shape expectedFigures gives, in whole seconds. */
  async function storedFigures(): Promise<Figures> {
    const rows = await database.connection.sql<
      {
        key: string
        deployments: number
        lead: number[]
        coding: number[]
        pickup: number[]
        review: number[]
        deploy: number[]
        restore: number[]
      }[]
    >`select t.slug || '|' || to_char(w.week_start, 'YYYY-MM-DD') as key, w.deployments, w.lead_time_hours as lead, w.coding_hours as coding,
        w.pickup_hours as pickup, w.review_hours as review, w.deploy_hours as deploy, w.restore_minutes as restore
      from rollups_team_weeks w join teams t on t.id = w.team_id`
    const out: Figures = {}
    const hours = (values: number[]) => values.map((h) => Math.round(h * 3600))
    for (const row of rows) {
      const figures: Record<string, number[]> = {
        deployments: row.deployments ? [row.deployments] : [],
        lead: hours(row.lead),
        coding: hours(row.coding),
        pickup: hours(row.pickup),
        review: hours(row.review),
        deploy: hours(row.deploy),
        restore: row.restore.map((m) => Math.round(m * 60)),
      }
      for (const [figure, values] of Object.entries(figures)) if (values.length) (out[figure] ??= {})[row.key] = values
    }
    return out
  }

  it('syncs the organisation: lead time, flow phases, deployment frequency and time to restore equal a computation from GitLab’s data, to the second', async () => {
    const result = await run()
    expect(outcome(result.run)).toEqual({ status: 'success', error: null })
    expect(data.mergeRequests.length).toBeGreaterThanOrEqual(500)
    expect(await count(`pull_requests where provider = 'gitlab'`)).toBe(data.mergeRequests.length)
    expect(await count(`repositories where provider = 'gitlab'`)).toBe(5)
    expect(await count(`deployments where source = 'gitlab'`)).toBe(data.deployments.length)
    expect(await count(`incidents where source = 'gitlab'`)).toBe(data.incidents.length)
    expect((await database.connection.sql`select slug from teams order by slug`).map((r) => r.slug)).toEqual([
      'payments',
      'payments-mobile',
      'search',
    ])
    // the bot member is nobody's colleague; every person is in exactly one team
    expect(await count(`people where login like '%bot%'`)).toBe(0)
    const expected = expectedFigures(data)
    const stored = await storedFigures()
    const sizes: Record<string, number> = {}
    for (const figure of ['deployments', 'lead', 'coding', 'pickup', 'review', 'deploy', 'restore']) {
      const values = Object.values(expected[figure] ?? {}).flat()
      // values compared; for deployments, the deployments counted
      sizes[figure] = figure === 'deployments' ? values.reduce((a, b) => a + b, 0) : values.length
      expect({ figure, values: stored[figure] }).toEqual({ figure, values: expected[figure] })
    }
    // every figure holds values from several teams and weeks: merged merge requests (about 80%) are most of 550
    expect(sizes.coding).toBeGreaterThan(400)
    expect(Math.min(...Object.values(sizes))).toBeGreaterThan(20)
    expect(Object.keys(expected.lead ?? {}).length).toBeGreaterThan(6)
    console.log(`figures compared: ${JSON.stringify(sizes)}`)
    // rollbacks: a redeploy of an earlier commit ships nothing and is marked
    const rollbacks = data.deployments
      .filter((d) => d.rollback)
      .map((d) => String(d.id))
      .sort()
    expect(rollbacks.length).toBeGreaterThan(0)
    expect(
      (await database.connection.sql`select external_id from deployments where is_rollback order by 1`).map(
        (r) => r.external_id,
      ),
    ).toEqual(rollbacks)
    // head SHAs are kept (a deployment of a head ships its merge request too)
    expect(await count(`pull_requests where head_sha is null`)).toBe(0)
  })

  it('a run killed after any page resumes there: facts and rollups equal a clean run’s', async () => {
    let pages = 0
    expect(outcome((await run({ afterPage: () => void pages++ })).run)).toEqual({ status: 'success', error: null })
    const clean = await collectedFacts(database.connection.sql)
    // kills spread over the run: in merge requests, deployments, incidents and linking of several projects
    const kills = [1, 2, Math.floor(pages / 3), Math.floor(pages / 2), pages - 3, pages - 1]
    for (const killAt of kills) {
      await emptyDatabase(database.connection.sql)
      let seen = 0
      const phases: string[] = []
      const first = await run({
        afterPage: (page: PageDone) => {
          phases.push(`${page.project} ${page.phase}`)
          if (++seen === killAt) throw new RunAborted('killed by the test')
        },
      })
      expect(first.run.status, `killed at page ${killAt} (${phases.at(-1)})`).toBe('failed')
      const second = await run()
      expect(outcome(second.run)).toEqual({ status: 'success', error: null })
      expect(await collectedFacts(database.connection.sql), `killed at page ${killAt} (${phases.at(-1)})`).toEqual(
        clean,
      )
    }
  })

  it('a re-run writes nothing and duplicates nothing; a change is picked up by the next run alone', async () => {
    const first = await run()
    const before = await collectedFacts(database.connection.sql)
    fake.log.length = 0
    const second = await run()
    expect(outcome(second.run)).toEqual({ status: 'success', error: null })
    expect({ created: second.run.created, updated: second.run.updated }).toEqual({ created: 0, updated: 0 })
    expect(await collectedFacts(database.connection.sql)).toEqual(before)
    // incremental: listings ask from the watermark (the last pass's start, less 5 minutes for clocks that differ),
    // and nothing is asked per merge request
    const listings = fake.log.filter((entry) => /\/(merge_requests|deployments|issues)$/.test(entry.path))
    expect(listings.length).toBeGreaterThan(0)
    expect(new Set(listings.map((entry) => entry.query.get('updated_after')))).toEqual(
      new Set([new Date(first.run.startedAt.getTime() - 5 * 60_000).toISOString()]),
    )
    expect(fake.log.filter((entry) => /\/(commits|notes)$/.test(entry.path))).toEqual([])

    const mr = fake.mergeRequests.find((m) => m.state === 'opened') as FakeMergeRequest
    mr.title = 'Renamed after review'
    mr.updatedAt = new Date().toISOString()
    const third = await run()
    expect(outcome(third.run)).toEqual({ status: 'success', error: null })
    expect(third.run.updated).toBe(1)
    expect(await count(`pull_requests where title = 'Renamed after review'`)).toBe(1)
    expect(await count('pull_requests')).toBe(data.mergeRequests.length)
  })

  it('rate limits: RateLimit-Remaining 0 waits for RateLimit-Reset; a 429 waits Retry-After; a 5xx is retried once', async () => {
    fake.remaining = 4
    const reset = fake.resetAt
    fake.faults.push(
      {
        match: /^GET \/api\/v4\/projects\/101\/merge_requests$/,
        answer: { kind: 'status', status: 429, headers: { 'retry-after': '7' }, body: { message: 'Retry later' } },
      },
      {
        match: /^GET \/api\/v4\/projects\/201\/deployments$/,
        answer: { kind: 'status', status: 502, body: { message: '502 Bad Gateway' } },
      },
    )
    const started = Date.now()
    const result = await run()
    expect(outcome(result.run)).toEqual({ status: 'success', error: null })
    // the fourth answer spent the window: the next request waited until its reset (about 60 s from the start)
    const quota = slept[0] as number
    expect(quota).toBeGreaterThan(reset * 1000 - started - 5_000)
    expect(quota).toBeLessThanOrEqual(reset * 1000 - started + 1_000)
    expect(slept).toContain(7_000)
    expect(slept).toContain(1_000)
    expect(await count('pull_requests')).toBe(data.mergeRequests.length)
  })

  it('a bad token: the run fails at once saying the token was refused, and writes nothing', async () => {
    const result = await run({ token: 'glpat-not-the-right-one' })
    expect(result.run.status).toBe('failed')
    expect(result.run.error).toMatch(/GitLab refused the token \(401 Unauthorized\)/)
    expect(result.run.error).not.toContain('glpat-not-the-right-one')
    expect((await count('pull_requests')) + (await count('teams')) + (await count('repositories'))).toBe(0)
    expect(fake.log.map((entry) => entry.status)).toEqual([401])
  })

  it('webhooks: the right token is queued once and applied; a wrong one is refused 401 and changes nothing', async () => {
    // (an OAuth token goes as Authorization: Bearer)
    expect(outcome((await run({ config: { ...config(fake.url), tokenHeader: 'bearer' } })).run)).toEqual({
      status: 'success',
      error: null,
    })
    expect(new Set(fake.log.map((entry) => entry.auth))).toEqual(new Set(['bearer']))
    const secret = 'gitlab-webhook-secret-for-tests'
    const mr = fake.mergeRequests.find((m) => m.state === 'opened' && m.projectId === 101) as FakeMergeRequest
    const body = JSON.stringify({
      object_kind: 'merge_request',
      event_type: 'merge_request',
      user: { id: 1, username: 'ben', name: 'Ben' },
      project: { id: 101, name: 'api', path_with_namespace: 'payments/api', default_branch: 'main' },
      object_attributes: {
        id: mr.id,
        iid: mr.iid,
        title: mr.title,
        state: 'merged',
        action: 'merge',
        created_at: mr.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'),
        updated_at: '2026-11-20 10:00:00 UTC',
        merged_at: '2026-11-20T10:00:00Z',
        merge_commit_sha: 'e'.repeat(40),
        source_branch: mr.sourceBranch,
        last_commit: { id: mr.sha },
      },
    })
    const headers = (token: string, uuid = 'a1b2c3d4-0000-4000-8000-000000000001') =>
      new Headers({ 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-token': token, 'x-gitlab-event-uuid': uuid })
    const db = database.connection.db
    const before = await collectedFacts(database.connection.sql)

    const refused = await receiveGitLabWebhook(db, { headers: headers('wrong-secret'), body, secret })
    expect(refused.status).toBe(401)
    expect(await count('webhook_deliveries')).toBe(0)
    const missing = await receiveGitLabWebhook(db, {
      headers: new Headers({ 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-event-uuid': 'x' }),
      body,
      secret,
    })
    expect(missing.status).toBe(401)
    expect(await count('webhook_deliveries')).toBe(0)
    expect(await collectedFacts(database.connection.sql)).toEqual(before)

    expect((await receiveGitLabWebhook(db, { headers: headers(secret), body, secret })).status).toBe(202)
    expect((await receiveGitLabWebhook(db, { headers: headers(secret), body, secret })).status).toBe(200)
    expect(await count('webhook_deliveries')).toBe(1)
    // GitHub's processor leaves GitLab's deliveries alone
    expect(await processGitHubDeliveries(db, null)).toEqual({ processed: 0, failed: 0 })
    expect(await processGitLabDeliveries(db, config(fake.url))).toEqual({ processed: 1, failed: 0 })
    const [row] = await database.connection.sql<
      { state: string; merged_at: string; author_login: string; merge_commit_sha: string }[]
    >`
      select state::text, to_char(merged_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as merged_at, author_login, merge_commit_sha
      from pull_requests where provider = 'gitlab' and external_id = ${String(mr.id)}`
    // merged by the hook; the author is still the one who opened it, not the one who merged
    expect(row).toEqual({
      state: 'merged',
      merged_at: '2026-11-20 10:00',
      author_login: mr.author,
      merge_commit_sha: 'e'.repeat(40),
    })
    expect(await count('pull_requests')).toBe(data.mergeRequests.length)

    // a deployment hook: stored under its id, production by its tier, its SHA from the commit URL
    const deployment = JSON.stringify({
      object_kind: 'deployment',
      status: 'success',
      status_changed_at: '2026-11-20 12:30:00 +0200',
      deployment_id: 99_001,
      deployable_id: 1,
      environment: 'production',
      environment_tier: 'production',
      project: { id: 101, name: 'api', path_with_namespace: 'payments/api', default_branch: 'main' },
      short_sha: 'eeeeeeee',
      commit_url: `${fake.url}/payments/api/-/commit/${'e'.repeat(40)}`,
      ref: 'main',
    })
    const deploymentHeaders = new Headers({
      'x-gitlab-event': 'Deployment Hook',
      'x-gitlab-token': secret,
      'idempotency-key': 'dep-99001',
    })
    expect((await receiveGitLabWebhook(db, { headers: deploymentHeaders, body: deployment, secret })).status).toBe(202)
    expect(await processGitLabDeliveries(db, config(fake.url))).toEqual({ processed: 1, failed: 0 })
    expect(
      await database.connection
        .sql`select is_production, status::text, commit_sha, to_char(finished_at at time zone 'UTC', 'HH24:MI') as finished
        from deployments where source = 'gitlab' and external_id = '99001'`,
    ).toEqual([{ is_production: true, status: 'success', commit_sha: 'e'.repeat(40), finished: '10:30' }])

    // a late hook of a deployment the sync read exactly (success, its job's finish, its full SHA) changes nothing
    const synced = fake.deployments.find((d) => d.status === 'success' && d.projectId === 101) as FakeDeployment
    const exact = async () =>
      database.connection
        .sql`select status::text, commit_sha, finished_at from deployments where source = 'gitlab' and external_id = ${String(synced.id)}`
    const stored = await exact()
    const late = JSON.parse(deployment) as Record<string, unknown>
    Object.assign(late, {
      deployment_id: synced.id,
      status_changed_at: '2026-11-30 09:00:00 UTC',
      short_sha: synced.sha.slice(0, 8),
      commit_url: undefined,
    })
    const lateHeaders = new Headers({
      'x-gitlab-event': 'Deployment Hook',
      'x-gitlab-token': secret,
      'idempotency-key': 'late',
    })
    expect((await receiveGitLabWebhook(db, { headers: lateHeaders, body: JSON.stringify(late), secret })).status).toBe(
      202,
    )
    expect(await processGitLabDeliveries(db, config(fake.url))).toEqual({ processed: 1, failed: 0 })
    expect(await exact()).toEqual(stored)
  })
})
