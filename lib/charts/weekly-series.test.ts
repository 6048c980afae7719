import { describe, expect, it } from 'vitest'
import { parseIsoDate, toIsoDate } from '@/lib/dates'
import { chartWeeks, weekMarkers, weeklyPoints } from './weekly-series'

const span = (from: string, to: string) => ({ from: parseIsoDate(from), to: parseIsoDate(to) })

describe('chartWeeks', () => {
  it('compared 4 weeks, 2 between, shown 3: nine weeks from compareFrom to `to`, each with its period', () => {
    const chart = chartWeeks({
      interval: span('2026-03-16', '2026-04-06'),
      comparison: span('2026-02-02', '2026-03-02'),
      lastWeek: '2026-12-07',
    })
    expect(chart.weeks.map((week) => `${week.week} ${week.period}`)).toEqual([
      '2026-02-02 comparison',
      '2026-02-09 comparison',
      '2026-02-16 comparison',
      '2026-02-23 comparison',
      '2026-03-02 between',
      '2026-03-09 between',
      '2026-03-16 shown',
      '2026-03-23 shown',
      '2026-03-30 shown',
    ])
    expect(chart.between && `${toIsoDate(chart.between.from)}..${toIsoDate(chart.between.to)}`).toBe(
      '2026-03-02..2026-03-16',
    )
  })

  it('the week holding the latest fact, and any after it, is incomplete; the week before it is not', () => {
    const chart = chartWeeks({ interval: span('2026-03-16', '2026-04-06'), comparison: null, lastWeek: '2026-03-23' })
    expect(chart.weeks.map((week) => week.period)).toEqual(['shown', 'incomplete', 'incomplete'])
  })

  it('more weeks between than allowed: one gap marker standing for them, none fetched', () => {
    const chart = chartWeeks({
      interval: span('2026-03-16', '2026-03-30'),
      comparison: span('2026-01-05', '2026-01-19'),
      lastWeek: null,
      maxBetween: 3,
    })
    expect(chart.weeks.map((week) => `${week.week} ${week.period}${week.omitted ? ` ×${week.omitted}` : ''}`)).toEqual([
      '2026-01-05 comparison',
      '2026-01-12 comparison',
      '2026-01-19 between ×8',
      '2026-03-16 shown',
      '2026-03-23 shown',
    ])
    expect(chart.between).toBeNull()
  })

  it('overlapping windows: a week in both is shown; a comparison after the weeks shown comes after them', () => {
    const overlap = chartWeeks({
      interval: span('2026-03-02', '2026-03-16'),
      comparison: span('2026-02-23', '2026-03-09'),
      lastWeek: null,
    })
    expect(overlap.weeks.map((week) => week.period)).toEqual(['comparison', 'shown', 'shown'])
    const after = chartWeeks({
      interval: span('2026-03-02', '2026-03-09'),
      comparison: span('2026-03-16', '2026-03-23'),
      lastWeek: null,
    })
    expect(after.weeks.map((week) => week.period)).toEqual(['shown', 'between', 'comparison'])
  })
})

describe('weeklyPoints', () => {
  it('a week without data has every series null; a gap marker none; values kept as given', () => {
    const weeks = [
      { week: '2026-01-05', period: 'comparison' as const },
      { week: '2026-01-12', period: 'between' as const, omitted: 9 },
      { week: '2026-03-16', period: 'shown' as const },
    ]
    const values = new Map([
      ['2026-01-05', { deployments: 4 }],
      ['2026-01-12', { deployments: 99 }],
    ])
    expect(
      weeklyPoints(weeks, ['deployments', 'lead'], (week) => values.get(week)).map((point) => point.values),
    ).toEqual([
      { deployments: 4, lead: null },
      { deployments: null, lead: null },
      { deployments: null, lead: null },
    ])
  })
})

describe('weekMarkers', () => {
  it('events on the Monday of their week, in date order, only where a week is drawn', () => {
    const weeks = [
      { week: '2026-01-26', period: 'between' as const },
      { week: '2026-02-02', period: 'shown' as const },
    ]
    const markers = weekMarkers(weeks, [
      { on: '2026-02-04', label: 'GA' },
      { on: '2026-01-26', label: 'Launch' },
      { on: '2025-06-01', label: 'Too early' },
    ])
    expect(markers).toEqual([
      { week: '2026-01-26', label: 'Launch' },
      { week: '2026-02-02', label: 'GA' },
    ])
  })
})
