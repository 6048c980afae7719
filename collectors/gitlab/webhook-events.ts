// Processing queued GitLab deliveries: merge requests and deployments applied to the same rows the poller
// writes, with the late links to incidents and deployments made in the same transaction.
import type { z } from 'zod'
import type { Database, Transaction } from '@/db/client'
import { findStoredDeployment, upsertDeployments, upsertPullRequests, upsertRepository } from '@/db/queries/delivery'
import { linkLatePullRequests } from '@/db/queries/deployment-links'
import { linkPendingIncidents } from '@/db/queries/incident-links'
import { findAuthor, findRepository, findService, findTeamIdBySlug } from '@/db/queries/organisation'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import { processWebhookDeliveries } from '@/db/queries/webhooks'
import type { NewPullRequest } from '@/db/schema'
import { toIsoDate } from '@/lib/dates'
import { incidentLinkingHours, type GitLabSource } from '@/collectors/config'
import { requirePlausible } from '@/collectors/plausible'
import { messageOf } from '@/collectors/sync-run'
import { deploymentState, isPerson, mapDeployment } from './mapper'
import { parse, STORED_EVENTS, type projectPayload } from './webhook-payloads'

/**
 * Processes the queued GitLab deliveries (in arrival order, each in its own transaction: a bad payload is
 * recorded with its error and the rest go on), then drains the rollup queue their rows filled.
 */
export async function processGitLabDeliveries(
  db: Database,
  config: GitLabSource | null,
): Promise<{ processed: number; failed: number }> {
  const withinHours = incidentLinkingHours()
  const result = await processWebhookDeliveries(
    db,
    (tx, delivery) => handleDelivery(tx, config, delivery.event, delivery.payload, { withinHours }),
    { describe: messageOf, events: STORED_EVENTS },
  )
  if (result.processed + result.failed > 0) await drainDirtyWeeks(db)
  return result
}

/**
 * Applies one delivery in the processing transaction. A merge request's opening names its author (later events
 * name who acted, so they leave the stored author alone); first commit, first review and approval are not in
 * the payload and are left as stored (the poller fills them). A deployment keeps the start the poller stored;
 * what it shipped is worked out by the poller's next pass.
 */
export async function handleDelivery(
  tx: Transaction,
  config: GitLabSource | null,
  event: string,
  payload: unknown,
  { withinHours = incidentLinkingHours() }: { withinHours?: number | null } = {},
): Promise<void> {
  if (event === 'gitlab:merge_request') {
    const { user, project, object_attributes: mr } = parse('gitlab:merge_request', payload)
    const repository = await ensureRepository(tx, project)
    const opening = mr.action === 'open' && user && isPerson(user)
    const author = opening ? await findAuthor(tx, { login: user.username, day: toIsoDate(mr.created_at) }) : null
    const merged = mr.state === 'merged'
    const mergedAt = merged ? (mr.merged_at ?? (mr.action === 'merge' ? mr.updated_at : undefined)) : null
    const row: NewPullRequest = {
      provider: 'gitlab',
      externalId: String(mr.id),
      repositoryId: repository.id,
      number: mr.iid,
      title: mr.title,
      ...(opening && user
        ? {
            authorLogin: user.username,
            authorPersonId: author?.personId ?? null,
            teamId: author?.teamId ?? repository.teamId,
          }
        : {}),
      // locked: GitLab's state while a merge is under way, not a closure
      state: merged ? 'merged' : mr.state === 'closed' ? 'closed' : 'open',
      isDraft: mr.draft ?? mr.work_in_progress ?? false,
      openedAt: mr.created_at,
      mergedAt,
      closedAt: mr.state === 'closed' ? mr.updated_at : null,
      headRef: mr.source_branch ?? null,
      mergeCommitSha: mr.merge_commit_sha ?? null,
      headSha: mr.last_commit?.id ?? null,
      upstreamUpdatedAt: mr.updated_at,
    }
    const written = await upsertPullRequests(tx, [requirePlausible(row)], { newerOnly: true })
    await linkLatePullRequests(tx, { pullRequestIds: [...written.ids.values()] })
    return
  }
  if (event === 'gitlab:deployment') {
    const data = parse('gitlab:deployment', payload)
    const repository = await ensureRepository(tx, data.project)
    const sha = data.commit_url?.match(/\/commit\/([0-9a-f]{7,64})\/?$/)?.[1] ?? data.short_sha ?? ''
    const changedAt = data.status_changed_at.toISOString()
    const stored = await findStoredDeployment(tx, { source: 'gitlab', externalId: String(data.deployment_id) })
    // a late or repeated hook of a deployment already stored in that state brings nothing new; its times and commit
    // would be the hook's approximations of what the poller read exactly (and will not read again)
    if (stored && stored.status === deploymentState(data.status)) return
    const startedAt = stored?.startedAt
    const serviceRef = config?.services[data.project.path_with_namespace]
    const service = serviceRef ? await findService(tx, { entityRef: serviceRef }) : null
    const row = mapDeployment(
      {
        id: data.deployment_id,
        iid: 0,
        ref: data.ref ?? null,
        sha,
        created_at: startedAt?.toISOString() ?? changedAt,
        updated_at: changedAt,
        status: data.status,
        environment: { id: 0, name: data.environment, tier: data.environment_tier ?? null },
        deployable: { finished_at: changedAt },
      },
      {
        repositoryId: repository.id,
        serviceId: service?.id ?? null,
        teamId: service?.ownerTeamId ?? repository.teamId,
        productionEnvironments: config?.productionEnvironments ?? ['production'],
      },
    )
    const written = await upsertDeployments(tx, [requirePlausible(row)])
    await linkPendingIncidents(tx, { deploymentIds: [...written.ids.values()], withinHours })
  }
}

/** The project's repository row; a project first seen in a webhook is stored under its namespace's team. */
async function ensureRepository(
  tx: Transaction,
  project: z.infer<typeof projectPayload>,
): Promise<{ id: number; teamId: number | null }> {
  const known = await findRepository(tx, { externalId: String(project.id), provider: 'gitlab' })
  if (known) return known
  const path = project.path_with_namespace
  const namespace = path.slice(0, path.lastIndexOf('/'))
  let teamId: number | null = null
  for (let at = namespace; at && teamId === null; at = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : '')
    teamId = await findTeamIdBySlug(tx, { slug: at.toLowerCase().replace(/\//g, '-') })
  const { id } = await upsertRepository(tx, {
    provider: 'gitlab',
    externalId: String(project.id),
    owner: namespace,
    name: path.slice(path.lastIndexOf('/') + 1),
    fullName: path,
    teamId,
    defaultBranch: project.default_branch ?? 'main',
  })
  return { id, teamId }
}
