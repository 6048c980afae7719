// Comparisons that hold up: an effect estimate with a 95% bootstrap interval, a p-value and a plain verdict.
//
// Resampling unit. Observations are grouped in clusters (a team's week of pull requests, one hire, one
// survey respondent) and the bootstrap draws whole clusters, with replacement. Pull requests of one team in
// one week share that week's reviewers, release train and incidents, so they are not independent:
// resampling them one by one gives intervals that are too narrow (lib/stats/comparison.test.ts measures
// it). For metrics of team-weeks the unit is the calendar week, pilot and control together
// (pairedDifferenceInDifferences): that also cancels the shocks both groups share. Hires, respondents and
// new services are independent units, resampled separately in each cell (differenceInDifferences).
//
// Scales. "absolute": the difference in the metric's unit (minutes, days, percentage points).
// "relative": a ratio minus one (+0.30 = 30% more), for rates and durations whose size scales with
// seasons and team size, where the ratio is what stays comparable.
import { seededDraw, type Draw } from './random'
import { studentTwoSidedP } from './student-t'

export type Scale = 'absolute' | 'relative'
export type Better = 'higher' | 'lower'
export type Verdict = 'improved' | 'worsened' | 'no_clear_change'

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
function onUniverse<C>(
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

export interface BootstrapOptions {
  seed: number
  replicates?: number
  confidence?: number
}

const DEFAULT_REPLICATES = 1000

/** Change from `before` to `after` on a scale; null when undefined. */
function changeOn(scale: Scale, before: number, after: number): number | null {
  if (scale === 'absolute') return after - before
  return before > 0 ? after / before - 1 : null
}

/** (pilot after − before) − (control after − before), or the ratio of the two ratios minus one. */
function didOn(
  scale: Scale,
  pilotBefore: number,
  pilotAfter: number,
  controlBefore: number,
  controlAfter: number,
): number | null {
  if (scale === 'absolute') return pilotAfter - pilotBefore - (controlAfter - controlBefore)
  if (pilotBefore <= 0 || controlBefore <= 0 || controlAfter <= 0) return null
  return pilotAfter / pilotBefore / (controlAfter / controlBefore) - 1
}

/**
 * Stratified cluster bootstrap of `combine(statistic(cell) for each cell)`: resamples every cell's clusters
 * independently, keeps the draws where everything is defined, and reads the percentile interval. Null when
 * the point estimate is undefined or more than a tenth of the draws are (the data are too thin to say).
 */
function bootstrapEstimate<C>(
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
function percentileInterval(
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

/**
 * Permutation test for "the window makes no difference": shuffles whole units (weeks) between the two
 * windows, keeping each window's size, and counts how often a shuffled difference is at least as far from 0
 * as the observed one. Units are kept whole, so dependence inside a week does not inflate significance (a
 * rank test on single pull requests would). Two-sided, with the observed arrangement counted once.
 */
export function permutationP<U>(
  windows: { baseline: readonly U[]; evaluation: readonly U[] },
  difference: (baseline: readonly U[], evaluation: readonly U[]) => number | null,
  options: { seed: number; permutations?: number },
): number | null {
  const observed = difference(windows.baseline, windows.evaluation)
  if (observed === null || !Number.isFinite(observed)) return null
  const pool = [...windows.baseline, ...windows.evaluation]
  const split = windows.baseline.length
  const draw = seededDraw(options.seed ^ 0x5bd1e995)
  const permutations = options.permutations ?? DEFAULT_REPLICATES
  let extreme = 0
  let counted = 0
  for (let r = 0; r < permutations; r++) {
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(draw() * (i + 1))
      const swap = pool[i] as U
      pool[i] = pool[j] as U
      pool[j] = swap
    }
    const shuffled = difference(pool.slice(0, split), pool.slice(split))
    if (shuffled === null || !Number.isFinite(shuffled)) continue
    counted++
    if (Math.abs(shuffled) >= Math.abs(observed) - 1e-12) extreme++
  }
  return counted === 0 ? null : (extreme + 1) / (counted + 1)
}

function resample<C>(clusters: readonly C[], draw: Draw, out: C[]): C[] {
  const n = clusters.length
  for (let i = 0; i < n; i++) out[i] = clusters[Math.floor(draw() * n)] as C
  return out
}

export interface DidCells<C> {
  pilotBaseline: readonly C[]
  pilotEvaluation: readonly C[]
  controlBaseline: readonly C[]
  controlEvaluation: readonly C[]
}

/** Pilot vs control, evaluation vs baseline: the effect the pilot had beyond what changed for everyone. */
export function differenceInDifferences<C>(
  cells: DidCells<C>,
  statistic: Statistic<C>,
  scale: Scale,
  options: BootstrapOptions,
): Estimate | null {
  return bootstrapEstimate(
    [cells.pilotBaseline, cells.pilotEvaluation, cells.controlBaseline, cells.controlEvaluation],
    statistic,
    ([pb, pe, cb, ce]) => didOn(scale, pb as number, pe as number, cb as number, ce as number),
    scale,
    options,
  )
}

/** One group, evaluation vs baseline; the clusters are the resampling and permutation units (weeks). */
export function beforeAfter<C>(
  cells: { baseline: readonly C[]; evaluation: readonly C[] },
  slow: Statistic<C>,
  scale: Scale,
  options: BootstrapOptions,
): Estimate | null {
  // one preparation of the weighted form, shared by the bootstrap and the permutation test
  const universe = [...cells.baseline, ...cells.evaluation]
  const prepared = slow.weighted?.(universe)
  const statistic = onUniverse(slow, universe, prepared)
  const change = (baseline: readonly C[], evaluation: readonly C[]) => {
    const [before, after] = [statistic(baseline), statistic(evaluation)]
    return before === null || after === null ? null : changeOn(scale, before, after)
  }
  const estimate = bootstrapEstimate(
    [cells.baseline, cells.evaluation],
    slow,
    ([before, after]) => changeOn(scale, before as number, after as number),
    scale,
    options,
    prepared,
  )
  return (
    estimate && {
      ...estimate,
      permutationP: permutationP(cells, change, { seed: options.seed, permutations: options.replicates }),
    }
  )
}

/** One calendar week of both groups' clusters (e.g. the pilot teams' and the control teams' team-weeks). */
export interface PairedWeek<C> {
  pilot: readonly C[]
  control: readonly C[]
}

/**
 * Difference-in-differences resampling whole calendar weeks, pilot and control together. Pilot and control
 * teams live through the same weeks: a holiday, a slow August, an organisation-wide outage hit both. Drawing
 * weeks jointly keeps those shared shocks on both sides of every replicate, where they cancel, instead of
 * counting them as noise; what stays random is what differs between weeks and between the groups within a
 * week. Weeks are resampled within their own window (baseline, evaluation).
 */
export function pairedDifferenceInDifferences<C>(
  windows: { baseline: readonly PairedWeek<C>[]; evaluation: readonly PairedWeek<C>[] },
  slow: Statistic<C>,
  scale: Scale,
  options: BootstrapOptions,
): Estimate | null {
  const evaluate = pairedEvaluator([...windows.baseline, ...windows.evaluation], slow, scale)
  const baselineBuffer = Array.from<PairedWeek<C>>({ length: windows.baseline.length })
  const evaluationBuffer = Array.from<PairedWeek<C>>({ length: windows.evaluation.length })
  const estimate = percentileInterval(
    evaluate(windows.baseline, windows.evaluation),
    (draw) =>
      evaluate(resample(windows.baseline, draw, baselineBuffer), resample(windows.evaluation, draw, evaluationBuffer)),
    scale,
    options,
    Math.min(windows.baseline.length, windows.evaluation.length) - 1,
  )
  // Without an effect, the pilot-minus-control gap does not depend on the window: weeks (each with both
  // groups) can be shuffled between baseline and evaluation.
  return (
    estimate && {
      ...estimate,
      permutationP: permutationP(windows, evaluate, { seed: options.seed, permutations: options.replicates }),
    }
  )
}

/**
 * The difference-in-differences of groups of paired weeks. With a weighted statistic, each week's clusters
 * are known by their index in their group's universe, so a resampled or permuted arrangement is counted straight into
 * four count arrays (pilot and control, before and after): no flattening, no lookups, in the loop that runs
 * two thousand times per metric.
 */
function pairedEvaluator<C>(weeks: readonly PairedWeek<C>[], slow: Statistic<C>, scale: Scale) {
  if (!slow.weighted) {
    const flatten = (list: readonly PairedWeek<C>[], side: 'pilot' | 'control') => list.flatMap((week) => week[side])
    return (baseline: readonly PairedWeek<C>[], evaluation: readonly PairedWeek<C>[]) => {
      const values = [
        flatten(baseline, 'pilot'),
        flatten(evaluation, 'pilot'),
        flatten(baseline, 'control'),
        flatten(evaluation, 'control'),
      ].map(slow)
      if (values.some((value) => value === null)) return null
      const [pb, pe, cb, ce] = values as number[]
      return didOn(scale, pb as number, pe as number, cb as number, ce as number)
    }
  }
  // One weighted statistic per group, over that group's clusters only: a pilot cell never holds a control
  // cluster (resampling and shuffling move whole weeks, each side staying on its side), so each evaluation
  // looks at half the values it would over both groups together.
  const pilotWeighted = slow.weighted(weeks.flatMap((week) => week.pilot))
  const controlWeighted = slow.weighted(weeks.flatMap((week) => week.control))
  const indices = new Map<PairedWeek<C>, { pilot: Int32Array; control: Int32Array }>()
  let pilotAt = 0
  let controlAt = 0
  for (const week of weeks) {
    const pilot = Int32Array.from(week.pilot, () => pilotAt++)
    const control = Int32Array.from(week.control, () => controlAt++)
    if (!indices.has(week)) indices.set(week, { pilot, control })
  }
  const [pbCounts, peCounts] = [0, 1].map(() => new Int32Array(pilotAt)) as [Int32Array, Int32Array]
  const [cbCounts, ceCounts] = [0, 1].map(() => new Int32Array(controlAt)) as [Int32Array, Int32Array]
  const fill = (target: Int32Array, list: readonly PairedWeek<C>[], side: 'pilot' | 'control') => {
    target.fill(0)
    for (const week of list) {
      const own = indices.get(week)?.[side]
      if (!own) return false
      for (let i = 0; i < own.length; i++) target[own[i] as number] = (target[own[i] as number] as number) + 1
    }
    return true
  }
  return (baseline: readonly PairedWeek<C>[], evaluation: readonly PairedWeek<C>[]) => {
    if (
      !(
        fill(pbCounts, baseline, 'pilot') &&
        fill(peCounts, evaluation, 'pilot') &&
        fill(cbCounts, baseline, 'control') &&
        fill(ceCounts, evaluation, 'control')
      )
    ) {
      throw new Error('pairedEvaluator: a week from outside the comparison')
    }
    const pb = pilotWeighted(pbCounts)
    const pe = pb === null ? null : pilotWeighted(peCounts)
    const cb = pe === null ? null : controlWeighted(cbCounts)
    const ce = cb === null ? null : controlWeighted(ceCounts)
    return ce === null ? null : didOn(scale, pb as number, pe as number, cb as number, ce as number)
  }
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
