// The one-pager to Slack, by an incoming webhook or a bot token. A webhook posts the Block Kit summary with a link
// (a webhook cannot attach a file, so the share link carries the PDF). A bot uploads the PDF the way Slack asks
// since files.upload was retired (docs.slack.dev "Uploading files"): files.getUploadURLExternal → POST the bytes
// to the pre-signed upload_url → files.completeUploadExternal, which shares the file into the channel with the
// blocks as its message. Completing with the blocks, rather than a second chat.postMessage, makes the last call
// the only one that shows anything in the channel: a failure before it leaves nothing for a retry to duplicate,
// and a failure of a separate postMessage after a shared file would have the retry post the PDF twice.
//
// Every failure becomes a DeliveryError with Slack's own error word ("Slack refused: channel_not_found"); none
// quotes the webhook URL (it is itself the credential) or the token. A 429 says when to retry; the caller's
// queue does the waiting. Server-only.
import { DeliveryError, redact } from '@/lib/publish/errors'
import { slackBlocks, slackFallbackText, type DeliveryContent } from '@/lib/publish/message'

export type SlackTarget = { kind: 'webhook'; url: string } | { kind: 'bot'; token: string; channel: string }

export type SentSlack = { kind: 'webhook' } | { kind: 'bot'; fileId: string; channel: string }

type Fetch = typeof globalThis.fetch

const TIMEOUT_MS = 30_000

// Web API errors that go away by themselves (docs.slack.dev, each method's "Errors"); every other word means the
// token, the scopes or the channel must change first.
const TRANSIENT = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'])

interface Call {
  fetch: Fetch
  secrets: string[]
  timeoutMs: number
}

/** One HTTP request; a network failure or timeout becomes a retryable DeliveryError naming only `what`. */
async function request(call: Call, what: string, url: string, init: RequestInit): Promise<Response> {
  try {
    // redirects refused: a webhook's or API's answer comes from where it was sent, and the body goes nowhere else
    return await call.fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(call.timeoutMs) })
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : null
    const message = timedOut
      ? `Slack did not answer ${what} within ${call.timeoutMs >= 1000 ? `${Math.round(call.timeoutMs / 1000)} s` : `${call.timeoutMs} ms`}.`
      : `Could not reach Slack for ${what}${cause ? `: ${cause}` : ''}.`
    throw new DeliveryError('slack', redact(message, call.secrets), { retryable: true })
  }
}

/** Retry-After in seconds (Slack sends seconds; an HTTP date is accepted too), or null. */
function retryAfter(response: Response): number | null {
  const value = response.headers.get('retry-after')
  if (!value) return null
  if (/^\d+$/.test(value.trim())) return Number(value)
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000))
}

function rateLimited(response: Response, what: string): DeliveryError {
  const seconds = retryAfter(response)
  const when = seconds === null ? 'later' : `in ${seconds} s`
  return new DeliveryError('slack', `Slack is rate-limiting ${what}: retry ${when}.`, {
    retryable: true,
    retryAfterSeconds: seconds,
  })
}

/** A short error word from a body Slack wrote (webhooks answer in plain text), never a page of HTML. */
function errorWord(body: string): string | null {
  const word = body.trim()
  return /^[a-z][a-z0-9_]{1,63}$/.test(word) ? word : null
}

async function sendWebhook(call: Call, url: string, content: DeliveryContent): Promise<SentSlack> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new DeliveryError('slack', 'The Slack webhook URL is not a URL.', { retryable: false })
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new DeliveryError('slack', 'The Slack webhook URL must be an https:// URL.', { retryable: false })
  const what = 'the incoming webhook'
  const response = await request(call, what, url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ text: slackFallbackText(content), blocks: slackBlocks(content, { attached: false }) }),
  })
  const body = await response.text().catch(() => '')
  if (response.ok) return { kind: 'webhook' }
  if (response.status === 429) throw rateLimited(response, what)
  // Slack's webhook errors: 400 invalid_payload, 403 action_prohibited, 404 no_service / channel_not_found,
  // 410 channel_is_archived, 500 rollup_error; only a 5xx may pass by itself
  const word = errorWord(body) ?? `HTTP ${response.status}`
  throw new DeliveryError('slack', redact(`Slack refused the incoming webhook: ${word}.`, call.secrets), {
    retryable: response.status >= 500,
    hint:
      word === 'no_service' || response.status === 404
        ? 'The webhook was removed or disabled in Slack: create a new one and save its URL.'
        : undefined,
  })
}

