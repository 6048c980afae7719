import { describe, expect, it } from 'vitest'
import { formatAge, formatDuration, formatHours, formatInterval, formatMinutes, formatPercent, formatPerWeek, formatSignedPercent, formatSignedPoints, formatTime } from './format'

describe('formatting numbers for people', () => {
  it('writes rates per week, without decimals from 100', () => {
    expect(formatPerWeek(72.44)).toBe('72.4 per week')
    expect(formatPerWeek(117.74)).toBe('118 per week')
    expect(formatPerWeek(null)).toBe('—')
  })

  it('writes durations in minutes below an hour, hours below two days, days above', () => {
    expect(formatHours(0.5)).toBe('30 min')
    expect(formatHours(7.25)).toBe('7.3 hours')
    expect(formatHours(47.9)).toBe('47.9 hours')
    expect(formatHours(142.5)).toBe('5.9 days') // 142.5 h / 24 = 5.94
    expect(formatMinutes(54.2)).toBe('54 min')
    expect(formatMinutes(95)).toBe('1.6 hours')
  })

  it('writes ratios as percentages and differences of shares in points', () => {
    expect(formatPercent(0.12257)).toBe('12.3%')
    expect(formatSignedPoints(0.1192 - 0.1214)).toBe('−0.2 pp')
    expect(formatSignedPoints(0.035)).toBe('+3.5 pp')
    expect(formatSignedPoints(0)).toBe('±0 pp')
  })

  it('writes relative effects with a true minus sign: 117.7 / 72.4 − 1 = +63%', () => {
    expect(formatSignedPercent(117.7 / 72.4 - 1)).toBe('+63%')
    expect(formatSignedPercent(-0.2817)).toBe('−28%')
    expect(formatSignedPercent(0.004)).toBe('±0%')
  })

  it('writes a half-open interval as the days it covers', () => {
    expect(formatInterval({ from: new Date('2025-07-14T00:00:00Z'), to: new Date('2026-01-12T00:00:00Z') })).toBe('14 Jul 2025 – 11 Jan 2026')
  })

  it('writes how long ago in the largest whole unit: 59 s → just now, 61 min → 1 hour, 49 hours → 2 days', () => {
    const now = new Date('2026-11-24T12:00:00Z')
    const ago = (ms: number) => formatAge(new Date(now.getTime() - ms), now)
    expect([ago(59_000), ago(12 * 60_000), ago(61 * 60_000), ago(47 * 3_600_000), ago(49 * 3_600_000)]).toEqual(['just now', '12 min ago', '1 hour ago', '47 hours ago', '2 days ago'])
    expect([formatDuration(850), formatDuration(42_400), formatDuration(210_000)]).toEqual(['850 ms', '42 s', '3.5 min'])
    expect(formatTime(now)).toBe('24 Nov 2026, 12:00 UTC')
  })
})
