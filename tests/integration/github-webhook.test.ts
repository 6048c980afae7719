// GitHub webhooks on a real database: signed deliveries are queued once, processed into the same rows the
// poller writes, out-of-order deliveries do not roll rows back, and bad deliveries change nothing.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GitHubSource } from '@/collectors/config'
import { GitHubClient } from '@/collectors/github/client'
import { collectGitHub } from '@/collectors/github/collector'
import { receiveGitHubWebhook } from '@/collectors/github/webhook'
import { processGitHubDeliveries } from '@/collectors/github/webhook-events'
import { getDataVersion } from '@/db/queries/data-version'
import { checkRollups } from '@/db/queries/rollups'
import { collectedFacts } from '@/tests/helpers/collected'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'
import { fakeRepository, startFakeGitHub, type FakeGitHub } from '@/tests/fakes/github'

const SECRET = 'webhook-secret-for-tests'
const config = (url: string): GitHubSource => ({
  baseUrl: url,
  auth: { tokenEnv: 'GITHUB_TOKEN' },
  organisation: 'acme',
  teams: false,
  repositories: [
    { name: 'acme/payments', team: 'payments', deployments: { from: 'deployments', environment: 'production' } },
  ],
})
const repository = {
  id: 1,
  node_id: 'R_1',
  name: 'payments',
  full_name: 'acme/payments',
  owner: { login: 'acme' },
  default_branch: 'main',
  archived: false,
  created_at: '2024-01-01T00:00:00Z',
}

let sequence = 0
function delivery(
  event: string,
  payload: unknown,
  { id = `delivery-${++sequence}`, secret = SECRET }: { id?: string; secret?: string } = {},
) {
  const body = JSON.stringify(payload)
  const headers = new Headers({
    'x-github-event': event,
    'x-github-delivery': id,
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    'content-type': 'application/json',
  })
  return { headers, body, secret: SECRET }
}

