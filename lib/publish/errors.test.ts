import { describe, expect, it } from 'vitest'
import { DeliveryError, isDeliveryError, redact, waitBeyondBackoff } from '@/lib/publish/errors'
import { publicError } from '@/lib/errors'

describe('redact', () => {
  it('replaces each secret, as given and URL-encoded, longest first', () => {
    const url = 'https://hooks.slack.com/services/T1/B2/abcdefgh12345678'
    const text = `posting to ${url} (path /services/T1/B2/abcdefgh12345678, key abcdefgh12345678, ${encodeURIComponent('p@ss word')})`
    expect(redact(text, [url, '/services/T1/B2/abcdefgh12345678', 'abcdefgh12345678', 'p@ss word', null])).toBe(
      'posting to [redacted] (path [redacted], key [redacted], [redacted])',
    )
  })

  it('leaves text alone when there is nothing (or too little) to redact', () => {
    expect(redact('451 try again later', [undefined, '', 'ab'])).toBe('451 try again later')
  })
})

describe('DeliveryError', () => {
  it('is an UpshotError whose message is shown as it is, with whether and when to retry', () => {
    const error = new DeliveryError('slack', 'Slack is rate-limiting chat.postMessage: retry in 30 s.', {
      retryable: true,
      retryAfterSeconds: 30,
    })
    expect(isDeliveryError(error)).toBe(true)
    expect(error).toMatchObject({ channel: 'slack', retryable: true, retryAfterSeconds: 30, code: 'unavailable' })
    expect(publicError(error)).toEqual({
      code: 'unavailable',
      message: 'Slack is rate-limiting chat.postMessage: retry in 30 s.',
      status: 503,
    })
  })
})

describe('waitBeyondBackoff', () => {
  const limited = (retryAfterSeconds: number | null, retryable = true) =>
    new DeliveryError('slack', 'Slack is rate-limiting', { retryable, retryAfterSeconds })

  it('waits what Retry-After asks beyond the queue backoff (delay × 2^retries), never more than 5 minutes', () => {
    const job = (retryDelay: number, retryCount: number, retryBackoff = true) => ({
      retryDelay,
      retryCount,
      retryBackoff,
    })
    expect(waitBeyondBackoff(limited(120), job(60, 0))).toBe(60)
    expect(waitBeyondBackoff(limited(120), job(60, 1))).toBe(0)
    expect(waitBeyondBackoff(limited(30), job(2, 2))).toBe(22)
    expect(waitBeyondBackoff(limited(30), job(2, 2, false))).toBe(28) // without backoff the queue waits the delay
    expect(waitBeyondBackoff(limited(3600), job(60, 0))).toBe(300)
  })

  it('adds nothing without a Retry-After, for a final refusal, or for another error', () => {
    const job = { retryDelay: 1, retryCount: 0, retryBackoff: true }
    expect(waitBeyondBackoff(limited(null), job)).toBe(0)
    expect(waitBeyondBackoff(limited(120, false), job)).toBe(0)
    expect(waitBeyondBackoff(new Error('socket hang up'), job)).toBe(0)
  })
})
