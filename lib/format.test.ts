import { describe, expect, it } from 'vitest'
import { formatChange, formatHours, formatInterval, formatMinutes, formatPercent, formatPerWeek, formatPointChange } from './format'

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

  it('writes ratios as percentages and their differences in points', () => {
    expect(formatPercent(0.12257)).toBe('12.3%')
    expect(formatPointChange(0.1214, 0.1192)).toBe('−0.2 pp')
    expect(formatPointChange(0.1, 0.135)).toBe('+3.5 pp')
    expect(formatPointChange(0.12, 0.12)).toBe('±0 pp')
  })

  it('writes relative change with a true minus sign, and nothing when the base is zero', () => {
    expect(formatChange(72.4, 117.7)).toBe('+63%') // 45.3 / 72.4 = 0.626
    expect(formatChange(142, 102)).toBe('−28%')
    expect(formatChange(10, 10)).toBe('±0%')
    expect(formatChange(0, 5)).toBe('—')
  })

  it('writes a half-open interval as the days it covers', () => {
    expect(formatInterval({ from: new Date('2025-07-14T00:00:00Z'), to: new Date('2026-01-12T00:00:00Z') })).toBe('14 Jul 2025 – 11 Jan 2026')
  })
})
