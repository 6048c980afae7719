// A metric compared between cells: the figure in each cell, and the estimate with its interval and verdict,
// or the reason there is not enough data to say. Pure: read models fetch the clusters and call these.
import type { Statistic } from '@/lib/stats/bootstrap'
import {
  beforeAfter,
  differenceInDifferences,
  pairedDifferenceInDifferences,
  type DidCells,
  type PairedWeek,
} from '@/lib/stats/comparison'
import { shortfall, verdictOf, type Estimate, type SampleRule, type Verdict } from '@/lib/stats/estimate'
import type { ComparableMetric } from './comparable'
import { controlClaims } from '@/lib/stats/claims'

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
  return judge(metric, cells, () =>
    differenceInDifferences(cells, metric.statistic, metric.scale, { seed, replicates }),
  )
}

/** Pilot vs control, evaluation vs baseline, for team-weeks: resampled by calendar week (see lib/stats/comparison.ts). */
export function comparePairedDid<C>(
  metric: MetricLike<C>,
  weeks: { baseline: readonly PairedWeek<C>[]; evaluation: readonly PairedWeek<C>[] },
  seed: number,
  replicates?: number,
) {
  const cells: DidCells<C> = {
    pilotBaseline: weeks.baseline.flatMap((week) => week.pilot),
    pilotEvaluation: weeks.evaluation.flatMap((week) => week.pilot),
    controlBaseline: weeks.baseline.flatMap((week) => week.control),
    controlEvaluation: weeks.evaluation.flatMap((week) => week.control),
  }
  return judge(metric, cells, () =>
    pairedDifferenceInDifferences(weeks, metric.statistic, metric.scale, { seed, replicates }),
  )
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
  const outcome: Outcome = estimate
    ? { state: 'estimate', estimate, verdict: verdictOf(estimate, metric.better) }
    : { state: 'not_enough_data', reason: UNDEFINED }
  return { figures, outcome }
}

/** One group, a comparison window (before) against the window of interest (after). */
export function compareWindows<C>(
  metric: MetricLike<C>,
  cells: { baseline: readonly C[]; evaluation: readonly C[] },
  seed: number,
  replicates?: number,
) {
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
  const outcome: Outcome = estimate
    ? { state: 'estimate', estimate, verdict: verdictOf(estimate, metric.better) }
    : { state: 'not_enough_data', reason: UNDEFINED }
  return { figures, outcome }
}

/**
 * The p-value a claim is tested with: the largest of the bootstrap's percentile p-value, the week permutation
 * test's (team-week metrics) and the studentized one against Student's t (few clusters). Each is a valid test
 * on its own, so their maximum is too; together they guard against the percentile bootstrap's optimism with
 * few weeks, hires or respondents (measured on the null simulation: 6–9% of true nulls rejected at 5% by the
 * percentile interval alone, 3–5% by this).
 */
export function claimP(estimate: { p: number; permutationP: number | null; tP: number }): number {
  return Math.max(estimate.p, estimate.permutationP ?? 0, estimate.tP)
}

/**
 * The verdicts a page states side by side (a dashboard's before and after), held to a 5% family-wise error:
 * one Holm family, no metric first (lib/stats/claims.ts). A change is confirmed only when it also has an
 * interval that excludes no change; the rest read "not confirmed" or "no clear change".
 */
export function confirmedChanges<K extends string>(changes: readonly { key: K; outcome: Outcome }[]): Map<K, boolean> {
  const decisions = controlClaims(
    changes.map((change) => ({
      key: change.key,
      role: 'secondary' as const,
      p: change.outcome.state === 'estimate' ? claimP(change.outcome.estimate) : null,
      excludesZero: change.outcome.state === 'estimate' && change.outcome.verdict !== 'no_clear_change',
      blocked: null,
    })),
  )
  return new Map(changes.map((change) => [change.key, decisions.get(change.key)?.status === 'confirmed']))
}

/** `changes`, each marked with whether its verdict is confirmed among them (confirmedChanges). */
export function withClaims<T extends { key: string; outcome: Outcome }>(
  changes: readonly T[],
): (T & { confirmed: boolean })[] {
  const confirmed = confirmedChanges(changes)
  return changes.map((change) => ({ ...change, confirmed: confirmed.get(change.key) ?? false }))
}
