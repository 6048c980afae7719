// GitLab's shapes → Upshot's rows. Pure: the collector looks up ids and passes them in.
import type { DeploymentStatus, IncidentPriority } from '@/lib/domain'
import type { NewDeployment, NewIncident, NewPullRequest, NewRepository } from '@/db/schema'
import { causedBy } from '@/collectors/incident-text'
import type {
  GitLabCommit,
  GitLabDeployment,
  GitLabGroup,
  GitLabIssue,
  GitLabMergeRequest,
  GitLabNote,
  GitLabProject,
} from './api-types'

const date = (value: string | null | undefined) => (value ? new Date(value) : null)

/** A group (or subgroup) is a team: its id is stable across renames and moves, its full path names it. */
export function mapGroupTeam(group: GitLabGroup): { externalId: string; slug: string; name: string } {
  return { externalId: `gitlab:${group.id}`, slug: group.full_path.toLowerCase().replace(/\//g, '-'), name: group.name }
}

export function mapProject(project: GitLabProject, teamId: number | null): NewRepository {
  return {
    provider: 'gitlab',
    // the project id survives renames and transfers: the repository stays one row
    externalId: String(project.id),
    owner: project.namespace.full_path,
    name: project.path,
    fullName: project.path_with_namespace,
    teamId,
    defaultBranch: project.default_branch ?? 'main',
    archived: project.archived ?? false,
    upstreamCreatedAt: new Date(project.created_at),
  }
}

/** Bots (project and group access tokens, Renovate, GitLab's own) author merge requests but are nobody's colleague. */
export function isPerson(user: { username: string; bot?: boolean } | null): boolean {
  if (!user) return false
  if (user.bot) return false
  return !/(^|[-_])bot$|\[bot\]$|^project_\d+_bot|^group_\d+_bot/i.test(user.username)
}

/** GitLab's system note when someone approves (docs.gitlab.com, "Merge request approvals": the activity shows it). */
const APPROVED = /^approved this merge request\b/i

/**
 * What a merge request's notes say about its review: the first review is the first note by someone other than
 * the author, a comment (a non-system note) or an approval; the approval is the first "approved this merge
 * request" system note by someone other than the author. GitLab's approvals endpoint names who approved but not
 * when, so the time comes from the notes. Pure.
 */
export function reviewTimes(
  notes: GitLabNote[],
  author: string | null,
): { firstReviewAt: Date | null; approvedAt: Date | null } {
  let firstReviewAt: Date | null = null
  let approvedAt: Date | null = null
  for (const note of notes) {
    if (note.author.username === author || !isPerson(note.author)) continue
    const at = new Date(note.created_at)
    const approval = note.system && APPROVED.test(note.body.trim())
    if (!note.system || approval) if (firstReviewAt === null || at < firstReviewAt) firstReviewAt = at
    if (approval && (approvedAt === null || at < approvedAt)) approvedAt = at
  }
  return { firstReviewAt, approvedAt }
}

/** The earliest commit of a merge request (its authored time; else its committed time). Pure. */
export function firstCommitAt(commits: GitLabCommit[]): Date | null {
  let first: Date | null = null
  for (const commit of commits) {
    const at = date(commit.authored_date ?? commit.committed_date ?? commit.created_at)
    if (at && (first === null || at < first)) first = at
  }
  return first
}

export interface MergeRequestContext {
  repositoryId: number
  commits: GitLabCommit[]
  notes: GitLabNote[]
  /** The person with this username, if known. */
  personId: (username: string) => number | null
  /** The team of the person with this username at that moment, else the repository's team. */
  teamId: (username: string | null, at: Date) => number | null
}

export function mapMergeRequest(mr: GitLabMergeRequest, context: MergeRequestContext): NewPullRequest {
  const author = mr.author?.username ?? null
  const human = author !== null && isPerson(mr.author)
  const openedAt = new Date(mr.created_at)
  const { firstReviewAt, approvedAt } = reviewTimes(context.notes, author)
  return {
    provider: 'gitlab',
    // the global id (the iid is per project): unique across the instance
    externalId: String(mr.id),
    repositoryId: context.repositoryId,
    number: mr.iid,
    title: mr.title,
    authorLogin: author,
    authorPersonId: human ? context.personId(author) : null,
    teamId: context.teamId(human ? author : null, openedAt),
    // locked: GitLab's state while a merge is under way, not a closure
    state: mr.state === 'merged' ? 'merged' : mr.state === 'closed' ? 'closed' : 'open',
    isDraft: mr.draft ?? mr.work_in_progress ?? false,
    firstCommitAt: firstCommitAt(context.commits),
    openedAt,
    firstReviewAt,
    approvedAt,
    mergedAt: mr.state === 'merged' ? date(mr.merged_at) : null,
    closedAt: date(mr.closed_at),
    commits: context.commits.length,
    headRef: mr.source_branch ?? null,
    // a squash merge's commit on the target branch is the squash commit; a fast-forward merge has neither
    mergeCommitSha: mr.merge_commit_sha ?? mr.squash_commit_sha ?? null,
    headSha: mr.sha ?? null,
    upstreamUpdatedAt: new Date(mr.updated_at),
  }
}

export interface DeploymentContext {
  repositoryId: number
  serviceId: number | null
  teamId: number | null
  /** Environment names that are production besides those of tier production. */
  productionEnvironments: string[]
}

/** GitLab deployment statuses → Upshot's. */
export function deploymentState(status: string): DeploymentStatus {
  switch (status) {
    case 'success':
      return 'success'
    case 'failed':
      return 'failure'
    case 'canceled':
    case 'skipped':
      return 'cancelled'
    case 'running':
      return 'in_progress'
    default:
      // created, blocked (waiting for an approval or a manual job)
      return 'queued'
  }
}

const HOTFIX = /(^|[/_-])hotfix([/_-]|$)/i

/** An environment is production when GitLab's tier says so or its name is one the sources file names. */
export function isProductionEnvironment(
  environment: { name: string; tier?: string | null },
  productionEnvironments: string[],
): boolean {
  return environment.tier === 'production' || productionEnvironments.includes(environment.name)
}

/**
 * A deployment. It finished when its job did (else at its last update, which a finished deployment no longer
 * has). Rollbacks are decided when what it shipped is worked out (a redeploy of an earlier commit): the
 * column is left as stored.
 */
export function mapDeployment(deployment: GitLabDeployment, context: DeploymentContext): NewDeployment {
  const status = deploymentState(deployment.status)
  return {
    source: 'gitlab',
    externalId: String(deployment.id),
    serviceId: context.serviceId,
    repositoryId: context.repositoryId,
    teamId: context.teamId,
    environment: deployment.environment.name,
    isProduction: isProductionEnvironment(deployment.environment, context.productionEnvironments),
    status,
    startedAt: new Date(deployment.created_at),
    finishedAt:
      status === 'success' || status === 'failure'
        ? new Date(deployment.deployable?.finished_at ?? deployment.updated_at)
        : null,
    commitSha: deployment.sha,
    ref: deployment.ref ?? null,
    isHotfix: HOTFIX.test(deployment.ref ?? ''),
  }
}

const SEVERITY: Record<string, IncidentPriority> = { critical: 'P1', high: 'P2', medium: 'P3', low: 'P4' }
/** "P1", "SEV1", "severity::1", "severity::critical", "S2" */
const PRIORITY_LABEL = /^(?:p|s|sev|severity)\s*(?:::|[:: -])?\s*([1-5]|critical|high|medium|low)$/i

/** An incident's priority: GitLab's own severity when set (unknown is none), else a severity label. Pure. */
export function incidentPriority(issue: Pick<GitLabIssue, 'severity' | 'labels'>): IncidentPriority | null {
  const severity = issue.severity?.toLowerCase()
  if (severity && SEVERITY[severity]) return SEVERITY[severity] ?? null
  for (const label of issue.labels) {
    const value = label.trim().match(PRIORITY_LABEL)?.[1]?.toLowerCase()
    if (!value) continue
    return /^[1-5]$/.test(value) ? (`P${value}` as IncidentPriority) : (SEVERITY[value] ?? null)
  }
  return null
}

export interface IncidentContext {
  serviceId: number | null
  teamId: number | null
}

/** An issue of type incident: opened → triggered, closed → resolved; "caused by <sha>" in its text names the deployment. */
export function mapIncident(issue: GitLabIssue, context: IncidentContext): NewIncident {
  const closed = issue.state === 'closed'
  return {
    source: 'gitlab',
    externalId: String(issue.id),
    serviceId: context.serviceId,
    teamId: context.teamId,
    title: issue.title,
    priority: incidentPriority(issue),
    urgency: null,
    status: closed ? 'resolved' : 'triggered',
    openedAt: new Date(issue.created_at),
    acknowledgedAt: null,
    resolvedAt: closed ? date(issue.closed_at) : null,
    deploymentRef: causedBy([issue.title, issue.description]),
    url: issue.web_url ?? null,
  }
}
