// Processing queued GitHub deliveries: each event kind applied to the same rows the poller writes (pull
// requests, reviews, deployments), with the late links to incidents and deployments made in the same transaction.
import type { z } from 'zod'
import type { Database, Transaction } from '@/db/client'
import { recordPullRequestReview, upsertDeployments, upsertPullRequests, upsertRepository } from '@/db/queries/delivery'
import { linkLatePullRequests } from '@/db/queries/deployment-links'
import { linkPendingIncidents } from '@/db/queries/incident-links'
import { findAuthor, findRepository, findService, findTeamIdBySlug } from '@/db/queries/organisation'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import { processWebhookDeliveries } from '@/db/queries/webhooks'
import { toIsoDate } from '@/lib/dates'
import { incidentLinkingHours, type GitHubSource, type RepositoryConfig } from '@/collectors/config'
import type { NewDeployment } from '@/db/schema'
import { requirePlausible } from '@/collectors/plausible'
import { messageOf } from '@/collectors/sync-run'
import { mapDeployment, mapRepository, mapWorkflowRun } from './mapper'
import { HANDLED_EVENTS, parse, type pullRequestPayload, type repositoryPayload } from './webhook-payloads'

/**
 * Processes the queued deliveries (in arrival order, each in its own transaction: a bad payload is recorded
 * with its error and the rest go on), then drains the rollup queue their rows filled.
 */
export async function processGitHubDeliveries(
  db: Database,
  config: GitHubSource | null,
): Promise<{ processed: number; failed: number }> {
  const withinHours = incidentLinkingHours() // read once per pass, not once per delivery
  const result = await processWebhookDeliveries(
    db,
    (tx, delivery) => handleDelivery(tx, config, delivery.event, delivery.payload, { withinHours }),
    // GitLab's deliveries share the queue: GitHub's processor claims only GitHub's events
    { describe: messageOf, events: HANDLED_EVENTS },
  )
  if (result.processed + result.failed > 0) await drainDirtyWeeks(db)
  return result
}

/**
 * Applies one delivery in the processing transaction (the facts' triggers queue the weeks it changes). A row
 * with an impossible time (year 9999, before UPSHOT_EARLIEST_DATE) is refused: the delivery's error names it.
 * A deployment links the incidents that named it before it arrived; a merged pull request, the deployment of
 * its merge commit that arrived before it.
 */
export async function handleDelivery(
  tx: Transaction,
  config: GitHubSource | null,
  event: string,
  payload: unknown,
  { withinHours = incidentLinkingHours() }: { withinHours?: number | null } = {},
): Promise<void> {
  if (event === 'pull_request' || event === 'pull_request_review') {
    const data = parse('pull_request', payload)
    const repositoryId = await ensureRepository(tx, config, data.repository)
    const row = requirePlausible(await pullRequestRow(tx, repositoryId.id, repositoryId.teamId, data.pull_request))
    const written = await upsertPullRequests(tx, [row], { newerOnly: true })
    await linkLatePullRequests(tx, { pullRequestIds: [...written.ids.values()] })
    if (event === 'pull_request_review') {
      const { action, review } = parse('pull_request_review', payload)
      if (action === 'submitted' && review.submitted_at && review.user && review.state.toLowerCase() !== 'pending') {
        const at = requirePlausible({ submitted_at: new Date(review.submitted_at) }).submitted_at
        await recordPullRequestReview(tx, {
          externalId: row.externalId,
          reviewer: review.user.login,
          at,
          approved: review.state.toLowerCase() === 'approved',
        })
      }
    }
    return
  }
  if (event === 'deployment_status') {
    const data = parse('deployment_status', payload)
    const repo = repositoryConfig(config, data.repository.full_name)
    if (repo?.deployments.from !== 'deployments') return
    // "inactive": a later deployment superseded this one. Nothing new: it succeeded, and when, is already known
    // (from its success event or the poller); taking this event's time as its finish would be wrong.
    if (data.deployment_status.state === 'inactive') return
    const context = await deploymentContext(tx, config, data.repository, repo)
    const row = mapDeployment(
      {
        nodeId: data.deployment.node_id,
        sha: data.deployment.sha,
        ref: data.deployment.ref,
        environment: data.deployment.environment,
        description: data.deployment.description,
        createdAt: data.deployment.created_at,
        latestState: data.deployment_status.state,
        latestAt: data.deployment_status.created_at,
      },
      { ...context, productionEnvironment: repo.deployments.environment },
    )
    await writeDeployment(tx, row, withinHours)
    return
  }
  if (event === 'workflow_run') {
    const data = parse('workflow_run', payload)
    const repo = repositoryConfig(config, data.repository.full_name)
    if (repo?.deployments.from !== 'workflow_runs' || data.action !== 'completed') return
    const file = data.workflow_run.path?.split('/').pop()
    if (!repo.deployments.workflows.some((workflow) => workflow === file || workflow === data.workflow_run.name)) return
    if (repo.deployments.branch && data.workflow_run.head_branch !== repo.deployments.branch) return
    const context = await deploymentContext(tx, config, data.repository, repo)
    await writeDeployment(
      tx,
      mapWorkflowRun(data.workflow_run, { ...context, productionEnvironment: 'production' }),
      withinHours,
    )
  }
}

