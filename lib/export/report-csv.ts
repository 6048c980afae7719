// The one-pager's figures as a table a spreadsheet can compute with (GET /api/report.csv): numbers in the
// numeric columns (no units, signs or thousands separators in a cell), each row's units in its unit columns,
// the verdict in words, then the money: value, cost and net a year, ROI and payback. Percentages and shares
// are written as percent (12.5, not 0.125), as the one-pager shows them.
import type { InitiativeMetric } from '@/lib/data/initiative'
import type { RoiView } from '@/lib/data/roi'
import type { MetricUnit } from '@/lib/format'

export const REPORT_CSV_HEADER = [
  'initiative',
  'metric',
  'role',
  'unit',
  'pilot before',
  'pilot after',
  'control before',
  'control after',
  'estimate unit',
  'estimate',
  'low',
  'high',
  'verdict or note',
] as const

type Cell = string | number | null

/** What a value in `unit` is written in, and the factor from the stored value. */
const VALUE_UNITS: Record<MetricUnit, { label: string; factor: number }> = {
  per_service_week: { label: 'per service-week', factor: 1 },
  per_engineer_week: { label: 'per engineer-week', factor: 1 },
  per_week: { label: 'per week', factor: 1 },
  hours: { label: 'hours', factor: 1 },
  minutes: { label: 'minutes', factor: 1 },
  days: { label: 'days', factor: 1 },
  share: { label: '%', factor: 100 },
  score: { label: 'points', factor: 1 },
  count: { label: 'count', factor: 1 },
}

/** Four decimals: more than any figure on the one-pager, without float noise such as 0.30000000000000004. */
const number = (value: number | null | undefined, factor = 1): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : Math.round(value * factor * 10_000) / 10_000

const VERDICT_WORDS = { improved: 'improved', worsened: 'worsened', no_clear_change: 'no clear change' } as const

/** The claim the one-pager makes, in words: a change the family-wise rule did not confirm is not stated as one. */
export function verdictWords(metric: InitiativeMetric): string {
  if (metric.outcome.state !== 'estimate') return 'not enough data'
  const verdict = VERDICT_WORDS[metric.outcome.verdict]
  if (metric.outcome.verdict === 'no_clear_change' || metric.confirmed) return verdict
  return metric.role === 'exploratory'
    ? `exploratory: ${verdict}, not tested`
    : `not confirmed (${verdict} at 95% alone)`
}

function metricRow(initiative: string, metric: InitiativeMetric): Cell[] {
  const value = VALUE_UNITS[metric.unit]
  const relative = metric.scale === 'relative'
  const effect = relative
    ? { label: '%', factor: 100 }
    : metric.unit === 'share'
      ? { label: 'percentage points', factor: 100 }
      : value
  const estimate = metric.outcome.state === 'estimate' ? metric.outcome.estimate : null
  const { pilotBaseline, pilotEvaluation, controlBaseline, controlEvaluation } = metric.figures
  return [
    initiative,
    metric.label,
    metric.role,
    value.label,
    number(pilotBaseline.value, value.factor),
    number(pilotEvaluation.value, value.factor),
    number(controlBaseline.value, value.factor),
    number(controlEvaluation.value, value.factor),
    effect.label,
    number(estimate?.value, effect.factor),
    number(estimate?.low, effect.factor),
    number(estimate?.high, effect.factor),
    verdictWords(metric),
  ]
}

function moneyRows(initiative: string, { result }: RoiView): Cell[][] {
  const row = (
    metric: string,
    unit: string,
    range: { likely: number | null; low: number | null; high: number | null } | null,
    note: string | null = null,
  ): Cell[] => [
    initiative,
    metric,
    null,
    null,
    null,
    null,
    null,
    null,
    unit,
    number(range?.likely),
    number(range?.low),
    number(range?.high),
    note,
  ]
  const dollars = (range: { low: number; likely: number; high: number }) => ({
    likely: Math.round(range.likely),
    low: Math.round(range.low),
    high: Math.round(range.high),
  })
  const rows = [
    row(
      'Value',
      'USD per year',
      dollars(result.value),
      'from measured effects only; low and high: the assumptions’ range',
    ),
    row('Cost', 'USD per year', dollars(result.cost), result.costLabel),
    row('Net', 'USD per year', dollars(result.net)),
  ]
  for (const benefit of result.benefits)
    if (benefit.value) rows.push(row(`Value: ${benefit.label}`, 'USD per year', dollars(benefit.value)))
  rows.push(row('ROI', '%', result.roiPercent, result.roiPercent ? 'net ÷ cost' : 'no cost entered'))
  // payback: low is the best case (fewest months), high the worst; blank where a year's value never covers the cost
  const { best, likely, worst } = result.paybackMonths
  const never = [
    likely === null ? `likely: ${result.paybackNever.likely}` : null,
    worst === null ? `worst: ${result.paybackNever.worst}` : null,
    best === null ? `best: ${result.paybackNever.best}` : null,
  ]
  rows.push(
    row(
      'Payback',
      'months',
      { likely, low: best, high: worst },
      never.some(Boolean)
        ? `never (${never.filter(Boolean).join('; ')})`
        : 'months of a year’s value to cover a year’s cost',
    ),
  )
  return rows
}

/** The rows of the CSV export, under REPORT_CSV_HEADER: every metric the initiative judged, then the money. */
export function reportCsvRows(
  initiative: { name: string; metrics: readonly InitiativeMetric[] },
  roi: RoiView,
): Cell[][] {
  return [...initiative.metrics.map((metric) => metricRow(initiative.name, metric)), ...moneyRows(initiative.name, roi)]
}
