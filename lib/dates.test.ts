import { describe, expect, it } from 'vitest'
import { addUtcMonths, isWeekend, parseIsoDate, startOfUtcWeek, toIsoDate } from './dates'

describe('UTC calendar helpers', () => {
  it('parses a calendar date as midnight UTC and prints it back', () => {
    expect(parseIsoDate('2026-02-28').toISOString()).toBe('2026-02-28T00:00:00.000Z')
    expect(toIsoDate(parseIsoDate('2024-02-29'))).toBe('2024-02-29')
  })

  it('rejects what is not a calendar date, naming the value', () => {
    expect(() => parseIsoDate('2026-02-30')).toThrow('"2026-02-30"')
    expect(() => parseIsoDate('26-1-1')).toThrow(RangeError)
  })

  it('starts weeks on Monday 00:00 UTC, whatever the time of day', () => {
    expect(toIsoDate(startOfUtcWeek(new Date('2026-11-24T23:59:00Z')))).toBe('2026-11-23') // Tuesday → Monday
    expect(toIsoDate(startOfUtcWeek(new Date('2026-11-29T12:00:00Z')))).toBe('2026-11-23') // Sunday → previous Monday
    expect(toIsoDate(startOfUtcWeek(new Date('2026-11-23T00:00:00Z')))).toBe('2026-11-23') // Monday stays
  })

  it('adds months clamping to the last day of a shorter month', () => {
    expect(addUtcMonths(parseIsoDate('2026-01-31'), 1).toISOString()).toBe('2026-02-28T00:00:00.000Z')
    expect(addUtcMonths(parseIsoDate('2026-05-18'), -4).toISOString()).toBe('2026-01-18T00:00:00.000Z')
  })

  it('knows Saturday and Sunday in UTC', () => {
    expect(isWeekend(new Date('2026-11-28T00:30:00Z'))).toBe(true)
    expect(isWeekend(new Date('2026-11-27T23:30:00Z'))).toBe(false)
  })
})
