import { describe, expect, it } from 'vitest'
import type { TeamWeek } from '@/lib/domain'
import { teamWeekMetric } from './comparable'
import { compareDid, compareWindows } from './compare'
import { emptyTeamWeek } from './team-weeks'

const week = (deployments: number, leadTimeHours: number[] = []): TeamWeek => ({
  ...emptyTeamWeek(1, '2026-03-02'),
  engineers: 5,
  liveServices: 1,
  deployments,
  leadTimeHours,
})
const weeks = (n: number, deployments: number) => Array.from({ length: n }, (_, i) => week(deployments + (i % 3) - 1))

describe('comparing a metric', () => {
  const frequency = teamWeekMetric('deployment_frequency')

  it('pilot 5 → 6.5 deployments per service-week (one service each), control 5 → 5: +30%, improved', () => {
    const result = compareDid(
      frequency,
      {
        pilotBaseline: weeks(12, 5),
        pilotEvaluation: weeks(12, 6.5),
        controlBaseline: weeks(12, 5),
        controlEvaluation: weeks(12, 5),
      },
      1,
    )
    expect(result.figures.pilotEvaluation).toEqual({ value: 6.5, sample: '12 service-weeks' })
    expect(result.outcome.state).toBe('estimate')
    if (result.outcome.state !== 'estimate') return
    expect(result.outcome.estimate.value).toBeCloseTo(0.3, 9)
    expect(result.outcome.verdict).toBe('improved')
  })

  it('says not enough data, naming the cell, when the control evaluation has 6 team-weeks (8 needed)', () => {
    const result = compareDid(
      frequency,
      {
        pilotBaseline: weeks(12, 5),
        pilotEvaluation: weeks(12, 6),
        controlBaseline: weeks(12, 5),
        controlEvaluation: weeks(6, 5),
      },
      1,
    )
    expect(result.outcome).toEqual({
      state: 'not_enough_data',
      reason: 'The control teams’ evaluation window has 6 team-weeks; at least 8 team-weeks are needed',
    })
  })

  it('lead time needs 30 changes per cell, counted across team-weeks: 10 weeks × 2 = 20 is not enough', () => {
    const thin = Array.from({ length: 10 }, () => week(3, [20, 40]))
    const result = compareWindows(teamWeekMetric('lead_time'), { baseline: thin, evaluation: thin }, 1)
    expect(result.outcome).toEqual({
      state: 'not_enough_data',
      reason: 'The comparison window has 20 changes; at least 30 changes are needed',
    })
    expect(result.figures.baseline).toEqual({ value: 30, sample: '20 changes' })
  })
})
