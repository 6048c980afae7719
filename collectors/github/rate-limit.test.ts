import { describe, expect, it } from 'vitest'
import { isRateLimited, MAX_RATE_LIMIT_RETRIES, retryDelay } from './rate-limit'

const now = Date.UTC(2026, 10, 24, 12, 0, 0)

describe('GitHub retry policy', () => {
  it('honours retry-after first: 403 with retry-after: 30 → 30 s, even with remaining 0', () => {
    expect(
      retryDelay(
        {
          status: 403,
          headers: { 'retry-after': '30', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 600) },
        },
        0,
        now,
      ),
    ).toBe(30_000)
    expect(retryDelay({ status: 429, headers: { 'retry-after': '0' } }, 0, now)).toBe(0)
  })

  it('waits for the reset when the quota is used up: reset in 600 s → 600 + 1 s', () => {
    expect(
      retryDelay(
        { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 600) } },
        0,
        now,
      ),
    ).toBe(601_000)
  })

  it('without headers, a rate limit waits a minute, then 2, 4, 8, 16 minutes, then gives up', () => {
    const secondary = { status: 403, headers: {}, message: 'You have exceeded a secondary rate limit' }
    expect([0, 1, 2, 3, 4].map((attempt) => retryDelay(secondary, attempt, now))).toEqual([
      60_000, 120_000, 240_000, 480_000, 960_000,
    ])
    expect(retryDelay(secondary, MAX_RATE_LIMIT_RETRIES, now)).toBeNull()
    expect(retryDelay({ status: 429, headers: {} }, 0, now)).toBe(60_000)
  })

  it('never reads missing headers as an exhausted quota: a bare 403 is a permissions error, not retried', () => {
    const forbidden = { status: 403, headers: {}, message: 'Resource not accessible by integration' }
    expect(isRateLimited(forbidden)).toBe(false)
    expect(retryDelay(forbidden, 0, now)).toBeNull()
    expect(
      isRateLimited({ status: 403, headers: { 'x-ratelimit-remaining': '12' }, message: 'Must have admin rights' }),
    ).toBe(false)
  })

  it('retries server errors and timeouts 4 times: 1, 2, 4, 8 s; never a 404 or 422', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => retryDelay({ status: 502, headers: {} }, attempt, now))).toEqual([
      1000,
      2000,
      4000,
      8000,
      null,
    ])
    expect(retryDelay({ status: 0, headers: {} }, 0, now)).toBe(1000)
    expect(retryDelay({ status: 404, headers: {} }, 0, now)).toBeNull()
    expect(retryDelay({ status: 422, headers: {} }, 0, now)).toBeNull()
  })
})
