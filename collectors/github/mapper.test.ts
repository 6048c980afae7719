import { describe, expect, it } from 'vitest'
import type { PullRequestNode } from './api-types'
import {
  deploymentFacts,
  deploymentState,
  mapDeployment,
  mapIssueIncident,
  mapPullRequest,
  mapWorkflowRun,
} from './mapper'

const node = (overrides: Partial<PullRequestNode> = {}): PullRequestNode => ({
  id: 'PR_kwDOA1',
  number: 7,
  title: 'Retry on 502',
  state: 'MERGED',
  isDraft: false,
  createdAt: '2026-03-02T10:00:00Z',
  updatedAt: '2026-03-03T12:05:00Z',
  mergedAt: '2026-03-03T12:00:00Z',
  closedAt: '2026-03-03T12:00:00Z',
  additions: 40,
  deletions: 5,
  changedFiles: 3,
  headRefName: 'retry-502',
  author: { login: 'ada' },
  mergeCommit: { oid: 'abc123' },
  commits: {
    totalCount: 3,
    nodes: [{ commit: { authoredDate: '2026-03-02T08:00:00Z', committedDate: '2026-03-02T08:05:00Z' } }],
  },
  reviews: {
    nodes: [
      { state: 'COMMENTED', submittedAt: '2026-03-02T09:00:00Z', author: { login: 'ada' } }, // the author's own comment
      { state: 'CHANGES_REQUESTED', submittedAt: '2026-03-02T15:00:00Z', author: { login: 'ben' } },
      { state: 'APPROVED', submittedAt: '2026-03-03T11:00:00Z', author: { login: 'ben' } },
    ],
  },
  ...overrides,
})
const context = {
  repositoryId: 4,
  personId: (login: string) => (login === 'ada' ? 11 : null),
  teamId: (login: string | null) => (login === 'ada' ? 2 : 9),
}

