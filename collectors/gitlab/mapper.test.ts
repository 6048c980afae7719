import { describe, expect, it } from 'vitest'
import type { GitLabDeployment, GitLabIssue, GitLabMergeRequest, GitLabNote } from './api-types'
import { nextPage, quotaWait, rateLimitWait } from './client'
import {
  deploymentState,
  firstCommitAt,
  incidentPriority,
  isPerson,
  mapDeployment,
  mapGroupTeam,
  mapIncident,
  mapMergeRequest,
  reviewTimes,
} from './mapper'

const user = (username: string, bot = false) => ({ id: username.length, username, bot })
const note = (author: string, at: string, body: string, system = false): GitLabNote => ({
  id: Date.parse(at),
  author: user(author),
  body,
  system,
  created_at: at,
})

const mergeRequest = (overrides: Partial<GitLabMergeRequest> = {}): GitLabMergeRequest => ({
  id: 5001,
  iid: 12,
  project_id: 101,
  title: 'Add a retry',
  state: 'merged',
  created_at: '2026-03-02T10:00:00.000Z',
  updated_at: '2026-03-03T09:00:00.000Z',
  merged_at: '2026-03-03T08:00:00.000Z',
  closed_at: null,
  author: user('ada'),
  draft: false,
  source_branch: 'feature/retry',
  sha: 'h'.repeat(40),
  merge_commit_sha: 'm'.repeat(40),
  squash_commit_sha: null,
  ...overrides,
})

const context = {
  repositoryId: 3,
  commits: [
    { id: 'c2', authored_date: '2026-03-02T09:00:00.000Z' },
    { id: 'c1', authored_date: '2026-03-01T22:00:00.000Z' },
  ],
  notes: [
    note('ada', '2026-03-02T10:05:00.000Z', 'added 1 commit', true),
    note('ada', '2026-03-02T10:10:00.000Z', 'approved this merge request', true),
    note('ada', '2026-03-02T10:20:00.000Z', 'Ready'),
    note('ben', '2026-03-02T13:00:00.000Z', 'One question'),
    note('ben', '2026-03-02T15:30:00.000Z', 'approved this merge request', true),
  ],
  personId: (login: string) => (login === 'ada' ? 1 : null),
  teamId: (login: string | null) => (login === 'ada' ? 7 : 9),
}

