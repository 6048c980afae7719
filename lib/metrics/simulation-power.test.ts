// The same simulation with effects built in (lib/metrics/simulation.ts TYPICAL_EFFECTS): how often each primary
// metric's real effect is confirmed (its power), and how often a metric without an effect (the change fail
// rate) or a change in the wrong direction is still claimed.
import { describe, expect, it } from 'vitest'
import { runSimulation, TYPICAL_EFFECTS, wilson } from './simulation'

const ORGANISATIONS = 500

describe('power simulation: organisations with effects of the size platform teams report', () => {
  it(`confirms the primary metrics' real effects and still states a false change on at most 5% of ${ORGANISATIONS} organisations`, () => {
    const result = runSimulation({ count: ORGANISATIONS, firstSeed: 100_001, effects: TYPICAL_EFFECTS })
    const percent = (value: number) => `${(value * 100).toFixed(1)}%`
    const rate = result.withFalseClaim / result.organisations
    const interval = wilson(result.withFalseClaim, result.organisations)
    console.log(
      `false-claim rate ${percent(rate)} (95% interval ${percent(interval.low)}–${percent(interval.high)}) over ${result.organisations} organisations with effects`,
    )
    const power = [...result.primaries].sort(([a], [b]) => (a < b ? -1 : 1))
    console.log(
      `power of each primary metric: ${power.map(([key, { tested, confirmed }]) => `${key} ${percent(confirmed / tested)} (${confirmed}/${tested})`).join(', ')}`,
    )
    expect(rate).toBeLessThanOrEqual(0.05)
    const of = (key: string) => {
      const entry = result.primaries.get(key as never)
      return entry ? entry.confirmed / entry.tested : 0
    }
    // large effects on metrics measured every week are found in most pilots
    expect(of('deployment_frequency')).toBeGreaterThanOrEqual(0.5)
    expect(of('lead_time')).toBeGreaterThanOrEqual(0.5)
    expect(of('dx_score')).toBeGreaterThanOrEqual(0.5)
  }, 600_000)
})
