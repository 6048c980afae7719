// What a comparison answers: the estimate of an effect with its interval and p-values, the plain verdict the
// interval supports, or the reason there is none (a cell short of data).
//
// Scales. "absolute": the difference in the metric's unit (minutes, days, percentage points).
// "relative": a ratio minus one (+0.30 = 30% more), for rates and durations whose size scales with
// seasons and team size, where the ratio is what stays comparable.
export type Scale = 'absolute' | 'relative'
export type Better = 'higher' | 'lower'
export type Verdict = 'improved' | 'worsened' | 'no_clear_change'

export interface Estimate {
  /** The point estimate on `scale`. */
  value: number
  /** The confidence interval (95% unless asked otherwise). */
  low: number
  high: number
  /** Two-sided bootstrap p-value for "no effect". */
  p: number
  /**
   * Two-sided permutation p-value, where the design allows one: whole weeks shuffled between the windows
   * (see permutationP). Null for comparisons of independent units between groups.
   */
  permutationP: number | null
  /**
   * Two-sided p-value of the estimate ÷ the bootstrap's standard deviation against Student's t with `df`
   * degrees of freedom (the fewest clusters in a cell, minus one): the small-sample guard claims use beside
   * the percentile p-value (lib/stats/student-t.ts says why).
   */
  tP: number
  df: number
  scale: Scale
  replicates: number
}

/** Improved or worsened only when the whole interval is on one side of "no change". */
export function verdictOf(estimate: Pick<Estimate, 'low' | 'high'>, better: Better): Verdict {
  if (estimate.low > 0) return better === 'higher' ? 'improved' : 'worsened'
  if (estimate.high < 0) return better === 'higher' ? 'worsened' : 'improved'
  return 'no_clear_change'
}

/** How much data a comparison needs in every cell before it says anything. */
export interface SampleRule<C> {
  /** What is counted, e.g. clusters.length, or the number of values inside them. */
  count: (clusters: readonly C[]) => number
  minimum: number
  /** The counted thing, with its number: (n) => `${n} hires`. */
  noun: (n: number) => string
}

/** The reason a comparison cannot be made, naming the first cell that is short of data; null when all are enough. */
export function shortfall<C>(
  cells: { label: string; clusters: readonly C[] }[],
  rules: readonly SampleRule<C>[],
): string | null {
  for (const rule of rules) {
    for (const cell of cells) {
      const n = rule.count(cell.clusters)
      if (n < rule.minimum) return `${cell.label} has ${rule.noun(n)}; at least ${rule.noun(rule.minimum)} are needed`
    }
  }
  return null
}
