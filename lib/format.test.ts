import { describe, expect, it } from 'vitest'
import {
  formatAge,
  formatDuration,
  formatHours,
  formatInterval,
  formatMinutes,
  formatPercent,
  formatPerWeek,
  formatSignedPercent,
  formatSignedPoints,
  formatTime,
} from './format'

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
    expect(formatInterval({ from: new Date('2025-07-14T00:00:00Z'), to: new Date('2026-01-12T00:00:00Z') })).toBe(
      '14 Jul 2025 – 11 Jan 2026',
    )
  })

  it('writes how long ago in the largest whole unit: 59 s → just now, 61 min → 1 hour, 49 hours → 2 days', () => {
    const now = new Date('2026-11-24T12:00:00Z')
    const ago = (ms: number) => formatAge(new Date(now.getTime() - ms), now)
    expect([ago(59_000), ago(12 * 60_000), ago(61 * 60_000), ago(47 * 3_600_000), ago(49 * 3_600_000)]).toEqual([
      'just now',
      '12 min ago',
      '1 hour ago',
      '47 hours ago',
      '2 days ago',
    ])
    expect([formatDuration(850), formatDuration(42_400), formatDuration(210_000)]).toEqual([
      '850 ms',
      '42 s',
      '3.5 min',
    ])
    expect(formatTime(now)).toBe('24 Nov 2026, 12:00 UTC')
  })
})

describe('formatting compared metrics', () => {
  it('writes each unit the way a reader expects', async () => {
    const { formatValue } = await import('./format')
    expect(formatValue('per_service_week', 2.404)).toBe('2.40 per service-week')
    expect(formatValue('days', 13.96)).toBe('14.0 days')
    expect(formatValue('score', 6.43)).toBe('6.4 / 10')
    expect(formatValue('share', 0.1234)).toBe('12.3%')
    expect(formatValue('minutes', null)).toBe('—')
  })

  it('writes absolute effects in the unit, relative ones as percentages', async () => {
    const { formatEffect } = await import('./format')
    expect(formatEffect('absolute', 'minutes', -35.4)).toBe('−35 min')
    expect(formatEffect('absolute', 'minutes', 120)).toBe('+2.0 hours') // 120 min / 60
    expect(formatEffect('absolute', 'days', -8.96)).toBe('−9.0 days')
    expect(formatEffect('absolute', 'score', 0.04)).toBe('±0 points')
    expect(formatEffect('absolute', 'score', 1.74)).toBe('+1.7 points')
    expect(formatEffect('relative', 'hours', -0.254)).toBe('−25%')
    expect(formatEffect('absolute', 'share', -0.012)).toBe('−1.2 pp')
  })
})

describe('axis ticks', () => {
  it('keep one unit per axis, chosen by the largest value', async () => {
    const { axisFormatter } = await import('./format')
    const days = axisFormatter('hours', 139) // 139 h ≥ 48 h: days
    expect([0, 36, 72, 139].map(days)).toEqual(['0 d', '1.5 d', '3 d', '5.8 d'])
    expect([0, 30, 60].map(axisFormatter('minutes', 78))).toEqual(['0 min', '30 min', '60 min'])
    expect([0, 120, 240].map(axisFormatter('minutes', 240))).toEqual(['0 h', '2 h', '4 h'])
    expect([0, 0.135].map(axisFormatter('share', 0.18))).toEqual(['0%', '13.5%'])
  })
})

describe('money', () => {
  it('writes dollars in k and M, with a true minus', async () => {
    const { formatMoney } = await import('./format')
    expect([515_000, 1_254_000, -140_000, 950, 0].map(formatMoney)).toEqual(['$515k', '$1.25M', '−$140k', '$950', '$0'])
  })
})

describe('effect intervals', () => {
  it('an interval that excludes no change never prints ±0 at an end: 0.4 to 2.1 min reads "+0.4 min to +2.1 min", not "±0 min to +2 min"', async () => {
    const { formatEffectInterval } = await import('./format')
    expect(formatEffectInterval('absolute', 'minutes', 0.4, 2.1)).toBe('+0.4 min to +2.1 min')
    expect(formatEffectInterval('relative', 'hours', -0.2317, -0.0031)).toBe('−23.2% to −0.3%')
    expect(formatEffectInterval('absolute', 'share', 0.0004, 0.05)).toBe('+0.04 pp to +5.00 pp')
  })

  it('an interval that includes no change keeps the usual precision: −0.4 to +2.1 min reads "±0 min to +2 min"', async () => {
    const { formatEffectInterval } = await import('./format')
    expect(formatEffectInterval('absolute', 'minutes', -0.4, 2.1)).toBe('±0 min to +2 min')
    expect(formatEffectInterval('relative', 'hours', -0.12, 0.03)).toBe('−12% to +3%')
  })
})
