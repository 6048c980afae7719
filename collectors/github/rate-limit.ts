// How long to wait before retrying a GitHub request, by GitHub's documented rules
// (docs.github.com, "Rate limits for the REST API" → "Exceeding the rate limit"):
// 1. a `retry-after` header: wait that many seconds;
// 2. else `x-ratelimit-remaining: 0`: wait until `x-ratelimit-reset` (epoch seconds);
// 3. else a rate limit without headers (a secondary limit; GitHub Enterprise Server may send none): wait at
//    least a minute, then back off exponentially;
// and give up after a few retries. Missing headers never read as an exhausted quota: a 403 with neither
// rate-limit headers nor a rate-limit message is a permissions error, not something to wait out.
// Pure: the caller supplies the clock.

export interface FailedResponse {
  status: number
  headers: Record<string, string | undefined>
  /** The error message GitHub sent, if any. */
  message?: string
}

export const MAX_RATE_LIMIT_RETRIES = 5
export const MAX_SERVER_RETRIES = 4
const MINUTE = 60_000

/** Milliseconds to wait before retry number `attempt` (0 = the first retry), or null: do not retry. */
export function retryDelay(response: FailedResponse, attempt: number, nowMs: number): number | null {
  if (isRateLimited(response)) {
    if (attempt >= MAX_RATE_LIMIT_RETRIES) return null
    const retryAfter = Number(response.headers['retry-after'])
    if (Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers['retry-after'] !== undefined)
      return retryAfter * 1000
    if (response.headers['x-ratelimit-remaining'] === '0' && response.headers['x-ratelimit-reset']) {
      const reset = Number(response.headers['x-ratelimit-reset']) * 1000
      // one second after the reset, so the new window has begun
      if (Number.isFinite(reset)) return Math.max(0, reset - nowMs) + 1000
    }
    return MINUTE * 2 ** attempt
  }
  if (response.status >= 500 || response.status === 0) {
    // server errors and timeouts (status 0): 1, 2, 4, 8 s
    return attempt >= MAX_SERVER_RETRIES ? null : 1000 * 2 ** attempt
  }
  return null
}

export function isRateLimited(response: FailedResponse): boolean {
  if (response.status === 429) return true
  if (response.status !== 403) return false
  return (
    response.headers['retry-after'] !== undefined ||
    response.headers['x-ratelimit-remaining'] === '0' ||
    /rate limit/i.test(response.message ?? '')
  )
}
