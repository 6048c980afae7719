// What it would take to confirm an effect that is not confirmed yet: the smallest effect the sample detects,
// and how much more data (weeks after the launch, or more data overall) the observed effect would need.
import { sensitivity, type ClaimDecision } from '@/lib/stats/claims'

export interface StillNeeded {
  /** The smallest effect the current sample detects with 80% power at the level this metric faces. */
  minimumDetectable: number
  level: number
  /** "about 14 more weeks after the launch", or more data overall; null when out of reach (see `note`). */
  more: string | null
  /** Why `more` is null, or a caveat. */
  note: string | null
  /** The same in a few words, for the one-pager: "≈14 more weeks after launch", "≈9.8× today's data". */
  brief: string
}

/** Units per cell that the "more data" arithmetic scales (calendar weeks, or clusters), and how to say more of them. */
export interface SampleUnits {
  baseline: number[]
  evaluation: number[]
  after: (n: number) => string
  overall: (n: number, factor: number) => string
}

/** How to say "more of these units" after the launch, and overall (a longer baseline counts too). */
export const more = (one: string, many: string, where: string) => ({
  after: (n: number) => `about ${n} more ${n === 1 ? one : many} ${where} after the launch`,
  overall: (n: number, factor: number) =>
    `about ${factor.toFixed(1)}× today’s data: ${n} more ${n === 1 ? one : many} ${where}, before and after the launch together`,
})

/** More than this many times the evaluation sample is reported as out of reach. */
const OUT_OF_REACH = 10

export function stillNeeded(
  estimate: { value: number; low: number; high: number },
  claim: ClaimDecision,
  units: SampleUnits,
): StillNeeded {
  const level = claim.level ?? 0.05
  const { minimumDetectable, evaluationFactor, overallFactor } = sensitivity(estimate, level, units)
  const after = units.evaluation.reduce((sum, n) => sum + n, 0)
  const all = after + units.baseline.reduce((sum, n) => sum + n, 0)
  const base = { minimumDetectable, level }
  if (overallFactor === null)
    return {
      ...base,
      more: null,
      note: 'the observed effect is zero: no amount of data would confirm it',
      brief: 'never at this effect (zero)',
    }
  if (overallFactor <= 1)
    return {
      ...base,
      more: null,
      note: 'the sample is about large enough: the estimate sits near the line, and a few more weeks will settle it',
      brief: 'a few more weeks',
    }
  if (evaluationFactor !== null && evaluationFactor <= OUT_OF_REACH) {
    const n = Math.ceil(after * (evaluationFactor - 1))
    return { ...base, more: units.after(n), note: null, brief: units.after(n).replace(/^about /, '≈') }
  }
  if (overallFactor <= OUT_OF_REACH) {
    return {
      ...base,
      more: units.overall(Math.ceil(all * (overallFactor - 1)), overallFactor),
      note: null,
      brief: `≈${overallFactor.toFixed(1)}× today’s data`,
    }
  }
  return {
    ...base,
    more: null,
    note: `an effect this small would need more than ${OUT_OF_REACH}× today’s data`,
    brief: `out of reach (over ${OUT_OF_REACH}× today’s data)`,
  }
}