describe(`GitHub webhooks (${engine})`, () => {
  let database: TestDatabase
  let fake: FakeGitHub
  beforeAll(async () => {
    database = await freshDatabase('webhooks')
    fake = await startFakeGitHub({
      repositories: [fakeRepository({ id: 1, name: 'payments', pullRequests: 30, deployEvery: 10 })],
    })
    const client = await GitHubClient.connect({ baseUrl: fake.url, auth: { token: fake.token } })
    const { run } = await collectGitHub(database.connection.db, { client, config: config(fake.url) })
    expect({ status: run.status, error: run.error }).toEqual({ status: 'success', error: null })
  })
  afterAll(async () => {
    await fake?.close()
    await database?.close()
  })
  const db = () => database.connection.db
  const sql = () => database.connection.sql
  const pr = (number: number) =>
    fake.repositories[0]?.pullRequests[number - 1] as NonNullable<
      FakeGitHub['repositories'][number]['pullRequests'][number]
    >
  const prPayload = (number: number, changes: Record<string, unknown> = {}) => {
    const p = pr(number)
    return {
      node_id: p.id,
      number,
      title: p.title,
      state: p.state === 'OPEN' ? 'open' : 'closed',
      draft: false,
      user: { login: p.author, type: 'User' },
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      closed_at: p.closedAt,
      merged_at: p.mergedAt,
      merge_commit_sha: p.mergeCommit,
      head: { ref: p.headRefName },
      additions: p.additions,
      deletions: p.deletions,
      changed_files: p.changedFiles,
      commits: p.commits,
      ...changes,
    }
  }

  it('a signed delivery is queued (202); its redelivery is a no-op (200); processing updates the poller’s row', async () => {
    const payload = {
      action: 'edited',
      pull_request: prPayload(3, { title: 'Edited on GitHub', updated_at: '2026-11-20T10:00:00Z' }),
      repository,
    }
    const first = delivery('pull_request', payload, { id: 'redelivered-1' })
    expect((await receiveGitHubWebhook(db(), first)).status).toBe(202)
    expect(await receiveGitHubWebhook(db(), first)).toMatchObject({
      status: 200,
      body: { message: expect.stringMatching(/duplicate/) },
    })
    expect(await processGitHubDeliveries(db(), config(fake.url))).toEqual({ processed: 1, failed: 0 })
    const rows = await sql()`select title, count(*) over () as n from pull_requests where number = 3`
    expect(rows).toEqual([{ title: 'Edited on GitHub', n: '1' }])
    const before = await collectedFacts(sql())
    expect((await receiveGitHubWebhook(db(), first)).status).toBe(200)
    expect(await processGitHubDeliveries(db(), config(fake.url))).toEqual({ processed: 0, failed: 0 })
    expect(await collectedFacts(sql())).toEqual(before)
  })

  it('a late delivery of an older state does not roll the row back', async () => {
    const stale = {
      action: 'edited',
      pull_request: prPayload(3, { title: 'An older title', updated_at: '2026-11-19T10:00:00Z' }),
      repository,
    }
    await receiveGitHubWebhook(db(), delivery('pull_request', stale))
    await processGitHubDeliveries(db(), config(fake.url))
    expect(await sql()`select title from pull_requests where number = 3`).toEqual([{ title: 'Edited on GitHub' }])
  })

  it('a review earlier than the stored first review moves it earlier; the author’s own review does not count', async () => {
    const p = pr(4)
    const earlier = new Date(Date.parse(p.createdAt) + 10 * 60_000).toISOString()
    await receiveGitHubWebhook(
      db(),
      delivery('pull_request_review', {
        action: 'submitted',
        review: {
          state: 'commented',
          submitted_at: new Date(Date.parse(p.createdAt) + 60_000).toISOString(),
          user: { login: p.author },
        },
        pull_request: prPayload(4),
        repository,
      }),
    )
    await receiveGitHubWebhook(
      db(),
      delivery('pull_request_review', {
        action: 'submitted',
        review: { state: 'approved', submitted_at: earlier, user: { login: 'reviewer-2' } },
        pull_request: prPayload(4),
        repository,
      }),
    )
    expect(await processGitHubDeliveries(db(), config(fake.url))).toEqual({ processed: 2, failed: 0 })
    const [row] = await sql()<
      { first: string; approved: string }[]
    >`select first_review_at::text as first, approved_at::text as approved from pull_requests where number = 4`
    expect(new Date(row?.first ?? '').toISOString()).toBe(earlier)
    expect(new Date(row?.approved ?? '').toISOString()).toBe(earlier)
  })

  it('deployment_status events write the deployment the poller then finds as the same row; a late in_progress does not undo success', async () => {
    // a pull request merged upstream after the last poll, then deployed
    const repo = fake.repositories[0] as FakeGitHub['repositories'][number]
    repo.pullRequests.push({
      ...pr(29),
      id: 'PR_1_31',
      number: 31,
      mergeCommit: 'm1-31',
      mergedAt: '2026-01-07T11:00:00Z',
      closedAt: '2026-01-07T11:00:00Z',
      updatedAt: new Date().toISOString(),
    })
    repo.commits.push('m1-31')
    const deployment = {
      node_id: 'DE_777',
      sha: 'm1-31',
      ref: 'main',
      environment: 'production',
      description: null,
      created_at: '2026-01-07T12:00:00Z',
    }
    await receiveGitHubWebhook(
      db(),
      delivery('deployment_status', {
        deployment_status: { state: 'success', created_at: '2026-01-07T12:20:00Z' },
        deployment,
        repository,
      }),
    )
    await receiveGitHubWebhook(
      db(),
      delivery('deployment_status', {
        deployment_status: { state: 'in_progress', created_at: '2026-01-07T12:01:00Z' },
        deployment,
        repository,
      }),
    )
    const processed = await processGitHubDeliveries(db(), config(fake.url))
    expect({
      ...processed,
      errors:
        await sql()`select error from webhook_deliveries where error is not null and delivery_id like 'delivery-%'`,
    }).toEqual({ processed: 2, failed: 0, errors: [] })
    expect(await sql()`select status, finished_at::text from deployments where external_id = 'DE_777'`).toEqual([
      { status: 'success', finished_at: '2026-01-07 12:20:00+00' },
    ])
    // the poller sees the same deployment upstream: still one row, now linked to what it shipped
    repo.deployments.push({
      id: 777,
      sha: deployment.sha,
      ref: 'main',
      environment: 'production',
      createdAt: deployment.created_at,
      statuses: [
        { state: 'in_progress', createdAt: '2026-01-07T12:01:00Z' },
        { state: 'success', createdAt: '2026-01-07T12:20:00Z' },
      ],
    })
    const client = await GitHubClient.connect({ baseUrl: fake.url, auth: { token: fake.token } })
    const { run } = await collectGitHub(database.connection.db, { client, config: config(fake.url) })
    expect(run.status).toBe('success')
    expect(
      await sql()`select count(*)::int as n, bool_and(changes_linked) as linked from deployments where external_id = 'DE_777'`,
    ).toEqual([{ n: 1, linked: true }])
    expect(
      await sql()`select count(*)::int as n from deployment_pull_requests dp join deployments d on d.id = dp.deployment_id where d.external_id = 'DE_777'`,
    ).toEqual([{ n: 1 }])
  })

  it('a wrong signature is refused (401) and stores nothing; an unparseable payload is recorded with its error', async () => {
    const before = await sql()`select count(*)::int as n from webhook_deliveries`
    const forged = delivery(
      'pull_request',
      { pull_request: prPayload(5, { title: 'forged' }), repository },
      { secret: 'not-the-secret' },
    )
    expect((await receiveGitHubWebhook(db(), forged)).status).toBe(401)
    const tampered = delivery('pull_request', { pull_request: prPayload(5), repository })
    expect(
      (await receiveGitHubWebhook(db(), { ...tampered, body: tampered.body.replace('"number":5', '"number":6') }))
        .status,
    ).toBe(401)
    expect(await sql()`select count(*)::int as n from webhook_deliveries`).toEqual(before)
    await receiveGitHubWebhook(
      db(),
      delivery(
        'pull_request',
        { action: 'opened', pull_request: { number: 'not a pull request' }, repository },
        { id: 'broken-1' },
      ),
    )
    expect(await processGitHubDeliveries(db(), config(fake.url))).toEqual({ processed: 0, failed: 1 })
    const [row] = await sql()<{ error: string }[]>`select error from webhook_deliveries where delivery_id = 'broken-1'`
    expect(row?.error).toMatch(/^pull_request payload: pull_request\.node_id: /)
  })

  it('a NUL in a signed payload is stored as U+FFFD and the delivery processed; a merge in year 9999 is refused naming the field', async () => {
    const withNul = delivery(
      'pull_request',
      {
        action: 'edited',
        pull_request: prPayload(6, {
          title: 'Fix \u0000 in parser',
          body: 'stack: \u0000\u0000',
          updated_at: '2026-11-21T10:00:00Z',
        }),
        repository,
      },
      { id: 'nul-1' },
    )
    expect(withNul.body).toContain('\\u0000') // the JSON escape GitHub sends
    expect((await receiveGitHubWebhook(db(), withNul)).status).toBe(202)
    const future = delivery(
      'pull_request',
      {
        action: 'closed',
        pull_request: prPayload(7, {
          merged_at: '9999-03-02T10:00:00Z',
          closed_at: '9999-03-02T10:00:00Z',
          updated_at: '2026-11-21T10:00:00Z',
        }),
        repository,
      },
      { id: 'future-1' },
    )
    expect((await receiveGitHubWebhook(db(), future)).status).toBe(202)
    expect(await processGitHubDeliveries(db(), config(fake.url))).toEqual({ processed: 1, failed: 1 })
    expect(await sql()`select title from pull_requests where number = 6`).toEqual([{ title: 'Fix \uFFFD in parser' }])
    const [row] = await sql()<{ error: string }[]>`select error from webhook_deliveries where delivery_id = 'future-1'`
    expect(row?.error).toMatch(/^mergedAt: 9999-03-02T10:00:00\.000Z is after tomorrow/)
    expect(
      await sql()`select extract(year from merged_at)::int as year from pull_requests where number = 7`,
    ).not.toEqual([{ year: 9999 }])
  })

  it('a processed delivery moves the data version (cached pages see it) even when it queues no week: an open pull request', async () => {
    const before = await getDataVersion(db())
    const opened = {
      action: 'opened',
      pull_request: prPayload(30, {
        node_id: 'PR_open_41',
        number: 41,
        state: 'open',
        merged_at: null,
        closed_at: null,
        merge_commit_sha: null,
        updated_at: '2026-11-22T10:00:00Z',
      }),
      repository,
    }
    expect((await receiveGitHubWebhook(db(), delivery('pull_request', opened))).status).toBe(202)
    const processed = await processGitHubDeliveries(db(), config(fake.url))
    expect({
      ...processed,
      errors:
        await sql()`select error from webhook_deliveries where error is not null and delivery_id not in ('broken-1', 'future-1')`,
    }).toEqual({ processed: 1, failed: 0, errors: [] })
    expect(await sql()`select count(*)::int as n from dirty_weeks`).toEqual([{ n: 0 }])
    expect(await getDataVersion(db())).toBeGreaterThan(before)
  })

  it('40 signed deliveries, 10 at a time, each processed as the route does: 40 processed, the rollups equal a recomputation', async () => {
    // each moves a pull request's merge to another day (and week), several touch the same pull request and the
    // same team-weeks, so concurrent refreshes and row locks meet; the repository now belongs to a team
    await sql()`insert into teams (slug, name) values ('payments', 'Payments')`
    await sql()`update repositories set team_id = (select id from teams where slug = 'payments') where full_name = 'acme/payments'`
    const deliveries = Array.from({ length: 40 }, (_, i) => {
      const number = (i % 16) + 10
      const merged = new Date(Date.parse('2026-09-07T10:00:00Z') + ((i * 5) % 31) * 86_400_000).toISOString()
      const payload = prPayload(number, {
        state: 'closed',
        merged_at: merged,
        closed_at: merged,
        merge_commit_sha: `m-${number}`,
        updated_at: new Date(Date.parse('2026-12-01T00:00:00Z') + i * 1000).toISOString(),
      })
      return delivery(
        'pull_request',
        { action: 'closed', pull_request: payload, repository },
        { id: `concurrent-${i}` },
      )
    })
    const answers: number[] = []
    for (let i = 0; i < deliveries.length; i += 10) {
      await Promise.all(
        deliveries.slice(i, i + 10).map(async (one) => {
          answers.push((await receiveGitHubWebhook(db(), one)).status)
          await processGitHubDeliveries(db(), config(fake.url))
        }),
      )
    }
    expect(answers.filter((status) => status === 202)).toHaveLength(40)
    const [outcome] = await sql()<{ processed: number; failed: number; pending: number }[]>`
      select count(*) filter (where processed_at is not null and error is null)::int as processed, count(*) filter (where error is not null)::int as failed,
        count(*) filter (where processed_at is null)::int as pending
      from webhook_deliveries where delivery_id like 'concurrent-%'`
    expect(outcome).toEqual({ processed: 40, failed: 0, pending: 0 })
    // the last delivery of each pull request wins (newest updated_at), whatever order they were processed in
    const merged = await sql()<
      { number: number; merged_at: string }[]
    >`select number, merged_at::text from pull_requests where number between 10 and 25 order by number`
    expect(merged.map((row) => [row.number, new Date(row.merged_at).toISOString()])).toEqual(
      Array.from({ length: 16 }, (_, k) => {
        const i = 32 + k < 40 ? 32 + k : 16 + k
        return [k + 10, new Date(Date.parse('2026-09-07T10:00:00Z') + ((i * 5) % 31) * 86_400_000).toISOString()]
      }),
    )
    const check = await checkRollups(db())
    expect({ queued: check.queued, differences: check.differences }).toEqual({ queued: 0, differences: [] })
    const [payments] = await sql()<
      { n: number }[]
    >`select sum(merged_pull_requests)::int as n from rollups_team_weeks t join teams on teams.id = t.team_id where slug = 'payments'`
    expect(payments?.n).toBe(16)
    expect(check.teamWeeks).toBeGreaterThan(4)
  })
})
