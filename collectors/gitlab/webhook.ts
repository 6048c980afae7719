// GitLab webhooks: POST /api/webhooks/gitlab hands the request here. GitLab signs nothing: it sends the
// webhook's secret token as it is in `X-Gitlab-Token`, compared here in constant time (SHA-256 digests of
// both, so the comparison neither fails nor leaks on a length difference). A delivery is stored once per
// `Idempotency-Key` (GitLab 17.4+; the same on every retry of one event), else `X-Gitlab-Event-UUID`, and
// answered 202 at once; the work is done after the answer, by `processGitLabDeliveries` (webhook-events.ts),
// which updates the same rows the poller writes. Merge Request Hook and Deployment Hook events are used; others
// are acknowledged and dropped. The queue is shared with GitHub's: ids and events are prefixed gitlab:.
import { createHash, timingSafeEqual } from 'node:crypto'
import { getDb, type Database } from '@/db/client'
import { enqueueWebhookDelivery } from '@/db/queries/webhooks'
import { loadSources, type GitLabSource } from '@/collectors/config'
import { storableJson } from '@/collectors/plausible'
import { readBody } from '@/collectors/request-body'
import { messageOf } from '@/collectors/sync-run'
import { processGitLabDeliveries } from './webhook-events'
import { HANDLED_EVENTS } from './webhook-payloads'

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