describe('GitHub → rows', () => {
  it('a pull request: first commit 08:00, opened 10:00, first review by someone else 15:00 (not the author’s 09:00), approved next day 11:00', () => {
    expect(mapPullRequest(node(), context)).toMatchObject({
      externalId: 'PR_kwDOA1',
      repositoryId: 4,
      state: 'merged',
      authorPersonId: 11,
      teamId: 2,
      firstCommitAt: new Date('2026-03-02T08:00:00Z'),
      openedAt: new Date('2026-03-02T10:00:00Z'),
      firstReviewAt: new Date('2026-03-02T15:00:00Z'),
      approvedAt: new Date('2026-03-03T11:00:00Z'),
      mergedAt: new Date('2026-03-03T12:00:00Z'),
      commits: 3,
      mergeCommitSha: 'abc123',
    })
  })

  it('after a force-push, the first commit is the oldest of the new set', () => {
    const pushed = node({
      commits: {
        totalCount: 1,
        nodes: [{ commit: { authoredDate: '2026-03-03T09:30:00Z', committedDate: '2026-03-03T09:30:00Z' } }],
      },
    })
    expect(mapPullRequest(pushed, context)).toMatchObject({
      firstCommitAt: new Date('2026-03-03T09:30:00Z'),
      commits: 1,
    })
  })

  it('an open pull request without reviews, and a deleted author', () => {
    const open = mapPullRequest(
      node({ state: 'OPEN', mergedAt: null, closedAt: null, author: null, reviews: { nodes: [] }, mergeCommit: null }),
      context,
    )
    expect(open).toMatchObject({
      state: 'open',
      authorLogin: null,
      authorPersonId: null,
      teamId: 9,
      firstReviewAt: null,
      approvedAt: null,
      mergedAt: null,
    })
  })

  it('deployment states: error → failure, inactive (superseded) → success, pending → queued, in either case', () => {
    expect(
      ['SUCCESS', 'inactive', 'FAILURE', 'error', 'IN_PROGRESS', 'pending', 'QUEUED', 'ABANDONED', null].map(
        deploymentState,
      ),
    ).toEqual(['success', 'success', 'failure', 'failure', 'in_progress', 'queued', 'queued', 'cancelled', 'queued'])
  })

  it('a deployment to production finishes at its latest terminal status; one from a hotfix branch is a hotfix; "Revert" in its description is a rollback', () => {
    const node = {
      id: 'DE_1',
      commitOid: 'abc',
      ref: { name: 'hotfix/payment-timeout' },
      environment: 'production',
      description: 'Revert "Add cache"',
      createdAt: '2026-03-02T10:00:00Z',
      updatedAt: '2026-03-02T10:08:00Z',
      latestStatus: { state: 'SUCCESS', createdAt: '2026-03-02T10:08:00Z' },
    }
    const context = { repositoryId: 4, serviceId: 3, teamId: 2, productionEnvironment: 'production' }
    expect(mapDeployment(deploymentFacts(node), context)).toMatchObject({
      source: 'github_deployments',
      externalId: 'DE_1',
      isProduction: true,
      status: 'success',
      finishedAt: new Date('2026-03-02T10:08:00Z'),
      isHotfix: true,
      isRollback: true,
      ref: 'hotfix/payment-timeout',
    })
    const staging = deploymentFacts({
      ...node,
      environment: 'staging',
      ref: null,
      description: null,
      latestStatus: { state: 'IN_PROGRESS', createdAt: '2026-03-02T10:01:00Z' },
    })
    expect(mapDeployment(staging, context)).toMatchObject({
      isProduction: false,
      status: 'in_progress',
      finishedAt: null,
      isHotfix: false,
      isRollback: false,
    })
  })

  it('a superseded (inactive) deployment finished when it succeeded, not when the next one replaced it', () => {
    const node = {
      id: 'DE_2',
      commitOid: 'def',
      ref: null,
      environment: 'production',
      description: null,
      createdAt: '2026-03-02T10:00:00Z',
      updatedAt: '2026-03-03T09:00:00Z',
      latestStatus: { state: 'INACTIVE', createdAt: '2026-03-03T09:00:00Z' },
    }
    const statuses = {
      nodes: [
        { state: 'INACTIVE', createdAt: '2026-03-03T09:00:00Z' },
        { state: 'SUCCESS', createdAt: '2026-03-02T10:07:00Z' },
        { state: 'IN_PROGRESS', createdAt: '2026-03-02T10:01:00Z' },
      ],
    }
    const context = { repositoryId: 4, serviceId: 3, teamId: 2, productionEnvironment: 'production' }
    expect(mapDeployment(deploymentFacts({ ...node, statuses }), context)).toMatchObject({
      status: 'success',
      finishedAt: new Date('2026-03-02T10:07:00Z'),
    })
    // without its statuses the finish is unknown: never the time it was superseded
    expect(mapDeployment(deploymentFacts(node), context)).toMatchObject({ status: 'success', finishedAt: null })
  })

  it('an issue labelled as an incident: priority from a SEV label, resolved when closed, the deployment named in its text', () => {
    const issue = {
      id: 1,
      node_id: 'I_1',
      number: 12,
      title: 'Checkout 500s',
      state: 'closed' as const,
      body: 'Caused by deployment 1a2b3c4d of payments',
      labels: [{ name: 'incident' }, { name: 'SEV2' }],
      created_at: '2026-03-02T10:00:00Z',
      closed_at: '2026-03-02T11:30:00Z',
      updated_at: '2026-03-02T11:30:00Z',
      html_url: 'https://github.com/acme/payments/issues/12',
    }
    expect(mapIssueIncident(issue, { serviceId: 3, teamId: 2 })).toMatchObject({
      source: 'github_issues',
      externalId: 'I_1',
      priority: 'P2',
      status: 'resolved',
      resolvedAt: new Date('2026-03-02T11:30:00Z'),
      deploymentRef: '1a2b3c4d',
    })
    expect(
      mapIssueIncident(
        { ...issue, state: 'open', closed_at: null, body: null, labels: ['incident'] },
        { serviceId: null, teamId: null },
      ),
    ).toMatchObject({ priority: null, status: 'triggered', resolvedAt: null, deploymentRef: null })
  })

  it('bots author pull requests but belong to no team', () => {
    const bot = mapPullRequest(node({ author: { login: 'dependabot', __typename: 'Bot' } }), context)
    expect(bot).toMatchObject({ authorLogin: 'dependabot', authorPersonId: null, teamId: 9 })
  })

  it('a workflow run: success, or cancelled, or a failure; a "Revert …" run is a rollback', () => {
    const run = {
      id: 9,
      head_sha: 'def',
      head_branch: 'main',
      display_title: 'Revert "Add cache"',
      status: 'completed',
      conclusion: 'success',
      run_started_at: '2026-03-02T10:00:00Z',
      created_at: '2026-03-02T10:00:00Z',
      updated_at: '2026-03-02T10:06:00Z',
    }
    const ctx = { repositoryId: 4, serviceId: 3, teamId: 2, productionEnvironment: 'production' }
    expect(mapWorkflowRun(run, ctx)).toMatchObject({
      source: 'github_actions',
      externalId: '9',
      status: 'success',
      isRollback: true,
      finishedAt: new Date('2026-03-02T10:06:00Z'),
    })
    expect(mapWorkflowRun({ ...run, conclusion: 'cancelled' }, ctx).status).toBe('cancelled')
    expect(mapWorkflowRun({ ...run, conclusion: 'timed_out' }, ctx).status).toBe('failure')
  })
})
