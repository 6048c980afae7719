import { describe, expect, it } from 'vitest'
import { fromStoredJson, toStoredJson } from './stored-json'

describe('stored read models as JSON', () => {
  it('gives back dates, non-finite numbers and -0 as they were', () => {
    const value = {
      at: new Date('2026-03-02T00:00:00.000Z'),
      list: [1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, null],
      nested: { when: [new Date(0)], label: 'a' },
    }
    const revived = fromStoredJson<typeof value>(toStoredJson(value))
    expect(revived).toEqual(value)
    expect(revived.at).toBeInstanceOf(Date)
    expect(Object.is(revived.list[4], -0)).toBe(true)
    expect(Object.is(revived.list[5], 0)).toBe(true)
    expect(revived.list[1]).toBeNaN()
  })

  it('refuses a Map instead of storing it empty', () => {
    expect(() => toStoredJson({ roles: new Map([[1, 'pilot']]) })).toThrow(/Map at "roles"/)
  })
})
