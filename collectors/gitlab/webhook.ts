// GitLab webhooks: POST /api/webhooks/gitlab hands the request here. GitLab signs nothing: it sends the
// webhook's secret token as it is in `X-Gitlab-Token`, compared here in constant time (SHA-256 digests of
// both, so the comparison neither fails nor leaks on a length difference). A delivery is stored once per
// `Idempotency-Key` (GitLab 17.4+; the same on every retry of one event), else `X-Gitlab-Event-UUID`, and
// answered 202 at once; the work is done after the answer, by `processGitLabDeliveries`, which updates the
// same rows the poller writes. Merge Request Hook and Deployment Hook events are used; others are acknowledged
// and dropped. The queue is shared with GitHub's: ids and events are prefixed gitlab:.
import { createHash, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { getDb, type Database, type Transaction } from '@/db/client'
import { findStoredDeployment, upsertDeployments, upsertPullRequests, upsertRepository } from '@/db/queries/delivery'
import { linkLatePullRequests } from '@/db/queries/deployment-links'
import { linkPendingIncidents } from '@/db/queries/incident-links'
import { findAuthor, findRepository, findService, findTeamIdBySlug } from '@/db/queries/organisation'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import { enqueueWebhookDelivery, processWebhookDeliveries } from '@/db/queries/webhooks'
import type { NewPullRequest } from '@/db/schema'
import { toIsoDate } from '@/lib/dates'
import { incidentLinkingHours, loadSources, type GitLabSource } from '@/collectors/config'
import { requirePlausible, storableJson } from '@/collectors/plausible'
import { readBody } from '@/collectors/request-body'
import { messageOf } from '@/collectors/sync-run'
import { deploymentState, isPerson, mapDeployment } from './mapper'

/** X-Gitlab-Event → the event stored. */
const HANDLED_EVENTS: Record<string, string> = {
  'Merge Request Hook': 'gitlab:merge_request',
  'Deployment Hook': 'gitlab:deployment',
}
const STORED_EVENTS = Object.values(HANDLED_EVENTS)

/** GitLab's default limit on a webhook's payload is 25 MB. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024

const WRONG_TOKEN: WebhookAnswer = {
  status: 401,
  body: { ok: false, message: 'The X-Gitlab-Token header is not the webhook’s secret token.' },
}

/** Whether `given` (the X-Gitlab-Token header) is the secret token, compared in constant time. */
export function verifyToken(secret: string, given: string | null): boolean {
  if (given === null) return false
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(secret))
}

export interface WebhookAnswer {
  status: number
  body: { ok: boolean; message: string }
}

/**
 * Checks and queues one delivery. The secret is resolved by the caller (never logged or echoed).
 * Returns what to answer: 202 queued, 200 duplicate / ignored, 401 wrong token, 400 bad request.
 */
export async function receiveGitLabWebhook(
  db: Database,
  { headers, body, secret }: { headers: Headers; body: string; secret: string },
): Promise<WebhookAnswer> {
  if (!verifyToken(secret, headers.get('x-gitlab-token'))) return WRONG_TOKEN
  const event = headers.get('x-gitlab-event')
  const uuid = headers.get('idempotency-key') ?? headers.get('x-gitlab-event-uuid')
  if (!event || !uuid)
    return {
      status: 400,
      body: { ok: false, message: 'X-Gitlab-Event and X-Gitlab-Event-UUID (or Idempotency-Key) headers are required.' },
    }
  const stored = HANDLED_EVENTS[event]
  if (!stored) return { status: 200, body: { ok: true, message: `event ${event} is not used` } }
  let payload: unknown
  try {
    payload = JSON.parse(body)
  } catch {
    return { status: 400, body: { ok: false, message: 'The body is not JSON.' } }
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload))
    return { status: 400, body: { ok: false, message: 'The body is not a JSON object.' } }
  const fresh = await enqueueWebhookDelivery(db, {
    deliveryId: `gitlab:${uuid}`,
    event: stored,
    payload: storableJson(payload) as Record<string, unknown>,
  })
  return fresh
    ? { status: 202, body: { ok: true, message: 'queued' } }
    : { status: 200, body: { ok: true, message: 'duplicate delivery: already received' } }
}

// Payloads (only the fields used) ------------------------------------------------------------------------

/**
 * A webhook time: ISO 8601 ("2026-01-05T09:00:00Z"), or the older "2026-01-05 09:00:00 UTC" and
 * "2026-01-05 10:00:00 +0100" that GitLab's hooks still send in places.
 */
