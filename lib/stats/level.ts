// One group's level (not a change): the statistic of its clusters with a percentile bootstrap interval. The
// resampling unit is what is independent, as in lib/stats/comparison.ts: a calendar week of team-weeks (its
// pull requests share reviewers, release trains and incidents), or one hire, respondent or new service. Each
// unit is a list of clusters, drawn whole. Pure and seeded: the same data and seed give the same interval.
import { DEFAULT_REPLICATES, type BootstrapOptions, type Statistic } from './bootstrap'
import { seededDraw } from './random'
import { quantileInPlace } from './summary'

export interface LevelInterval {
  /** The statistic of every cluster. */
  value: number
  low: number
  high: number
  /** The interval's confidence level, e.g. 0.975. */
  confidence: number
  /** The resamples in which the statistic was defined. */
  replicates: number
}

/**
 * The level of `units`' clusters with its interval, or null when it is undefined, or undefined in more than a
 * tenth of the resamples (too thin to say: the rule lib/stats/bootstrap.ts applies to a change).
 */
export function levelInterval<C>(
  units: readonly (readonly C[])[],
  statistic: Statistic<C>,
  options: BootstrapOptions,
): LevelInterval | null {
  const universe = units.flat()
  const point = statistic(universe)
  if (point === null || !Number.isFinite(point) || units.length === 0) return null
  const replicates = options.replicates ?? DEFAULT_REPLICATES
  const confidence = options.confidence ?? 0.95
  const draw = seededDraw(options.seed)
  // where the statistic has a weighted form, a resample is counted straight into one count per cluster
  const weighted = statistic.weighted?.(universe)
  const offsets: number[] = []
  let at = 0
  for (const unit of units) {
    offsets.push(at)
    at += unit.length
  }
  const counts = new Int32Array(universe.length)
  const group: C[] = []
  const draws = new Float64Array(replicates)
  let defined = 0
  for (let r = 0; r < replicates; r++) {
    counts.fill(0)
    group.length = 0
    for (let i = 0; i < units.length; i++) {
      const u = Math.floor(draw() * units.length)
      const unit = units[u] as readonly C[]
      if (weighted) {
        const offset = offsets[u] as number
        for (let c = 0; c < unit.length; c++) counts[offset + c] = (counts[offset + c] as number) + 1
      } else group.push(...unit)
    }
    const value = weighted ? weighted(counts) : statistic(group)
    if (value !== null && Number.isFinite(value)) draws[defined++] = value
  }
  if (defined < 0.9 * replicates) return null
  const alpha = 1 - confidence
  const sorted = draws.subarray(0, defined).sort()
  return {
    value: point,
    // type 7, as the change intervals read theirs (the draws are sorted, so selection is a lookup)
    low: quantileInPlace(sorted, alpha / 2),
    high: quantileInPlace(sorted, 1 - alpha / 2),
    confidence,
    replicates: defined,
  }
}
