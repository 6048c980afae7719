// Two kept one-pagers side by side, figure by figure: "what did we tell leadership in March, and what now?".
// Each metric the one-pager showed (a tile or a headline; matched by metric key, else by label) with the pilot
// teams' value after the launch and the effect beyond the control teams, the money (value, cost, net, ROI,
// payback: the likely figures the ROI box leads with), and the headline sentences only one of them said. Pure:
// the rows are worked from the stored figures alone, never from today's data.
import { formatEffect, formatMoney, formatSignedPoints, formatValue, type MetricUnit } from '@/lib/format'
import { months, signedPercent } from '@/lib/roi/figures'
import type { RoiResult } from '@/lib/roi/model'

/** The parts of a metric a comparison reads; lib/data/initiative.ts's InitiativeMetric has them all. */
export interface ComparedMetric {
  key: string
  label: string
  unit: MetricUnit
  scale: 'relative' | 'absolute'
  figures: { pilotEvaluation: { value: number | null } }
  outcome: { state: 'estimate'; estimate: { value: number } } | { state: 'not_enough_data' }
}

/** The parts of a one-pager a comparison reads; lib/data/report-page.ts's ReportDocumentData has them all. */
export interface ComparedReport {
  report: {
    headlines: readonly { key?: string; sentence: string; verdict: string }[]
    tiles: readonly { key?: string; label: string; verdict: string; metric: ComparedMetric }[]
    initiative: { metrics: readonly ComparedMetric[] }
    roi: { result: Pick<RoiResult, 'value' | 'cost' | 'net' | 'roiPercent' | 'paybackMonths'> }
  }
}

export interface CompareRow {
  group: 'metric' | 'money' | 'headline'
  /** What the two sides were matched on: the metric key (or label) and which figure, the money figure, the sentence. */
  key: string
  label: string
  /** As the one-pager wrote it; "—" where that one-pager did not show it. */
  a: string
  b: string
  /** B against A: "+0.50", "−$20k", "+5 pp", "no change", "only in A", "only in B". */
  change: string
  /** A metric's verdict when it changed: "improved → not confirmed". */
  note: string | null
}

const NONE = '—'
const VERDICT_WORDS: Record<string, string> = {
  improved: 'improved',
  worsened: 'worsened',
  not_confirmed: 'not confirmed',
  no_clear_change: 'no clear change',
}

const signedMoney = (difference: number) =>
  Math.round(difference) === 0 ? 'no change' : `${difference > 0 ? '+' : ''}${formatMoney(difference)}`
/** Which one-pager alone showed a figure, given what A showed of it. */
const presence = (a: unknown) => (a === undefined || a === null ? 'only in B' : 'only in A')

/** What one one-pager showed of a metric: its figures (from the tile, else the initiative's list) and its verdict. */
interface Shown {
  metric: ComparedMetric
  label: string
  verdict: string | null
}

/** The metrics a one-pager showed, by match key, in its own order (tiles first, then headline-only metrics). */
function shownMetrics({ report }: ComparedReport): Map<string, Shown> {
  const shown = new Map<string, Shown>()
  for (const tile of report.tiles)
    shown.set(tile.key ?? tile.label, { metric: tile.metric, label: tile.label, verdict: tile.verdict })
  for (const headline of report.headlines) {
    if (!headline.key || shown.has(headline.key)) continue
    const metric = report.initiative.metrics.find((one) => one.key === headline.key)
    if (metric) shown.set(headline.key, { metric, label: metric.label, verdict: headline.verdict })
  }
  return shown
}

const effectOf = (metric: ComparedMetric) =>
  metric.outcome.state === 'estimate' ? metric.outcome.estimate.value : null