export function parseHookDate(value: string): Date | null {
  const iso = Date.parse(value)
  if (!Number.isNaN(iso) && /T/.test(value)) return new Date(iso)
  const match = value.match(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)? (UTC|[+-]\d{2}:?\d{2})$/)
  if (!match) return null
  const zone = match[3] === 'UTC' ? 'Z' : (match[3] as string).replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2')
  const parsed = Date.parse(`${match[1]}T${match[2]}${zone}`)
  return Number.isNaN(parsed) ? null : new Date(parsed)
}

const hookDate = z.string().transform((value, ctx) => {
  const parsed = parseHookDate(value)
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: `not a time: ${value.slice(0, 40)}` })
    return z.NEVER
  }
  return parsed
})
const projectPayload = z.object({
  id: z.number().int(),
  name: z.string(),
  path_with_namespace: z.string(),
  default_branch: z.string().nullable().optional(),
})
const userPayload = z.object({ username: z.string(), bot: z.boolean().optional() })
const schemas = {
  'gitlab:merge_request': z.object({
    user: userPayload.nullable().optional(),
    project: projectPayload,
    object_attributes: z.object({
      id: z.number().int(),
      iid: z.number().int(),
      title: z.string(),
      state: z.string(),
      action: z.string().nullable().optional(),
      created_at: hookDate,
      updated_at: hookDate,
      merged_at: hookDate.nullable().optional(),
      merge_commit_sha: z.string().nullable().optional(),
      source_branch: z.string().nullable().optional(),
      draft: z.boolean().optional(),
      work_in_progress: z.boolean().optional(),
      last_commit: z.object({ id: z.string() }).nullable().optional(),
    }),
  }),
  'gitlab:deployment': z.object({
    status: z.string(),
    status_changed_at: hookDate,
    deployment_id: z.number().int(),
    environment: z.string(),
    environment_tier: z.string().nullable().optional(),
    project: projectPayload,
    ref: z.string().nullable().optional(),
    short_sha: z.string().nullable().optional(),
    /** …/-/commit/<sha>: the only place the hook carries the whole SHA. */
    commit_url: z.string().nullable().optional(),
  }),
}

// Processing -------------------------------------------------------------------------------------------

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

function parse<E extends keyof typeof schemas>(event: E, payload: unknown): z.infer<(typeof schemas)[E]> {
  const result = schemas[event].safeParse(payload)
  if (result.success) return result.data as z.infer<(typeof schemas)[E]>
  const issue = result.error.issues[0]
  throw new Error(`${event.slice('gitlab:'.length)} payload: ${issue?.path.join('.')}: ${issue?.message}`)
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

// The HTTP door ----------------------------------------------------------------------------------------

/**
 * Answers a webhook request (for the route handler): the secret comes from the environment variable the
 * sources file names (default GITLAB_WEBHOOK_SECRET); without one, deliveries are refused (503), never
 * accepted unchecked. `work`, when present, processes the queue and is to run after the answer has been sent.
 */
export async function acceptGitLabWebhook(
  request: Request,
): Promise<{ response: Response; work?: () => Promise<void> }> {
  const json = (answer: WebhookAnswer) =>
    Response.json(answer.body, { status: answer.status, headers: { 'cache-control': 'no-store' } })
  let config: GitLabSource | null
  try {
    config = loadSources().gitlab ?? null
  } catch {
    config = null
  }
  const secretName = config?.webhookSecretEnv ?? 'GITLAB_WEBHOOK_SECRET'
  const secret = process.env[secretName]
  if (!secret)
    return {
      response: json({
        status: 503,
        body: { ok: false, message: `Webhooks are not configured: set ${secretName} to the webhook's secret token.` },
      }),
    }
  // the token does not depend on the body (unlike GitHub's signature): refuse a stranger before reading 25 MB
  if (!verifyToken(secret, request.headers.get('x-gitlab-token'))) return { response: json(WRONG_TOKEN) }
  const bytes = await readBody(request, MAX_BODY_BYTES)
  if (!bytes)
    return {
      response: json({ status: 413, body: { ok: false, message: 'The body is larger than GitLab sends (25 MB).' } }),
    }
  const body = Buffer.from(bytes).toString('utf8')
  const db = getDb()
  const answer = await receiveGitLabWebhook(db, { headers: request.headers, body, secret })
  if (answer.status !== 202) return { response: json(answer) }
  return {
    response: json(answer),
    work: async () => {
      try {
        await processGitLabDeliveries(db, config)
      } catch (error) {
        // the deliveries stay queued; the next delivery or the scheduled collector run processes them
        console.error(`webhooks: processing failed: ${messageOf(error)}`)
      }
    },
  }
}