/** A Web API method: answers 200 {ok:true,…} or {ok:false,error}, a 429 with Retry-After, now and then a 5xx. */
async function callApi<T extends object>(
  call: Call,
  apiUrl: string,
  token: string,
  method: string,
  form: Record<string, string>,
): Promise<T> {
  const response = await request(call, method, `${apiUrl.replace(/\/+$/, '')}/${method}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    },
    body: new URLSearchParams(form).toString(),
  })
  if (response.status === 429) throw rateLimited(response, method)
  const text = await response.text().catch(() => '')
  let data: { ok?: unknown; error?: unknown } | null = null
  try {
    data = JSON.parse(text) as { ok?: unknown; error?: unknown }
  } catch {
    data = null
  }
  if (!response.ok || !data || typeof data !== 'object' || data.ok !== true) {
    const word = data && typeof data.error === 'string' ? data.error : `HTTP ${response.status}`
    if (word === 'ratelimited') throw rateLimited(response, method)
    const retryable = TRANSIENT.has(word) || response.status >= 500
    throw new DeliveryError('slack', redact(`Slack refused ${method}: ${word}.`, call.secrets), {
      retryable,
      hint: hintFor(word),
    })
  }
  return data as T
}

function hintFor(word: string): string | undefined {
  if (word === 'invalid_auth' || word === 'not_authed' || word === 'token_revoked' || word === 'account_inactive')
    return 'The bot token is no longer valid: save a current one (xoxb-…).'
  if (word === 'missing_scope') return 'The Slack app needs the files:write scope (and chat:write).'
  if (word === 'channel_not_found') return 'Give the channel ID (C…), from the channel details in Slack.'
  if (word === 'not_in_channel') return 'Invite the bot to the channel (/invite @the-app) first.'
  return undefined
}

async function sendBot(
  call: Call,
  apiUrl: string,
  token: string,
  channel: string,
  content: DeliveryContent,
): Promise<SentSlack> {
  const ticket = await callApi<{ upload_url?: unknown; file_id?: unknown }>(
    call,
    apiUrl,
    token,
    'files.getUploadURLExternal',
    { filename: content.fileName, length: String(content.pdf.length) },
  )
  if (typeof ticket.upload_url !== 'string' || typeof ticket.file_id !== 'string')
    throw new DeliveryError('slack', 'Slack answered files.getUploadURLExternal without an upload URL.', {
      retryable: true,
    })
  // the upload URL is pre-signed: it takes the bytes without the token, so the token is not sent to it
  const upload = await request(call, 'the file upload', ticket.upload_url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(content.pdf),
  })
  await upload.text().catch(() => '')
  if (!upload.ok)
    throw new DeliveryError('slack', `Slack refused the file upload: HTTP ${upload.status}.`, {
      retryable: upload.status >= 500 || upload.status === 429,
    })
  await callApi(call, apiUrl, token, 'files.completeUploadExternal', {
    files: JSON.stringify([{ id: ticket.file_id, title: content.title }]),
    channel_id: channel,
    // no initial_comment: Slack ignores blocks when one is given
    blocks: JSON.stringify(slackBlocks(content, { attached: true })),
  })
  return { kind: 'bot', fileId: ticket.file_id, channel }
}

/** The webhook URL, and its path and last segment: an error quoting only the path would still give it away. */
function webhookSecrets(url: string): string[] {
  try {
    const path = new URL(url).pathname
    const last = path.split('/').filter(Boolean).at(-1)
    return [url, ...(path.length > 8 ? [path] : []), ...(last && last.length >= 8 ? [last] : [])]
  } catch {
    return [url]
  }
}

/** Posts the one-pager to Slack; throws DeliveryError (retryable or not, Retry-After when given). */
export async function sendSlack({
  target,
  apiUrl,
  content,
  fetch = globalThis.fetch,
  timeoutMs = TIMEOUT_MS,
}: {
  target: SlackTarget
  /** The Web API's base, https://slack.com/api (UPSHOT_SLACK_API_URL). */
  apiUrl: string
  content: DeliveryContent
  fetch?: Fetch
  timeoutMs?: number
}): Promise<SentSlack> {
  const secrets = target.kind === 'webhook' ? webhookSecrets(target.url) : [target.token]
  const call: Call = { fetch, secrets, timeoutMs }
  if (target.kind === 'webhook') return sendWebhook(call, target.url, content)
  if (!target.token) throw new DeliveryError('slack', 'No Slack bot token is saved.', { retryable: false })
  if (!target.channel) throw new DeliveryError('slack', 'No Slack channel is set.', { retryable: false })
  return sendBot(call, apiUrl, target.token, target.channel, content)
}
