import { describe, expect, it } from 'vitest'
import { parseIsoDate, toIsoDate } from '../dates'
import { filterParamsSchema, filtersFrom } from './filters'

const now = new Date('2026-11-25T10:00:00Z') // a Wednesday
const iso = (interval?: { from: Date; to: Date }) => interval && `${toIsoDate(interval.from)}..${toIsoDate(interval.to)}`

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
    const filters = filtersFrom({ teams: '1,3', from: '2026-03-04', to: '2026-03-18', compareFrom: '2026-01-05', compareTo: '2026-02-02' }, { now, launch: null })
    expect(filters.teamIds).toEqual([1, 3])
    expect(iso(filters.interval)).toBe('2026-03-02..2026-03-23')
    expect(iso(filters.comparison)).toBe('2026-01-05..2026-02-02')
  })

  it('rejects what it cannot read, naming the parameter', () => {
    const bad = filterParamsSchema.safeParse({ teams: '1;2', from: '2026-02-30', to: '2026-01-01' })
    expect(bad.success).toBe(false)
    const paths = bad.error?.issues.map((issue) => issue.path.join('.')) ?? []
    expect(paths).toEqual(expect.arrayContaining(['teams', 'from']))
    expect(filterParamsSchema.safeParse({ from: '2026-03-01', to: '2026-02-01' }).error?.issues[0]?.path).toEqual(['to'])
  })
})
