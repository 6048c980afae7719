// GitHub webhooks: POST /api/webhooks/github hands the request here. A delivery is accepted only with a
// valid X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the shared secret, compared in constant time),
// stored once per X-GitHub-Delivery (a redelivery is a no-op) and answered 202 at once; the work is done
// after the answer, by `processGitHubDeliveries` (webhook-events.ts), which updates the same rows the poller writes.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { getDb, type Database } from '@/db/client'
import { enqueueWebhookDelivery } from '@/db/queries/webhooks'
import { loadSources, type GitHubSource } from '@/collectors/config'
import { storableJson } from '@/collectors/plausible'
import { readBody } from '@/collectors/request-body'
import { messageOf } from '@/collectors/sync-run'
import { processGitHubDeliveries } from './webhook-events'
import { HANDLED_EVENTS } from './webhook-payloads'

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