async function writeDeployment(tx: Transaction, row: NewDeployment, withinHours: number | null): Promise<void> {
  const written = await upsertDeployments(tx, [requirePlausible(row)])
  await linkPendingIncidents(tx, { deploymentIds: [...written.ids.values()], withinHours })
}

function repositoryConfig(config: GitHubSource | null, fullName: string): RepositoryConfig | undefined {
  return config?.repositories.find((repository) => repository.name.toLowerCase() === fullName.toLowerCase())
}

async function ensureRepository(
  tx: Transaction,
  config: GitHubSource | null,
  repository: z.infer<typeof repositoryPayload>,
): Promise<{ id: number; teamId: number | null }> {
  const known = await findRepository(tx, { externalId: repository.node_id })
  if (known) return known
  const slug = repositoryConfig(config, repository.full_name)?.team
  const teamId = slug ? await findTeamIdBySlug(tx, { slug }) : null
  const { id } = await upsertRepository(tx, mapRepository({ ...repository, created_at: repository.created_at }, teamId))
  return { id, teamId }
}

async function pullRequestRow(
  tx: Transaction,
  repositoryId: number,
  repositoryTeamId: number | null,
  pr: z.infer<typeof pullRequestPayload>,
) {
  const login = pr.user?.login ?? null
  const human = login !== null && pr.user?.type !== 'Bot' && !login.endsWith('[bot]')
  const author = human ? await findAuthor(tx, { login, day: toIsoDate(new Date(pr.created_at)) }) : null
  // first commit, first review and approval are not in the payload: left as stored (the poller fills them)
  return {
    provider: 'github',
    externalId: pr.node_id,
    repositoryId,
    number: pr.number,
    title: pr.title,
    authorLogin: login,
    authorPersonId: author?.personId ?? null,
    teamId: author?.teamId ?? repositoryTeamId,
    state: pr.merged_at ? ('merged' as const) : pr.state === 'closed' ? ('closed' as const) : ('open' as const),
    isDraft: pr.draft,
    openedAt: new Date(pr.created_at),
    mergedAt: pr.merged_at ? new Date(pr.merged_at) : null,
    closedAt: pr.closed_at ? new Date(pr.closed_at) : null,
    ...(pr.additions === undefined
      ? {}
      : {
          additions: pr.additions,
          deletions: pr.deletions ?? 0,
          changedFiles: pr.changed_files ?? 0,
          commits: pr.commits ?? 0,
        }),
    headRef: pr.head.ref,
    mergeCommitSha: pr.merge_commit_sha,
    upstreamUpdatedAt: new Date(pr.updated_at),
  }
}

async function deploymentContext(
  tx: Transaction,
  config: GitHubSource | null,
  repository: z.infer<typeof repositoryPayload>,
  repo: RepositoryConfig,
) {
  const { id, teamId } = await ensureRepository(tx, config, repository)
  const service = repo.service ? await findService(tx, { entityRef: repo.service }) : null
  return { repositoryId: id, serviceId: service?.id ?? null, teamId: service?.ownerTeamId ?? teamId }
}
