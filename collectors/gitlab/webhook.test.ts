import { describe, expect, it } from 'vitest'
import { verifyToken } from './webhook'
import { parseHookDate } from './webhook-payloads'

describe('GitLab webhook rules', () => {
  it('the secret token is compared whole, whatever its length', () => {
    expect(verifyToken('s3cret-token', 's3cret-token')).toBe(true)
    expect(verifyToken('s3cret-token', 's3cret-toke')).toBe(false)
    expect(verifyToken('s3cret-token', 's3cret-token-and-more')).toBe(false)
    expect(verifyToken('s3cret-token', null)).toBe(false)
  })
  it('hook times: ISO, "… UTC" and "… +0200"', () => {
    expect(parseHookDate('2026-03-03T10:00:00Z')).toEqual(new Date('2026-03-03T10:00:00Z'))
    expect(parseHookDate('2026-03-03 10:00:00 UTC')).toEqual(new Date('2026-03-03T10:00:00Z'))
    expect(parseHookDate('2026-03-03 12:00:00 +0200')).toEqual(new Date('2026-03-03T10:00:00Z'))
    expect(parseHookDate('yesterday')).toBeNull()
  })
})