/** Two rows per metric: the pilot teams' value after the launch, and the effect beyond the control teams. */
function metricRows(key: string, a: Shown | undefined, b: Shown | undefined): CompareRow[] {
  const either = (a ?? b) as Shown
  const { unit, scale } = either.metric
  const verdicts = [a?.verdict ?? null, b?.verdict ?? null].map((v) => (v ? (VERDICT_WORDS[v] ?? v) : NONE))
  const note = a && b && verdicts[0] !== verdicts[1] ? `${verdicts[0]} → ${verdicts[1]}` : null
  const valueA = a?.metric.figures.pilotEvaluation.value ?? null
  const valueB = b?.metric.figures.pilotEvaluation.value ?? null
  const effectA = a ? effectOf(a.metric) : null
  const effectB = b ? effectOf(b.metric) : null
  const change = (x: number | null, y: number | null, format: (difference: number) => string) => {
    if (!a || !b) return presence(a)
    if (x === null || y === null) return x === y ? 'no change' : 'not comparable'
    return format(y - x)
  }
  // a relative effect changes in percentage points of effect (+29% → +35% is +6 pp), an absolute one in its unit
  const effectChange = (difference: number) =>
    scale === 'relative' ? formatSignedPoints(difference, 0) : formatEffect('absolute', unit, difference)
  const unchanged = (text: string) => (text.startsWith('±0') ? 'no change' : text)
  return [
    {
      group: 'metric',
      key: `${key}:value`,
      label: `${either.label}: pilot teams after the launch`,
      a: a ? formatValue(unit, valueA) : NONE,
      b: b ? formatValue(unit, valueB) : NONE,
      change: change(valueA, valueB, (difference) => unchanged(formatEffect('absolute', unit, difference))),
      note,
    },
    {
      group: 'metric',
      key: `${key}:effect`,
      label: `${either.label}: beyond the control teams`,
      a: a ? (effectA === null ? 'not enough data' : formatEffect(scale, unit, effectA)) : NONE,
      b: b ? (effectB === null ? 'not enough data' : formatEffect(scale, unit, effectB)) : NONE,
      change: change(effectA, effectB, (difference) => unchanged(effectChange(difference))),
      note: null,
    },
  ]
}

function moneyRows(a: ComparedReport, b: ComparedReport): CompareRow[] {
  const [x, y] = [a.report.roi.result, b.report.roi.result]
  const money = (key: 'value' | 'cost' | 'net', label: string): CompareRow => ({
    group: 'money',
    key,
    label,
    a: formatMoney(x[key].likely),
    b: formatMoney(y[key].likely),
    change: signedMoney(y[key].likely - x[key].likely),
    note: null,
  })
  const roiA = x.roiPercent?.likely ?? null
  const roiB = y.roiPercent?.likely ?? null
  const paybackA = x.paybackMonths.likely
  const paybackB = y.paybackMonths.likely
  const roiChange =
    roiA === null || roiB === null
      ? roiA === roiB
        ? 'no change'
        : 'not comparable'
      : Math.round(roiB) === Math.round(roiA)
        ? 'no change'
        : `${roiB > roiA ? '+' : '−'}${Math.abs(Math.round(roiB) - Math.round(roiA))} pp`
  const paybackChange =
    paybackA === null || paybackB === null
      ? paybackA === paybackB
        ? 'no change'
        : `${months(paybackA)} → ${months(paybackB)}`
      : Number(paybackB.toFixed(1)) === Number(paybackA.toFixed(1))
        ? 'no change'
        : `${paybackB > paybackA ? '+' : '−'}${Math.abs(paybackB - paybackA).toFixed(1)} months`
  return [
    money('value', 'Value a year (likely)'),
    money('cost', 'Cost a year (likely)'),
    money('net', 'Net a year (likely)'),
    {
      group: 'money',
      key: 'roi',
      label: 'ROI (likely)',
      a: roiA === null ? NONE : signedPercent(roiA),
      b: roiB === null ? NONE : signedPercent(roiB),
      change: roiChange,
      note: null,
    },
    {
      group: 'money',
      key: 'payback',
      label: 'Payback (likely)',
      a: months(paybackA),
      b: months(paybackB),
      change: paybackChange,
      note: null,
    },
  ]
}

/** The headline sentences said by one and not the other (the same sentence in both says nothing new). */
function headlineRows(a: ComparedReport, b: ComparedReport): CompareRow[] {
  const inA = new Set(a.report.headlines.map((headline) => headline.sentence))
  const inB = new Set(b.report.headlines.map((headline) => headline.sentence))
  return [
    ...[...inA]
      .filter((sentence) => !inB.has(sentence))
      .map((sentence): CompareRow => ({
        group: 'headline',
        key: sentence,
        label: 'Headline',
        a: sentence,
        b: NONE,
        change: 'only in A',
        note: null,
      })),
    ...[...inB]
      .filter((sentence) => !inA.has(sentence))
      .map((sentence): CompareRow => ({
        group: 'headline',
        key: sentence,
        label: 'Headline',
        a: NONE,
        b: sentence,
        change: 'only in B',
        note: null,
      })),
  ]
}

/** A's rows in A's order, then the metrics only B showed; then the money; then the headlines only one said. */
export function compareReports(a: ComparedReport, b: ComparedReport): CompareRow[] {
  const shownA = shownMetrics(a)
  const shownB = shownMetrics(b)
  const keys = [...new Set([...shownA.keys(), ...shownB.keys()])]
  return [
    ...keys.flatMap((key) => metricRows(key, shownA.get(key), shownB.get(key))),
    ...moneyRows(a, b),
    ...headlineRows(a, b),
  ]
}
