// A metric compared between cells: the figure in each cell, and the estimate with its interval and verdict,
// or the reason there is not enough data to say. Pure: read models fetch the clusters and call these.
import {
  beforeAfter,
  differenceInDifferences,
  pairedDifferenceInDifferences,
  shortfall,
  verdictOf,
  type DidCells,
  type Estimate,
  type PairedWeek,
  type SampleRule,
  type Statistic,
  type Verdict,
} from '../stats/comparison'
import type { ComparableMetric } from './comparable'

export type Outcome =
  | { state: 'estimate'; estimate: Estimate; verdict: Verdict }
  | { state: 'not_enough_data'; reason: string }

export interface CellFigure {
  value: number | null
  /** The sample it is of, in words: "412 changes". */
  sample: string
}

interface MetricLike<C> {
  statistic: Statistic<C>
  rules: SampleRule<C>[]
  scale: ComparableMetric['scale']
  better: ComparableMetric['better']
}

function figure<C>(metric: MetricLike<C>, clusters: readonly C[]): CellFigure {
  const rule = metric.rules[metric.rules.length - 1] as SampleRule<C>
  return { value: metric.statistic(clusters), sample: rule.noun(rule.count(clusters)) }
}

const UNDEFINED = 'the figure cannot be computed in too many resamples of this data'

/** Pilot vs control, evaluation vs baseline, for independent units (hires, respondents, new services). */
export function compareDid<C>(metric: MetricLike<C>, cells: DidCells<C>, seed: number, replicates?: number) {
  return judge(metric, cells, () => differenceInDifferences(cells, metric.statistic, metric.scale, { seed, replicates }))
}

/** Pilot vs control, evaluation vs baseline, for team-weeks: resampled by calendar week (see lib/stats/comparison.ts). */
export function comparePairedDid<C>(metric: MetricLike<C>, weeks: { baseline: readonly PairedWeek<C>[]; evaluation: readonly PairedWeek<C>[] }, seed: number, replicates?: number) {
  const cells: DidCells<C> = {
    pilotBaseline: weeks.baseline.flatMap((week) => week.pilot),
    pilotEvaluation: weeks.evaluation.flatMap((week) => week.pilot),
    controlBaseline: weeks.baseline.flatMap((week) => week.control),
    controlEvaluation: weeks.evaluation.flatMap((week) => week.control),
  }
  return judge(metric, cells, () => pairedDifferenceInDifferences(weeks, metric.statistic, metric.scale, { seed, replicates }))
}

function judge<C>(metric: MetricLike<C>, cells: DidCells<C>, estimateOf: () => Estimate | null) {
  const labelled = [
    { label: 'The pilot teams’ baseline', clusters: cells.pilotBaseline },
    { label: 'The pilot teams’ evaluation window', clusters: cells.pilotEvaluation },
    { label: 'The control teams’ baseline', clusters: cells.controlBaseline },
    { label: 'The control teams’ evaluation window', clusters: cells.controlEvaluation },
  ]
  const figures = {
    pilotBaseline: figure(metric, cells.pilotBaseline),
    pilotEvaluation: figure(metric, cells.pilotEvaluation),
    controlBaseline: figure(metric, cells.controlBaseline),
    controlEvaluation: figure(metric, cells.controlEvaluation),
  }
  const short = shortfall(labelled, metric.rules)
  if (short) return { figures, outcome: { state: 'not_enough_data', reason: short } satisfies Outcome }
  const estimate = estimateOf()
  const outcome: Outcome = estimate ? { state: 'estimate', estimate, verdict: verdictOf(estimate, metric.better) } : { state: 'not_enough_data', reason: UNDEFINED }
  return { figures, outcome }
}

/** One group, a comparison window (before) against the window of interest (after). */
export function compareWindows<C>(metric: MetricLike<C>, cells: { baseline: readonly C[]; evaluation: readonly C[] }, seed: number, replicates?: number) {
  const figures = { baseline: figure(metric, cells.baseline), evaluation: figure(metric, cells.evaluation) }
  const short = shortfall(
    [
      { label: 'The comparison window', clusters: cells.baseline },
      { label: 'The selected window', clusters: cells.evaluation },
    ],
    metric.rules,
  )
  if (short) return { figures, outcome: { state: 'not_enough_data', reason: short } satisfies Outcome }
  const estimate = beforeAfter(cells, metric.statistic, metric.scale, { seed, replicates })
  const outcome: Outcome = estimate ? { state: 'estimate', estimate, verdict: verdictOf(estimate, metric.better) } : { state: 'not_enough_data', reason: UNDEFINED }
  return { figures, outcome }
}
