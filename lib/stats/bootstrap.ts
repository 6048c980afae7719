// The stratified cluster bootstrap the comparisons run on (lib/stats/comparison.ts says what is resampled):
// statistics of groups of clusters, with their weighted form, and the percentile interval, bootstrap p-value and
// small-sample t guard read off seeded replicates.
import type { Estimate, Scale } from './estimate'
import { seededDraw, type Draw } from './random'
import { studentTwoSidedP } from './student-t'

/** A statistic of a group of clusters; null where it is undefined (no values, a zero denominator). */
export type Statistic<C> = ((clusters: readonly C[]) => number | null) & {
  /**
   * The same statistic, prepared once for groups drawn from `universe`: it takes how many times the group holds
   * each of the universe's clusters (by index). The bootstrap and the permutation test evaluate thousands of
   * such groups; this lets a median of a million pooled values cost a few binary searches instead of a
   * selection over all of them. Optional: statistics without it are called on the groups themselves.
   */
  weighted?: (universe: readonly C[]) => (counts: Int32Array) => number | null
}

/**
 * `statistic`, for groups made of `universe`'s clusters (resamples, permutations): where it has a weighted
 * form, a group is reduced to its count of each cluster and that form is called; equal results, faster. A
 * group holding a cluster from outside the universe is passed to `statistic` itself.
 */
export function onUniverse<C>(
  statistic: Statistic<C>,
  universe: readonly C[],
  prepared = statistic.weighted?.(universe),
): Statistic<C> {
  if (!prepared) return statistic
  const weighted = prepared
  const index = new Map<C, number>()
  universe.forEach((cluster, i) => {
    if (!index.has(cluster)) index.set(cluster, i)
  })
  const counts = new Int32Array(universe.length)
  return (clusters) => {
    counts.fill(0)
    for (const cluster of clusters) {
      const i = index.get(cluster)
      if (i === undefined) return statistic(clusters)
      counts[i] = (counts[i] as number) + 1
    }
    return weighted(counts)
  }
}

export interface BootstrapOptions {
  seed: number
  replicates?: number
  confidence?: number
}

export const DEFAULT_REPLICATES = 1000

/**
 * Stratified cluster bootstrap of `combine(statistic(cell) for each cell)`: resamples every cell's clusters
 * independently, keeps the draws where everything is defined, and reads the percentile interval. Null when
 * the point estimate is undefined or more than a tenth of the draws are (the data are too thin to say).
 */
export function bootstrapEstimate<C>(
  cells: readonly (readonly C[])[],
  statistic: Statistic<C>,
  combine: (values: number[]) => number | null,
  scale: Scale,
  options: BootstrapOptions,
  prepared = statistic.weighted?.(cells.flat()),
): Estimate | null {
  const df = Math.min(...cells.map((cell) => cell.length)) - 1
  const stats = Array.from<number>({ length: cells.length })
  if (prepared) {
    // Each cell's clusters are a block of the universe (cells.flat()), so a resample is counted straight into
    // the cell's count array by index: the same draws as `resample`, without building the resampled group or
    // looking each cluster up again. `prepared` is the statistic's weighted form for that universe.
    const weighted = prepared
    const size = cells.reduce((n, cell) => n + cell.length, 0)
    const offsets = cells.map((_, c) => cells.slice(0, c).reduce((n, cell) => n + cell.length, 0))
    const counts = cells.map(() => new Int32Array(size))
    const evaluate = () => {
      for (let c = 0; c < cells.length; c++) {
        const result = weighted(counts[c] as Int32Array)
        if (result === null) return null
        stats[c] = result
      }
      return combine(stats)
    }
    cells.forEach((cell, c) => (counts[c] as Int32Array).fill(1, offsets[c], (offsets[c] as number) + cell.length))
    const point = evaluate()
    return percentileInterval(
      point,
      (draw) => {
        for (let c = 0; c < cells.length; c++) {
          const target = counts[c] as Int32Array
          const offset = offsets[c] as number
          const n = (cells[c] as readonly C[]).length
          target.fill(0)
          for (let i = 0; i < n; i++) {
            const at = offset + Math.floor(draw() * n)
            target[at] = (target[at] as number) + 1
          }
        }
        return evaluate()
      },
      scale,
      options,
      df,
    )
  }
  const buffers = cells.map((cell) => Array.from<C>({ length: cell.length }))
  const evaluate = (groups: readonly (readonly C[])[]) => {
    for (let c = 0; c < groups.length; c++) {
      const result = statistic(groups[c] as readonly C[])
      if (result === null) return null
      stats[c] = result
    }
    return combine(stats)
  }
  return percentileInterval(
    evaluate(cells),
    (draw) => evaluate(cells.map((cell, c) => resample(cell, draw, buffers[c] as C[]))),
    scale,
    options,
    df,
  )
}

/** Runs the replicates and reads the percentile interval and the bootstrap p-value for "no effect". */
export function percentileInterval(
  point: number | null,
  replicate: (draw: Draw) => number | null,
  scale: Scale,
  options: BootstrapOptions,
  df: number,
): Estimate | null {
  if (point === null || !Number.isFinite(point)) return null
  const replicates = options.replicates ?? DEFAULT_REPLICATES
  const alpha = 1 - (options.confidence ?? 0.95)
  const draw = seededDraw(options.seed)
  const draws: number[] = []
  for (let r = 0; r < replicates; r++) {
    const value = replicate(draw)
    if (value !== null && Number.isFinite(value)) draws.push(value)
  }
  if (draws.length < 0.9 * replicates) return null
  draws.sort((a, b) => a - b)
  const at = (q: number) => {
    const position = q * (draws.length - 1)
    const lower = Math.floor(position)
    const upper = Math.min(draws.length - 1, lower + 1)
    return (draws[lower] as number) + (position - lower) * ((draws[upper] as number) - (draws[lower] as number))
  }
  let atOrBelow = 0
  let atOrAbove = 0
  for (const d of draws) {
    if (d <= 0) atOrBelow++
    if (d >= 0) atOrAbove++
  }
  const p = Math.min(1, (2 * Math.min(atOrBelow, atOrAbove) + 1) / (draws.length + 1))
  const mean = draws.reduce((sum, d) => sum + d, 0) / draws.length
  const sd = Math.sqrt(draws.reduce((sum, d) => sum + (d - mean) ** 2, 0) / Math.max(1, draws.length - 1))
  const tP = sd > 0 ? studentTwoSidedP(point / sd, df) : point === 0 ? 1 : 0
  return {
    value: point,
    low: at(alpha / 2),
    high: at(1 - alpha / 2),
    p,
    permutationP: null,
    tP,
    df,
    scale,
    replicates: draws.length,
  }
}

export function resample<C>(clusters: readonly C[], draw: Draw, out: C[]): C[] {
  const n = clusters.length
  for (let i = 0; i < n; i++) out[i] = clusters[Math.floor(draw() * n)] as C
  return out
}
