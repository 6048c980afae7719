// HTTP to a Backstage backend and nothing else: GETs with the static external-access token, every answer
// parsed with zod. A 5xx, a timeout or no answer is asked again after 1, 2, 4, 8 and 16 seconds; a 429 waits
// what its Retry-After says (seconds or a date); anything else fails at once. An answer that is not JSON is
// not asked again: the phase fails, naming it. Waiting goes through the injected clock, so tests never sleep.
import type { ZodType } from 'zod'
import { realClock, redact, type Clock } from '@/collectors/http'
import { errorBodySchema } from './api-types'

/** A request that failed for good: status 0 means no answer (timeout, connection refused). */
export class BackstageError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'BackstageError'
  }
}

export interface BackstageClientStats {
  /** HTTP requests sent, retries included. */
  requests: number
  retries: number
  /** Time spent waiting before retries. */
  waitedMs: number
}

const MAX_RETRIES = 5
const FIRST_BACKOFF_MS = 1_000
/** A Retry-After longer than this is not waited out: the phase fails and the next run tries again. */
const MAX_RETRY_AFTER_MS = 15 * 60_000

export class BackstageClient {
  readonly stats: BackstageClientStats = { requests: 0, retries: 0, waitedMs: 0 }
  private readonly baseUrl: string
  private readonly token: string | null
  readonly clock: Clock
  private readonly timeoutMs: number

  constructor({
    baseUrl,
    token,
    clock = realClock,
    timeoutMs = 30_000,
  }: {
    baseUrl: string
    token: string | null
    clock?: Clock
    timeoutMs?: number
  }) {
    this.baseUrl = baseUrl.replace(/\/+$/, '')
    this.token = token
    this.clock = clock
    this.timeoutMs = timeoutMs
  }

  /** GET `path` (e.g. /api/catalog/entities/by-query) with repeatable query parameters. */
  async get<T>(path: string, params: [string, string][], schema: ZodType<T>): Promise<T> {
    const url = new URL(this.baseUrl + path)
    for (const [name, value] of params) url.searchParams.append(name, value)
    const what = `GET ${path}`
    for (let attempt = 0; ; attempt++) {
      this.stats.requests++
      const answer = await this.send(url)
      if (answer.status >= 200 && answer.status < 300 && answer.body !== null) {
        let data: unknown
        try {
          data = JSON.parse(answer.body)
        } catch {
          throw new BackstageError(`${what}: unreadable answer (not JSON)`, answer.status)
        }
        const parsed = schema.safeParse(data)
        if (!parsed.success) {
          const issue = parsed.error.issues[0]
          throw new BackstageError(
            `${what}: unexpected answer: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`,
            answer.status,
          )
        }
        return parsed.data
      }
      const delay = this.retryDelay(answer, attempt)
      if (delay === null || attempt >= MAX_RETRIES)
        throw new BackstageError(
          `${what}: ${redact(describe(answer), [this.token])}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}`,
          answer.status,
        )
      this.stats.retries++
      this.stats.waitedMs += delay
      await this.clock.sleep(delay)
    }
  }

  private async send(url: URL): Promise<Answer> {
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        signal: AbortSignal.timeout(this.timeoutMs),
      })
      const body = await response.text()
      return { status: response.status, body, retryAfter: response.headers.get('retry-after') }
    } catch (error) {
      // a timeout (also while reading the body), a refused or reset connection: no answer
      const reason =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
          ? `no answer within ${this.timeoutMs} ms`
          : 'no answer'
      return { status: 0, body: null, retryAfter: null, reason }
    }
  }

  /** How long to wait before asking again, or null when asking again cannot help. */
  private retryDelay(answer: Answer, attempt: number): number | null {
    const backoff = FIRST_BACKOFF_MS * 2 ** attempt
    if (answer.status === 429) {
      const asked = retryAfterMs(answer.retryAfter, this.clock.now())
      if (asked !== null && asked > MAX_RETRY_AFTER_MS) return null
      return asked ?? backoff
    }
    if (answer.status === 0 || answer.status >= 500) return backoff
    return null
  }
}

interface Answer {
  status: number
  body: string | null
  retryAfter: string | null
  reason?: string
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** A failed answer in a sentence; the credential never appears in it (it is only ever in a header). */
function describe(answer: Answer): string {
  if (answer.status === 0) return answer.reason ?? 'no answer'
  let message = ''
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(answer.body ?? ''))
    if (parsed.success) message = `: ${parsed.data.error.message.slice(0, 200)}`
  } catch {
    // not Backstage's error shape: the status says enough
  }
  const hint =
    answer.status === 401 || answer.status === 403
      ? ' (check the token: backend.auth.externalAccess, type static)'
      : answer.status === 429
        ? ' (rate limited for too long)'
        : ''
  return `${answer.status}${message}${hint}`
}
