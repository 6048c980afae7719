import { describe, expect, it } from 'vitest'
import { headerSecrets, redact, retryDelay } from './http'

describe('redacting credentials an upstream echoes', () => {
  it('replaces each given secret and anything shaped like a GitHub or Upshot token', () => {
    const echoed =
      'Bad credentials for "Token token=u+Pd7kQ2abc" (ghp_0123456789abcdefghij0123456789abcdef, upt_abcdefghijklmnop0123)'
    expect(redact(echoed, headerSecrets({ authorization: 'Token token=u+Pd7kQ2abc' }))).toBe(
      'Bad credentials for "[redacted]" ([redacted], [redacted])',
    )
  })

  it('a GitLab token echoed anywhere is redacted by its shape', () => {
    expect(redact('token glpat-AbCdEf0123456789_xyzQ was refused', [])).toBe('token [redacted] was refused')
  })

  it('leaves text without secrets alone, and ignores secrets too short to be one', () => {
    expect(redact('404 Not Found', ['abc', '', null])).toBe('404 Not Found')
  })
})

describe('retry policy of the incident collectors', () => {
  it('429: what the upstream says, else 1, 2, 4 … s, at most 5 times; 5xx and no answer: 1, 2, 4, 8 s; 4xx: never', () => {
    expect([0, 1, 4, 5].map((attempt) => retryDelay({ status: 429, waitMs: 30_000 }, attempt))).toEqual([
      30_000,
      30_000,
      30_000,
      null,
    ])
    expect([0, 1, 2].map((attempt) => retryDelay({ status: 429, waitMs: null }, attempt))).toEqual([1000, 2000, 4000])
    expect([0, 3, 4].map((attempt) => retryDelay({ status: 503, waitMs: null }, attempt))).toEqual([1000, 8000, null])
    expect(retryDelay({ status: 0, waitMs: null }, 0)).toBe(1000)
    expect([400, 401, 403, 404].map((status) => retryDelay({ status, waitMs: null }, 0))).toEqual([
      null,
      null,
      null,
      null,
    ])
  })
})
