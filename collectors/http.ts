// JSON over HTTP for the incident collectors (PagerDuty, Opsgenie): a GET with a timeout, zod on the answer,
// and one retry policy:
// - 429: wait as long as the upstream says (each client reads its own header: PagerDuty `ratelimit-reset`,
//   Opsgenie `X-RateLimit-Period-In-Sec`), else back off 1, 2, 4, 8, 16 s; give up after 5 retries;
// - 5xx and no answer (timeout, connection refused): 1, 2, 4, 8 s, then give up;
// - anything else (401, 403, 404, 400) is not retried; neither is an answer that is not the JSON we expect.
// Missing headers never read as "quota exhausted": only a 429 is a rate limit, and without a usable header
// it is backed off like any other. The clock is injectable so tests record the waits instead of sleeping.
import type { ZodType } from 'zod'

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

/** Shapes of credentials that must never be repeated, whoever echoes them: GitHub and GitLab tokens, Upshot's own machine tokens. */
const CREDENTIAL_SHAPES =
  /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|gl(?:pat|oas|dt|rt|ptt|ft)-[A-Za-z0-9_-]{20,}|upt_[A-Za-z0-9_-]{16,})\b/g

/**
 * `text` with every given secret, and anything shaped like a credential, replaced by "[redacted]". Upstreams
 * sometimes echo a request's headers in an error message; what Upshot stores and shows passes through here.
 */
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]')
  return out.replace(CREDENTIAL_SHAPES, '[redacted]')
}

/** The secret parts of request headers: each value, and its last word ("Token token=abc" → "abc"). */
export function headerSecrets(headers: Record<string, string>): string[] {
  return Object.values(headers).flatMap((value) => [value, value.split(/[\s=]+/).pop() ?? ''])
}

export const MAX_RATE_LIMIT_RETRIES = 5
export const MAX_SERVER_RETRIES = 4
const BACKOFF_MS = 1000

/** A request that failed for good: status 0 means no answer (timeout, connection refused). */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'UpstreamError'
  }
}

/**
 * Milliseconds to wait before retry number `attempt` (0 = the first retry), or null: do not retry.
 * `waitMs` is what the upstream asked for on a 429 (null when it said nothing usable). Pure.
 */
export function retryDelay(
  { status, waitMs }: { status: number; waitMs: number | null },
  attempt: number,
): number | null {
  if (status === 429) {
    if (attempt >= MAX_RATE_LIMIT_RETRIES) return null
    return waitMs ?? BACKOFF_MS * 2 ** attempt
  }
  if (status >= 500 || status === 0) return attempt >= MAX_SERVER_RETRIES ? null : BACKOFF_MS * 2 ** attempt
  return null
}

/** A header holding a number of seconds, as milliseconds; null when absent or not a number. */
export function secondsHeader(headers: Headers, name: string): number | null {
  const value = headers.get(name)?.trim()
  if (!value || !/^\d+(\.\d+)?$/.test(value)) return null
  return Math.round(Number(value) * 1000)
}

export type Query = Record<string, string | number | boolean | readonly string[] | null | undefined>

export interface JsonClientOptions {
  /** The upstream's name, for messages: "PagerDuty". */
  name: string
  baseUrl: string
  /** Sent with every request (credentials among them: never logged). */
  headers: Record<string, string>
  clock?: Clock
  timeoutMs?: number
  /** How long a 429 asks us to wait, in ms, read from the upstream's own headers; null if it does not say. */
  rateLimitWait(headers: Headers): number | null
}

export interface ClientStats {
  /** HTTP requests sent, retries included. */
  requests: number
  retries: number
  /** Time spent waiting before retries. */
  waitedMs: number
}

export class JsonClient {
  readonly stats: ClientStats = { requests: 0, retries: 0, waitedMs: 0 }
  readonly clock: Clock

  constructor(private readonly options: JsonClientOptions) {
    this.clock = options.clock ?? realClock
  }

  /** GET `path` (below the base URL) with `query`; array values repeat the key (`service_ids[]=a&service_ids[]=b`). */
  async get<T>(path: string, query: Query, schema: ZodType<T>): Promise<T> {
    return (await this.getWithHeaders(path, query, schema)).data
  }

  /** As `get`, with the answer's headers (pagination and rate-limit headers: GitLab's X-Next-Page, RateLimit-*). */
  async getWithHeaders<T>(path: string, query: Query, schema: ZodType<T>): Promise<{ data: T; headers: Headers }> {
    const { name, headers, timeoutMs = 30_000 } = this.options
    const url = new URL(path.replace(/^\//, ''), this.options.baseUrl.replace(/\/?$/, '/'))
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item))
    }
    const what = `${name} GET ${url.pathname}`
    for (let attempt = 0; ; attempt++) {
      this.stats.requests++
      let status = 0
      let detail = ''
      let waitMs: number | null = null
      try {
        const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) })
        status = response.status
        const text = await response.text()
        if (response.ok) return { data: parse(what, status, text, schema), headers: response.headers }
        if (status === 429) waitMs = this.options.rateLimitWait(response.headers)
        detail = redact(errorMessage(text), headerSecrets(headers))
      } catch (error) {
        if (error instanceof UpstreamError) throw error
        // no answer, or the answer stopped half way: a timeout or a broken connection
        status = 0
        detail =
          error instanceof Error
            ? error.name === 'TimeoutError'
              ? `no answer within ${timeoutMs} ms`
              : (causeOf(error) ?? error.message)
            : String(error)
      }
      const delay = retryDelay({ status, waitMs }, attempt)
      if (delay === null)
        throw new UpstreamError(`${what}: ${status || 'no answer'}${detail ? ` (${detail})` : ''}`, status)
      this.stats.retries++
      this.stats.waitedMs += delay
      await this.clock.sleep(delay)
    }
  }
}

function parse<T>(what: string, status: number, text: string, schema: ZodType<T>): T {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new UpstreamError(`${what}: unreadable answer (not JSON)`, status)
  }
  const parsed = schema.safeParse(data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UpstreamError(
      `${what}: unexpected answer: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`,
      status,
    )
  }
  return parsed.data
}

/** The message an error body carries (PagerDuty: error.message and error.errors; Opsgenie: message), short. */
function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: { message?: unknown; errors?: unknown } }
    const parts = [
      body.error?.message,
      ...(Array.isArray(body.error?.errors) ? body.error.errors : []),
      body.message,
    ].filter((part): part is string => typeof part === 'string' && part.length > 0)
    return parts.join(': ').slice(0, 300)
  } catch {
    return ''
  }
}

/** fetch's "fetch failed" says nothing; its cause says what (ECONNREFUSED, a reset). */
function causeOf(error: Error): string | null {
  const cause = error.cause as { code?: string; message?: string } | undefined
  return cause?.code ?? cause?.message ?? null
}