describe('GitLab → rows', () => {
  it('a merged merge request: first commit 22:00 (the earliest, whatever the order), opened 10:00, first review 13:00 (ben’s comment; ada’s own notes and self-approval are no review), approved 15:30, merged 08:00', () => {
    expect(mapMergeRequest(mergeRequest(), context)).toEqual({
      provider: 'gitlab',
      externalId: '5001',
      repositoryId: 3,
      number: 12,
      title: 'Add a retry',
      authorLogin: 'ada',
      authorPersonId: 1,
      teamId: 7,
      state: 'merged',
      isDraft: false,
      firstCommitAt: new Date('2026-03-01T22:00:00Z'),
      openedAt: new Date('2026-03-02T10:00:00Z'),
      firstReviewAt: new Date('2026-03-02T13:00:00Z'),
      approvedAt: new Date('2026-03-02T15:30:00Z'),
      mergedAt: new Date('2026-03-03T08:00:00Z'),
      closedAt: null,
      commits: 2,
      headRef: 'feature/retry',
      mergeCommitSha: 'm'.repeat(40),
      headSha: 'h'.repeat(40),
      upstreamUpdatedAt: new Date('2026-03-03T09:00:00Z'),
    })
  })

  it('an approval before any comment is the first review; a squash merge’s commit is its merge commit; a bot’s work counts for the repository’s team', () => {
    const row = mapMergeRequest(
      mergeRequest({ author: user('renovate-bot', true), merge_commit_sha: null, squash_commit_sha: 's'.repeat(40) }),
      { ...context, notes: [note('ben', '2026-03-02T11:00:00.000Z', 'approved this merge request', true)] },
    )
    expect(row).toMatchObject({
      authorLogin: 'renovate-bot',
      authorPersonId: null,
      teamId: 9,
      firstReviewAt: new Date('2026-03-02T11:00:00Z'),
      approvedAt: new Date('2026-03-02T11:00:00Z'),
      mergeCommitSha: 's'.repeat(40),
    })
  })

  it('closed is closed; opened and locked (a merge under way) are open; a draft stays a draft; no notes, no review', () => {
    expect(
      mapMergeRequest(mergeRequest({ state: 'closed', merged_at: null, closed_at: '2026-03-04T00:00:00Z' }), {
        ...context,
        notes: [],
      }),
    ).toMatchObject({
      state: 'closed',
      mergedAt: null,
      closedAt: new Date('2026-03-04T00:00:00Z'),
      firstReviewAt: null,
      approvedAt: null,
    })
    expect(mapMergeRequest(mergeRequest({ state: 'locked', merged_at: null }), context).state).toBe('open')
    expect(mapMergeRequest(mergeRequest({ state: 'opened', merged_at: null, draft: true }), context)).toMatchObject({
      state: 'open',
      isDraft: true,
    })
  })

  it('review times ignore other system notes and bots; first commit falls back to the committed time', () => {
    expect(
      reviewTimes(
        [
          note('ben', '2026-03-02T09:00:00.000Z', 'changed the description', true),
          { ...note('ci-bot', '2026-03-02T09:30:00.000Z', 'Pipeline passed'), author: user('ci-bot', true) },
          note('ben', '2026-03-02T12:00:00.000Z', 'unapproved this merge request', true),
        ],
        'ada',
      ),
    ).toEqual({ firstReviewAt: null, approvedAt: null })
    expect(firstCommitAt([{ id: 'a', authored_date: null, committed_date: '2026-03-01T00:00:00Z' }])).toEqual(
      new Date('2026-03-01T00:00:00Z'),
    )
    expect(firstCommitAt([])).toBeNull()
  })

  it('bots: the bot flag, group and project access-token users, names ending in bot', () => {
    expect(['ada', 'abbot'].map((name) => isPerson(user(name)))).toEqual([true, true])
    expect(
      [user('x', true), user('project_42_bot_1f2e'), user('group_7_bot'), user('renovate-bot')].map(isPerson),
    ).toEqual([false, false, false, false])
    expect(isPerson(null)).toBe(false)
  })

  const deployment = (overrides: Partial<GitLabDeployment> = {}): GitLabDeployment => ({
    id: 41,
    iid: 7,
    ref: 'main',
    sha: 'd'.repeat(40),
    created_at: '2026-03-03T10:00:00.000Z',
    updated_at: '2026-03-03T10:30:00.000Z',
    status: 'success',
    environment: { id: 1, name: 'production', tier: 'production' },
    deployable: { finished_at: '2026-03-03T10:12:00.000Z' },
    ...overrides,
  })
  const deploymentContext = { repositoryId: 3, serviceId: null, teamId: 7, productionEnvironments: ['prod'] }

  it('a successful production deployment: started 10:00, finished 10:12 (its job’s finish, not its last update)', () => {
    expect(mapDeployment(deployment(), deploymentContext)).toEqual({
      source: 'gitlab',
      externalId: '41',
      serviceId: null,
      repositoryId: 3,
      teamId: 7,
      environment: 'production',
      isProduction: true,
      status: 'success',
      startedAt: new Date('2026-03-03T10:00:00Z'),
      finishedAt: new Date('2026-03-03T10:12:00Z'),
      commitSha: 'd'.repeat(40),
      ref: 'main',
      isHotfix: false,
    })
  })

  it('production by tier or by a configured name; staging is not; statuses map; a hotfix ref is a hotfix', () => {
    expect(
      mapDeployment(deployment({ environment: { id: 2, name: 'prod', tier: null } }), deploymentContext).isProduction,
    ).toBe(true)
    expect(
      mapDeployment(deployment({ environment: { id: 3, name: 'staging', tier: 'staging' } }), deploymentContext)
        .isProduction,
    ).toBe(false)
    expect(['success', 'failed', 'canceled', 'skipped', 'running', 'created', 'blocked'].map(deploymentState)).toEqual([
      'success',
      'failure',
      'cancelled',
      'cancelled',
      'in_progress',
      'queued',
      'queued',
    ])
    const running = mapDeployment(deployment({ status: 'running', deployable: null }), deploymentContext)
    expect(running.finishedAt).toBeNull()
    expect(mapDeployment(deployment({ status: 'failed', deployable: null }), deploymentContext).finishedAt).toEqual(
      new Date('2026-03-03T10:30:00Z'),
    )
    expect(mapDeployment(deployment({ ref: 'hotfix/login' }), deploymentContext).isHotfix).toBe(true)
  })

  const issue = (overrides: Partial<GitLabIssue> = {}): GitLabIssue => ({
    id: 30001,
    iid: 4,
    project_id: 101,
    title: 'Checkout is down',
    description: 'Caused by deployment 41.',
    state: 'closed',
    created_at: '2026-03-03T11:00:00.000Z',
    updated_at: '2026-03-03T12:35:00.000Z',
    closed_at: '2026-03-03T12:35:00.000Z',
    labels: ['incident', 'severity::2'],
    severity: 'UNKNOWN',
    web_url: 'https://gitlab.example.com/acme/api/-/issues/4',
    ...overrides,
  })

  it('an incident opened 11:00 and closed 12:35 → resolved, 95 minutes to restore; severity::2 → P2; it names deployment 41', () => {
    expect(mapIncident(issue(), { serviceId: null, teamId: 7 })).toEqual({
      source: 'gitlab',
      externalId: '30001',
      serviceId: null,
      teamId: 7,
      title: 'Checkout is down',
      priority: 'P2',
      urgency: null,
      status: 'resolved',
      openedAt: new Date('2026-03-03T11:00:00Z'),
      acknowledgedAt: null,
      resolvedAt: new Date('2026-03-03T12:35:00Z'),
      deploymentRef: '41',
      url: 'https://gitlab.example.com/acme/api/-/issues/4',
    })
    expect(mapIncident(issue({ state: 'opened', closed_at: null }), { serviceId: null, teamId: 7 })).toMatchObject({
      status: 'triggered',
      resolvedAt: null,
    })
  })

  it('priority: GitLab’s severity first (critical → P1 … low → P4), then labels (P3, SEV1, severity::high), else none', () => {
    expect(incidentPriority({ severity: 'CRITICAL', labels: ['P3'] })).toBe('P1')
    expect(incidentPriority({ severity: 'UNKNOWN', labels: ['P3'] })).toBe('P3')
    expect(incidentPriority({ severity: null, labels: ['SEV1'] })).toBe('P1')
    expect(incidentPriority({ severity: null, labels: ['severity::high'] })).toBe('P2')
    expect(incidentPriority({ severity: null, labels: ['bug', 'incident'] })).toBeNull()
  })

  it('a group is a team: its path with slashes as dashes, its id kept', () => {
    expect(mapGroupTeam({ id: 11, name: 'Mobile', path: 'mobile', full_path: 'Payments/mobile' })).toEqual({
      externalId: 'gitlab:11',
      slug: 'payments-mobile',
      name: 'Mobile',
    })
  })
})

