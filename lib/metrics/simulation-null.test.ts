// The null simulation: 500 organisations where the portal changed nothing, each judged as the one-pager judges
// a real one. Any confirmed claim on such an organisation is false; the share of organisations with one is the
// false-claim rate the family-wise rule (lib/stats/claims.ts) must hold at 5% or below.
import { describe, expect, it } from 'vitest'
import { NO_EFFECTS, runSimulation, wilson } from './simulation'

const ORGANISATIONS = 500

describe('null simulation: organisations with no effect at all', () => {
  it(`states a false change on at most 5% of ${ORGANISATIONS} organisations`, () => {
    const result = runSimulation({ count: ORGANISATIONS, firstSeed: 1, effects: NO_EFFECTS })
    const rate = result.withFalseClaim / result.organisations
    const interval = wilson(result.withFalseClaim, result.organisations)
    const percent = (value: number) => `${(value * 100).toFixed(1)}%`
    console.log(
      `false-claim rate ${percent(rate)} (95% interval ${percent(interval.low)}–${percent(interval.high)}) over ${result.organisations} organisations`,
    )
    console.log(`claims made (all false): ${[...result.claims].map(([key, n]) => `${key} ${n}`).join(', ') || 'none'}`)
    expect(result.organisations).toBe(ORGANISATIONS)
    expect(rate).toBeLessThanOrEqual(0.05)
  }, 600_000)
})
