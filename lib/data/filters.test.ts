import { describe, expect, it } from 'vitest'
import { parseIsoDate, toIsoDate } from '@/lib/dates'
import { aroundLaunch, filterParamsSchema, filtersFrom, initiativeInView } from './filters'

const now = new Date('2026-11-25T10:00:00Z') // a Wednesday
const iso = (interval?: { from: Date; to: Date }) =>
  interval && `${toIsoDate(interval.from)}..${toIsoDate(interval.to)}`

describe('filters from search params', () => {
  it('default: the latest 26 full weeks, compared with the 26 weeks before the portal launch', () => {
    const filters = filtersFrom({}, { now, launch: parseIsoDate('2026-01-12') })
    expect(iso(filters.interval)).toBe('2026-05-25..2026-11-23')
    expect(iso(filters.comparison)).toBe('2025-07-14..2026-01-12')
    expect(filters.teamIds).toBeUndefined()
  })

  it('without a launch, or one inside the interval, compares with the weeks just before', () => {
    expect(iso(filtersFrom({}, { now, launch: null }).comparison)).toBe('2025-11-24..2026-05-25')
    expect(iso(filtersFrom({}, { now, launch: parseIsoDate('2026-09-07') }).comparison)).toBe('2025-11-24..2026-05-25')
  })

  it('snaps a chosen range to whole weeks and keeps the teams', () => {
    const filters = filtersFrom(
      { teams: '1,3', from: '2026-03-04', to: '2026-03-18', compareFrom: '2026-01-05', compareTo: '2026-02-02' },
      { now, launch: null },
    )
    expect(filters.teamIds).toEqual([1, 3])
    expect(iso(filters.interval)).toBe('2026-03-02..2026-03-23')
    expect(iso(filters.comparison)).toBe('2026-01-05..2026-02-02')
  })

  it('rejects what it cannot read, naming the parameter', () => {
    const bad = filterParamsSchema.safeParse({ teams: '1;2', from: '2026-02-30', to: '2026-01-01' })
    expect(bad.success).toBe(false)
    const paths = bad.error?.issues.map((issue) => issue.path.join('.')) ?? []
    expect(paths).toEqual(expect.arrayContaining(['teams', 'from']))
    expect(filterParamsSchema.safeParse({ from: '2026-03-01', to: '2026-02-01' }).error?.issues[0]?.path).toEqual([
      'to',
    ])
  })
})

describe('the initiative in view', () => {
  const initiatives = [
    { id: 1, launchDate: '2026-01-12' },
    { id: 5, launchDate: '2026-03-02' },
    { id: 3, launchDate: '2026-03-02' },
    { id: 2, launchDate: '2026-12-07' },
  ]

  it('is the latest launched (the last of those launched by now, oldest first), not one still planned', () => {
    expect(initiativeInView(initiatives, now)?.id).toBe(3)
    expect(initiativeInView(initiatives, parseIsoDate('2026-03-01'))?.id).toBe(1)
    // launched on the day itself counts
    expect(initiativeInView(initiatives, parseIsoDate('2026-12-07'))?.id).toBe(2)
  })

  it('is the latest planned when none has launched yet, and none without any', () => {
    expect(initiativeInView(initiatives, parseIsoDate('2025-12-31'))?.id).toBe(2)
    expect(initiativeInView([], now)).toBeUndefined()
  })
})

describe('weeks around the launch (the Overview)', () => {
  const launch = parseIsoDate('2026-01-14') // a Wednesday: its week starts on the 12th

  it('default: the latest 26 full weeks against the 26 weeks before the launch’s week', () => {
    const windows = aroundLaunch({}, filtersFrom({}, { now, launch }), { now, launch })
    expect(iso(windows.before)).toBe('2025-07-14..2026-01-12')
    expect(iso(windows.after ?? undefined)).toBe('2026-05-25..2026-11-23')
  })

  it('the weeks chosen replace the latest weeks, the comparison chosen replaces the weeks before the launch, each alone', () => {
    const shown = { from: '2026-03-04', to: '2026-04-01' }
    const onlyShown = aroundLaunch(shown, filtersFrom(shown, { now, launch }), { now, launch })
    expect(iso(onlyShown.after ?? undefined)).toBe('2026-03-02..2026-04-06')
    expect(iso(onlyShown.before)).toBe('2025-07-14..2026-01-12')
    const compared = { compareFrom: '2025-10-06', compareTo: '2025-12-01' }
    const onlyCompared = aroundLaunch(compared, filtersFrom(compared, { now, launch }), { now, launch })
    expect(iso(onlyCompared.before)).toBe('2025-10-06..2025-12-01')
    expect(iso(onlyCompared.after ?? undefined)).toBe('2026-05-25..2026-11-23')
  })

  it('a launch less than a week ago: no "after" unless weeks are chosen', () => {
    const recent = parseIsoDate('2026-11-23')
    expect(aroundLaunch({}, filtersFrom({}, { now, launch: recent }), { now, launch: recent }).after).toBeNull()
  })
})
