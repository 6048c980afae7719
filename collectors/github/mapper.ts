// GitHub's shapes → Upshot's rows. Pure: the collector looks up ids and passes them in.
import type { DeploymentStatus } from '@/lib/domain'
import type { NewDeployment, NewIncident, NewPullRequest, NewRepository } from '@/db/schema'
import { causedBy } from '@/collectors/incident-text'
import type {
  DeploymentNode,
  GitHubIssue,
  GitHubRelease,
  GitHubRepository,
  GitHubWorkflowRun,
  PullRequestNode,
} from './api-types'

const date = (value: string | null | undefined) => (value ? new Date(value) : null)

export function mapRepository(repo: GitHubRepository, teamId: number | null): NewRepository {
  return {
    provider: 'github',
    // the node id survives renames and transfers: the repository stays one row
    externalId: repo.node_id,
    owner: repo.owner.login,
    name: repo.name,
    fullName: repo.full_name,
    teamId,
    defaultBranch: repo.default_branch,
    archived: repo.archived,
    upstreamCreatedAt: new Date(repo.created_at),
  }
}

export interface PullRequestContext {
  repositoryId: number
  /** The person with this login, if known. */
  personId: (login: string) => number | null
  /** The team of the person with this login at that moment, else the repository's team. */
  teamId: (login: string | null, at: Date) => number | null
}

/**
 * A pull request. Its first commit is the oldest commit it now contains (after a force-push, of the new
 * set); its first review is the first review submitted by someone other than its author; its approval the
 * first approving review.
 */
