// GitHub webhooks: POST /api/webhooks/github hands the request here. A delivery is accepted only with a
// valid X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the shared secret, compared in constant time),
// stored once per X-GitHub-Delivery (a redelivery is a no-op) and answered 202 at once; the work is done
// after the answer, by `processGitHubDeliveries`, which updates the same rows the poller writes.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { getDb, type Database, type Transaction } from '@/db/client'
import { recordPullRequestReview, upsertDeployments, upsertPullRequests, upsertRepository } from '@/db/queries/delivery'
import { linkLatePullRequests } from '@/db/queries/deployment-links'
import { linkPendingIncidents } from '@/db/queries/incident-links'
import { findAuthor, findRepository, findService, findTeamIdBySlug } from '@/db/queries/organisation'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import { enqueueWebhookDelivery, processWebhookDeliveries } from '@/db/queries/webhooks'
import { toIsoDate } from '@/lib/dates'
import { incidentLinkingHours, loadSources, type GitHubSource, type RepositoryConfig } from '@/collectors/config'
import type { NewDeployment } from '@/db/schema'
import { requirePlausible, storableJson } from '@/collectors/plausible'
import { readBody } from '@/collectors/request-body'
import { messageOf } from '@/collectors/sync-run'
import { workflowRunSchema } from './api-types'
import { mapDeployment, mapRepository, mapWorkflowRun } from './mapper'

/** The events that change what Upshot measures; others are acknowledged and dropped. */
const HANDLED_EVENTS = ['pull_request', 'pull_request_review', 'deployment_status', 'workflow_run'] as const

