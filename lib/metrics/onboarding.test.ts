import { describe, expect, it } from 'vitest'
import { daysToNthMerge, hireCohorts, onboardingSummary, type Hire } from './onboarding'

const day = (n: number) => new Date(Date.UTC(2026, 0, 5) + n * 86_400_000) // days after Mon 5 Jan 2026
const hire = (personId: number, start: number, merges: number[]): Hire => ({
  personId,
  teamId: 1,
  startDate: day(start),
  mergedAt: merges.map(day),
})
const asOf = day(40)

describe('onboarding', () => {
  it('days to first merge: started day 0, merged day 12 → 12; not merged by day 40 → censored at 40', () => {
    expect(daysToNthMerge(hire(1, 0, [12, 15]), 1, asOf)).toEqual({ time: 12, event: true })
    expect(daysToNthMerge(hire(2, 0, []), 1, asOf)).toEqual({ time: 40, event: false })
    expect(daysToNthMerge(hire(3, 10, [13]), 10, asOf)).toEqual({ time: 30, event: false }) // 1 merge, not 10, by day 40
  })

  it('a merge after "as of" has not happened yet', () => {
    expect(daysToNthMerge(hire(1, 0, [45]), 1, asOf)).toEqual({ time: 40, event: false })
  })

  it('cohort of 6: merges on days 4, 5, 9, 14, 30 and one not yet (censored at 40) → median 9 days, 5 reached, 1 not yet', () => {
    const hires = [
      hire(1, 0, [4]),
      hire(2, 0, [5]),
      hire(3, 0, [9]),
      hire(4, 0, [14]),
      hire(5, 0, [30]),
      hire(6, 0, []),
    ]
    expect(onboardingSummary(hires, 1, asOf)).toEqual({
      withheld: false,
      hires: 6,
      reached: 5,
      notYet: 1,
      medianDays: 9,
    })
  })

  it('withholds a cohort of 4: one person’s pace would show', () => {
    const summary = onboardingSummary([hire(1, 0, [4]), hire(2, 0, [5]), hire(3, 0, [9]), hire(4, 0, [14])], 1, asOf)
    expect(summary).toMatchObject({ withheld: true, hires: 4 })
  })

  it('groups by the month of the start date', () => {
    const cohorts = hireCohorts([hire(1, 0, []), hire(2, 30, []), hire(3, 3, [])])
    expect(cohorts.map((cohort) => [cohort.month, cohort.hires.length])).toEqual([
      ['2026-01', 2],
      ['2026-02', 1],
    ])
  })
})