describe('GitLab HTTP rules', () => {
  const now = Date.parse('2026-03-03T10:00:00Z')
  it('next page: X-Next-Page, empty on the last; else the Link header’s rel="next"', () => {
    expect(nextPage(new Headers({ 'x-next-page': '3' }))).toBe(3)
    expect(nextPage(new Headers({ 'x-next-page': '' }))).toBeNull()
    expect(
      nextPage(
        new Headers({
          link: '<https://g/api/v4/x?page=4&per_page=100>; rel="next", <https://g/api/v4/x?page=9>; rel="last"',
        }),
      ),
    ).toBe(4)
    expect(nextPage(new Headers({ link: '<https://g/api/v4/x?page=1>; rel="first"' }))).toBeNull()
  })
  it('a 429 waits Retry-After seconds, else until RateLimit-Reset (epoch seconds), else says nothing', () => {
    expect(rateLimitWait(new Headers({ 'retry-after': '7', 'ratelimit-reset': String(now / 1000 + 60) }), now)).toBe(
      7000,
    )
    expect(rateLimitWait(new Headers({ 'ratelimit-reset': String(now / 1000 + 42) }), now)).toBe(42_000)
    expect(rateLimitWait(new Headers(), now)).toBeNull()
  })
  it('an answer with RateLimit-Remaining 0 makes the next request wait for the reset; any other remaining, none', () => {
    expect(
      quotaWait(new Headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': String(now / 1000 + 30) }), now),
    ).toBe(30_000)
    expect(
      quotaWait(new Headers({ 'ratelimit-remaining': '1', 'ratelimit-reset': String(now / 1000 + 30) }), now),
    ).toBe(0)
    expect(quotaWait(new Headers(), now)).toBe(0)
  })
})