/** GitHub caps payloads at 25 MB. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024

/** Whether `signature` (the X-Hub-Signature-256 header) is the HMAC-SHA256 of `body` under `secret`. */
export function verifySignature(secret: string, body: string | Buffer, signature: string | null): boolean {
  if (!signature?.startsWith('sha256=')) return false
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`)
  const given = Buffer.from(signature)
  // timingSafeEqual needs equal lengths; comparing lengths first reveals only the (public) format
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export interface WebhookAnswer {
  status: number
  body: { ok: boolean; message: string }
}

/**
 * Checks and queues one delivery. The secret is resolved by the caller (never logged or echoed).
 * Returns what to answer: 202 queued, 200 duplicate / ignored / ping, 401 bad signature, 400 bad request.
 */
export async function receiveGitHubWebhook(
  db: Database,
  { headers, body, secret }: { headers: Headers; body: string; secret: string },
): Promise<WebhookAnswer> {
  if (!verifySignature(secret, body, headers.get('x-hub-signature-256'))) {
    return {
      status: 401,
      body: {
        ok: false,
        message: 'The X-Hub-Signature-256 header does not match the body signed with the webhook secret.',
      },
    }
  }
  const deliveryId = headers.get('x-github-delivery')
  const event = headers.get('x-github-event')
  if (!deliveryId || !event)
    return { status: 400, body: { ok: false, message: 'X-GitHub-Delivery and X-GitHub-Event headers are required.' } }
  if (event === 'ping') return { status: 200, body: { ok: true, message: 'pong' } }
  if (!(HANDLED_EVENTS as readonly string[]).includes(event))
    return { status: 200, body: { ok: true, message: `event ${event} is not used` } }
  let payload: unknown
  try {
    payload = JSON.parse(body)
  } catch {
    return { status: 400, body: { ok: false, message: 'The body is not JSON.' } }
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload))
    return { status: 400, body: { ok: false, message: 'The body is not a JSON object.' } }
  // A genuine delivery may quote a NUL in a commit message or a pull request's body, which Postgres cannot store
  // (in jsonb or text). No field Upshot reads holds one: the delivery is kept with such characters replaced.
  const fresh = await enqueueWebhookDelivery(db, {
    deliveryId,
    event,
    payload: storableJson(payload) as Record<string, unknown>,
  })
  return fresh
    ? { status: 202, body: { ok: true, message: 'queued' } }
    : { status: 200, body: { ok: true, message: 'duplicate delivery: already received' } }
}

// Payloads (only the fields used) ------------------------------------------------------------------------

const timestamp = z.string().datetime({ offset: true })
const repositoryPayload = z.object({
  id: z.number(),
  node_id: z.string(),
  name: z.string(),
  full_name: z.string(),
  owner: z.object({ login: z.string() }),
  default_branch: z.string().default('main'),
  archived: z.boolean().default(false),
  // most events send an ISO time; push events send epoch seconds
  created_at: z.union([timestamp, z.number().transform((seconds) => new Date(seconds * 1000).toISOString())]),
})
const pullRequestPayload = z.object({
  node_id: z.string(),
  number: z.number(),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  draft: z.boolean().default(false),
  user: z.object({ login: z.string(), type: z.string().optional() }).nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  closed_at: timestamp.nullable(),
  merged_at: timestamp.nullable(),
  merge_commit_sha: z.string().nullable(),
  head: z.object({ ref: z.string() }),
  additions: z.number().optional(),
  deletions: z.number().optional(),
  changed_files: z.number().optional(),
  commits: z.number().optional(),
})
const schemas = {
  pull_request: z.object({ pull_request: pullRequestPayload, repository: repositoryPayload }),
  pull_request_review: z.object({
    action: z.string(),
    review: z.object({
      state: z.string(),
      submitted_at: timestamp.nullable(),
      user: z.object({ login: z.string() }).nullable(),
    }),
    pull_request: pullRequestPayload,
    repository: repositoryPayload,
  }),
  deployment_status: z.object({
    deployment_status: z.object({ state: z.string(), created_at: timestamp }),
    deployment: z.object({
      node_id: z.string(),
      sha: z.string(),
      ref: z.string().nullable(),
      environment: z.string(),
      description: z.string().nullable(),
      created_at: timestamp,
    }),
    repository: repositoryPayload,
  }),
  workflow_run: z.object({
    action: z.string(),
    // the REST run as the poller reads it, plus the workflow file's path (which names the workflow)
    workflow_run: workflowRunSchema.extend({ path: z.string().optional() }),
    repository: repositoryPayload,
  }),
}

// Processing -------------------------------------------------------------------------------------------

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

/** A payload checked against its event's schema; the error names the first field that is wrong. */
function parse<E extends keyof typeof schemas>(event: E, payload: unknown): z.infer<(typeof schemas)[E]> {
  const result = schemas[event].safeParse(payload)
  if (result.success) return result.data as z.infer<(typeof schemas)[E]>
  const issue = result.error.issues[0]
  throw new Error(`${event} payload: ${issue?.path.join('.')}: ${issue?.message}`)
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

// The HTTP door ----------------------------------------------------------------------------------------

/**
 * Answers a webhook request (for the route handler): the secret comes from the environment variable the
 * sources file names; without one, deliveries are refused (503), never accepted unsigned. `work`, when
 * present, processes the queue and is to run after the answer has been sent.
 */
export async function acceptGitHubWebhook(
  request: Request,
): Promise<{ response: Response; work?: () => Promise<void> }> {
  const json = (answer: WebhookAnswer) =>
    Response.json(answer.body, { status: answer.status, headers: { 'cache-control': 'no-store' } })
  let config: GitHubSource | null
  try {
    config = loadSources().github ?? null
  } catch {
    config = null
  }
  const secretName = config?.webhookSecretEnv ?? 'GITHUB_WEBHOOK_SECRET'
  const secret = process.env[secretName]
  if (!secret)
    return {
      response: json({
        status: 503,
        body: { ok: false, message: `Webhooks are not configured: set ${secretName} to the webhook's secret.` },
      }),
    }
  const bytes = await readBody(request, MAX_BODY_BYTES)
  if (!bytes)
    return {
      response: json({ status: 413, body: { ok: false, message: 'The body is larger than GitHub sends (25 MB).' } }),
    }
  const body = Buffer.from(bytes).toString('utf8')
  const db = getDb()
  const answer = await receiveGitHubWebhook(db, { headers: request.headers, body, secret })
  if (answer.status !== 202) return { response: json(answer) }
  return {
    response: json(answer),
    work: async () => {
      try {
        await processGitHubDeliveries(db, config)
      } catch (error) {
        // the deliveries stay queued; the next delivery or the scheduled collector run processes them
        console.error(`webhooks: processing failed: ${messageOf(error)}`)
      }
    },
  }
}
