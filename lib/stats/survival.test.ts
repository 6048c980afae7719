import { describe, expect, it } from 'vitest'
import { kaplanMeier, kaplanMeierQuantile } from './survival'

describe('Kaplan–Meier', () => {
  // times 3✓ 5✗ 7✓ 7✓ 10✗ 12✓ (✗ = not yet, censored)
  const observations = [
    { time: 3, event: true },
    { time: 5, event: false },
    { time: 7, event: true },
    { time: 7, event: true },
    { time: 10, event: false },
    { time: 12, event: true },
  ]

  it('S(3) = 5/6; the hire censored at 5 leaves 4 at risk; S(7) = 5/6 × (1 − 2/4) = 0.417; S(12) = 0', () => {
    const curve = kaplanMeier(observations)
    expect(curve.map((point) => point.time)).toEqual([3, 7, 12])
    expect(curve[0]?.survival).toBeCloseTo(5 / 6, 12)
    expect(curve[1]?.survival).toBeCloseTo((5 / 6) * 0.5, 12)
    expect(curve[2]?.survival).toBeCloseTo(0, 12)
  })

  it('median: the first time half have had the event = 7 (dropping the censored would give 7 too, but from 4 of 6)', () => {
    expect(kaplanMeierQuantile(observations)).toBe(7)
  })

  it('counts the not-yet-merged instead of dropping them: 2 of 5 merged by day 4, 3 still waiting at day 20 → no median yet', () => {
    const slowCohort = [
      { time: 2, event: true },
      { time: 4, event: true },
      { time: 20, event: false },
      { time: 20, event: false },
      { time: 20, event: false },
    ]
    expect(kaplanMeierQuantile(slowCohort)).toBeNull() // dropping the censored would claim a median of 3 days
  })
})
