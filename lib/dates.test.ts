import { describe, expect, it } from 'vitest'
import { addUtcMonths, isWeekend, parseIsoDate, readDay, startOfUtcWeek, toIsoDate, writeDay } from './dates'

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

describe('days as people type them', () => {
  it('reads the app’s way of writing a day, and ISO', () => {
    expect(readDay('6 Apr 2026')).toBe('2026-04-06')
    expect(readDay('2026-04-06')).toBe('2026-04-06')
    expect(readDay('  06  apr.  2026 ')).toBe('2026-04-06')
    expect(readDay('1 JUN 2026')).toBe('2026-06-01')
  })

  it('reads the month by its first three letters or more: Sep, Sept, September', () => {
    for (const month of ['Sep', 'Sept', 'September', 'sept.'])
      expect(readDay(`30 ${month} 2026`), month).toBe('2026-09-30')
    expect(readDay('30 Se 2026')).toBeNull()
    expect(readDay('30 Septx 2026')).toBeNull()
    expect(readDay('3 Ma 2026')).toBeNull()
  })

  it('refuses days that do not exist and forms that could be read two ways', () => {
    expect(readDay('31 Feb 2026')).toBeNull()
    expect(readDay('29 Feb 2025')).toBeNull()
    expect(readDay('29 Feb 2024')).toBe('2024-02-29')
    expect(readDay('2026-02-30')).toBeNull()
    expect(readDay('04/06/2026')).toBeNull()
    expect(readDay('6 Apr 26')).toBeNull()
    expect(readDay('')).toBeNull()
  })

  it('writes an ISO day as the fields show it, and reads it back; anything else stays as typed', () => {
    expect(writeDay('2026-04-06')).toBe('6 Apr 2026')
    expect(writeDay('2026-09-30')).toBe('30 Sep 2026')
    expect(writeDay('2026-12-31')).toBe('31 Dec 2026')
    expect(writeDay('6 Apr 2026')).toBe('6 Apr 2026')
    expect(writeDay('next week')).toBe('next week')
    for (
      let day = parseIsoDate('2026-01-01');
      day < parseIsoDate('2027-01-01');
      day = new Date(day.getTime() + 86_400_000)
    ) {
      expect(readDay(writeDay(toIsoDate(day)))).toBe(toIsoDate(day))
    }
  })
})
