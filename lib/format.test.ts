import { describe, expect, it } from 'vitest'
import { formatHours, formatInterval, formatMinutes, formatPercent, formatPerWeek, formatSignedPercent, formatSignedPoints } from './format'

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
})
