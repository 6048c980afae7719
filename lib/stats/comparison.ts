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
// Here: those designs (one group before and after, difference-in-differences of independent units and of paired
// weeks). The resampling itself is lib/stats/bootstrap.ts and lib/stats/permutation.ts; what a comparison
// answers (scale, estimate, verdict, minimum sample) is lib/stats/estimate.ts.
import {
  bootstrapEstimate,
  onUniverse,
  percentileInterval,
  resample,
  type BootstrapOptions,
  type Statistic,
} from './bootstrap'
import type { Estimate, Scale } from './estimate'
import { permutationP } from './permutation'

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