export function mapPullRequest(node: PullRequestNode, context: PullRequestContext): NewPullRequest {
  const author = node.author?.login ?? null
  const human = author !== null && isPerson(node.author)
  const openedAt = new Date(node.createdAt)
  const reviews = node.reviews.nodes
    .filter((review) => review.submittedAt && review.state !== 'PENDING' && review.author?.login !== author)
    .map((review) => ({ state: review.state, at: new Date(review.submittedAt as string) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime())
  const firstCommit = node.commits.nodes[0]?.commit
  return {
    provider: 'github',
    externalId: node.id,
    repositoryId: context.repositoryId,
    number: node.number,
    title: node.title,
    authorLogin: author,
    authorPersonId: human ? context.personId(author) : null,
    teamId: context.teamId(human ? author : null, openedAt),
    state: node.state === 'MERGED' ? 'merged' : node.state === 'CLOSED' ? 'closed' : 'open',
    isDraft: node.isDraft,
    firstCommitAt: firstCommit ? new Date(firstCommit.authoredDate) : null,
    openedAt,
    firstReviewAt: reviews[0]?.at ?? null,
    approvedAt: reviews.find((review) => review.state === 'APPROVED')?.at ?? null,
    mergedAt: date(node.mergedAt),
    closedAt: date(node.closedAt),
    additions: node.additions,
    deletions: node.deletions,
    changedFiles: node.changedFiles,
    commits: node.commits.totalCount,
    headRef: node.headRefName,
    mergeCommitSha: node.mergeCommit?.oid ?? null,
    upstreamUpdatedAt: new Date(node.updatedAt),
  }
}

export interface DeploymentContext {
  repositoryId: number
  serviceId: number | null
  teamId: number | null
  /** The environment that is production for this repository. */
  productionEnvironment: string
}

/**
 * GitHub deployment states (GraphQL's upper case or REST's lower case) → Upshot's: error is a failure;
 * inactive means superseded by a later deployment, so it had succeeded (but it finished when it succeeded,
 * not when it was superseded: see `finishedAt`).
 */
export function deploymentState(state: string | null | undefined): DeploymentStatus {
  switch (state?.toLowerCase()) {
    case 'success':
    case 'inactive':
      return 'success'
    case 'failure':
    case 'error':
      return 'failure'
    case 'abandoned':
    case 'destroyed':
      return 'cancelled'
    case 'in_progress':
      return 'in_progress'
    default:
      return 'queued'
  }
}

const HOTFIX = /(^|[/_-])hotfix([/_-]|$)/i
const ROLLBACK = /\b(revert|rollback|roll back)\b/i

/** A deployment as both the GraphQL API and webhooks describe it. */
export interface DeploymentFacts {
  /** GitHub's node id (stable; webhooks carry it too). */
  nodeId: string
  sha: string
  ref: string | null
  environment: string
  description: string | null
  createdAt: string
  latestState: string | null
  latestAt: string | null
  /** When it first reached success, failure or error, if known: an inactive deployment finished then. */
  finishedAt?: string | null
}

const TERMINAL = new Set(['success', 'failure', 'error'])

export function mapDeployment(deployment: DeploymentFacts, context: DeploymentContext): NewDeployment {
  const status = deploymentState(deployment.latestState)
  return {
    source: 'github_deployments',
    externalId: deployment.nodeId,
    serviceId: context.serviceId,
    repositoryId: context.repositoryId,
    teamId: context.teamId,
    environment: deployment.environment,
    isProduction: deployment.environment === context.productionEnvironment,
    status,
    startedAt: new Date(deployment.createdAt),
    finishedAt:
      status === 'success' || status === 'failure'
        ? date(
            deployment.finishedAt ??
              (TERMINAL.has(deployment.latestState?.toLowerCase() ?? '') ? deployment.latestAt : null),
          )
        : null,
    commitSha: deployment.sha,
    ref: deployment.ref,
    isRollback: ROLLBACK.test(deployment.description ?? ''),
    isHotfix: HOTFIX.test(deployment.ref ?? ''),
  }
}

export function deploymentFacts(node: DeploymentNode): DeploymentFacts {
  return {
    nodeId: node.id,
    sha: node.commitOid,
    ref: node.ref?.name ?? null,
    environment: node.environment ?? '',
    description: node.description,
    createdAt: node.createdAt,
    latestState: node.latestStatus?.state ?? null,
    latestAt: node.latestStatus?.createdAt ?? null,
    // the first terminal status, whatever order the connection lists them in
    finishedAt:
      (node.statuses?.nodes ?? [])
        .filter((status) => TERMINAL.has(status.state.toLowerCase()))
        .map((status) => status.createdAt)
        .sort()[0] ?? null,
  }
}

/** A completed run of a deployment workflow. */
export function mapWorkflowRun(run: GitHubWorkflowRun, context: DeploymentContext): NewDeployment {
  const status: DeploymentStatus =
    run.conclusion === 'success'
      ? 'success'
      : run.conclusion === 'cancelled' || run.conclusion === 'skipped'
        ? 'cancelled'
        : run.conclusion
          ? 'failure'
          : run.status === 'queued'
            ? 'queued'
            : 'in_progress'
  return {
    source: 'github_actions',
    externalId: String(run.id),
    serviceId: context.serviceId,
    repositoryId: context.repositoryId,
    teamId: context.teamId,
    environment: context.productionEnvironment,
    isProduction: true,
    status,
    startedAt: new Date(run.run_started_at ?? run.created_at),
    finishedAt: run.conclusion ? new Date(run.updated_at) : null,
    commitSha: run.head_sha,
    ref: run.head_branch,
    isRollback: ROLLBACK.test(run.display_title ?? ''),
    isHotfix: HOTFIX.test(run.head_branch ?? ''),
  }
}

/** A published release is a production deployment at its publication. */
export function mapRelease(release: GitHubRelease, context: DeploymentContext): NewDeployment {
  const published = date(release.published_at)
  return {
    source: 'github_releases',
    externalId: String(release.id),
    serviceId: context.serviceId,
    repositoryId: context.repositoryId,
    teamId: context.teamId,
    environment: context.productionEnvironment,
    isProduction: !release.prerelease,
    status: release.draft ? 'queued' : 'success',
    startedAt: new Date(release.created_at),
    finishedAt: published,
    commitSha: null,
    // compared tag to tag to find what it shipped
    ref: release.tag_name,
    isRollback: false,
    isHotfix: HOTFIX.test(release.tag_name),
  }
}

/** Bots (Dependabot, Renovate) author pull requests but are nobody's colleague. */
export function isPerson(author: { login: string; __typename?: string } | null): boolean {
  if (!author) return false
  if (author.__typename && author.__typename !== 'User') return false
  return !author.login.endsWith('[bot]')
}

export interface IncidentContext {
  serviceId: number | null
  teamId: number | null
}

const PRIORITY = /^(?:p|sev|severity[ :-]?)([1-5])$/i

/**
 * An issue labelled as an incident (for teams without an incident tool): open → triggered, closed →
 * resolved; a P1–P5 or SEV1–5 label is its priority; "caused by <sha>" in its text names the deployment.
 */
export function mapIssueIncident(issue: GitHubIssue, context: IncidentContext): NewIncident {
  const labels = issue.labels.map((label) => (typeof label === 'string' ? label : label.name))
  const priority = labels.map((label) => label.match(PRIORITY)?.[1]).find(Boolean)
  return {
    source: 'github_issues',
    externalId: issue.node_id,
    serviceId: context.serviceId,
    teamId: context.teamId,
    title: issue.title,
    priority: priority ? (`P${priority}` as NewIncident['priority']) : null,
    urgency: null,
    status: issue.state === 'closed' ? 'resolved' : 'triggered',
    openedAt: new Date(issue.created_at),
    acknowledgedAt: null,
    resolvedAt: date(issue.closed_at),
    deploymentRef: causedBy([issue.title, issue.body]),
    url: issue.html_url,
  }
}
