// The executive one-pager's read model: for an initiative (the chosen one, else the latest launched), the
// headline sentences — only metrics whose change is clear become headlines, the rest are "not yet clear" —
// KPI tiles, the weekly deployments with the launch, the ROI box with the assumptions it used, and how
// fresh the data is. Server-only.
import 'server-only'
import { getDb, type Db } from '../../db/client'
import { getLatestActivity } from '../../db/queries/health'
import { listInitiatives } from '../../db/queries/initiatives'
import { listTeamWeeks } from '../../db/queries/rollups'
import { addUtcDays, startOfUtcWeek } from '../dates'
import { formatEffect, formatValue } from '../format'
import type { MetricKey } from '../metrics/comparable'
import { summarizeTeamWeeks } from '../metrics/team-weeks'
import { getInitiative, type InitiativeMetric, type InitiativeView } from './initiative'
import { getRoi, type RoiView } from './roi'
import { cachedRead } from './read-cache'

/** The report's metrics, in the order of the seed's use-case table. */
export const REPORT_METRICS: readonly MetricKey[] = ['days_to_first_merge', 'deployment_frequency', 'lead_time', 'time_to_restore', 'change_fail_rate', 'dx_score', 'docs_score', 'service_setup_time']

const PHRASES: Partial<Record<MetricKey, string>> = {
  days_to_first_merge: 'Ramp-up (days to first merged PR)',
  deployment_frequency: 'Ship frequency',
  lead_time: 'Lead time',
  time_to_restore: 'Mean time to restore',
  change_fail_rate: 'Change fail rate',
  dx_score: 'DX score',
  docs_score: 'Finding documentation (survey)',
  service_setup_time: 'New service setup time',
}

export interface Headline {
  key: MetricKey
  sentence: string
  verdict: 'improved' | 'worsened'
}

export interface Tile {
  key: MetricKey
  label: string
  before: string
  after: string
  effect: string
  interval: string
  verdict: 'improved' | 'worsened' | 'no_clear_change' | 'not_enough_data'
  metric: InitiativeMetric
}

export type ReportView =
  | { state: 'no-initiative' }
  | {
      state: 'ready'
      generatedAt: Date
      initiative: InitiativeView
      headlines: Headline[]
      notYetClear: { key: MetricKey; label: string; why: string }[]
      tiles: Tile[]
      weekly: { weekStart: string; deployments: number }[]
      launchWeek: string
      roi: RoiView
      latest: { deployment: Date | null; pullRequest: Date | null; incident: Date | null }
    }

/** "Ramp-up (days to first merged PR) fell from 12.5 days to 4.7 days for the pilot teams: −3.9 days beyond the control teams (95% interval …)." */
export function headlineSentence(metric: InitiativeMetric): string | null {
  if (metric.outcome.state !== 'estimate' || metric.outcome.verdict === 'no_clear_change') return null
  const { estimate } = metric.outcome
  const effect = (value: number) => formatEffect(metric.scale, metric.unit, value)
  const before = metric.figures.pilotBaseline.value
  const after = metric.figures.pilotEvaluation.value
  const name = PHRASES[metric.key] ?? metric.label
  const moved = before !== null && after !== null ? `${after < before ? 'fell' : after > before ? 'rose' : 'held'} from ${formatValue(metric.unit, before)} to ${formatValue(metric.unit, after)} for the pilot teams` : 'changed for the pilot teams'
  return `${name} ${moved}: ${effect(estimate.value)} beyond the control teams (95% interval ${effect(estimate.low)} to ${effect(estimate.high)}).`
}

function whyUnclear(metric: InitiativeMetric): string {
  if (metric.outcome.state === 'not_enough_data') return metric.outcome.reason
  const effect = (value: number) => formatEffect(metric.scale, metric.unit, value)
  return `${effect(metric.outcome.estimate.value)}, but the 95% interval (${effect(metric.outcome.estimate.low)} to ${effect(metric.outcome.estimate.high)}) includes no change`
}

export async function getReport({ initiativeId, db = getDb(), now = new Date() }: { initiativeId?: number; db?: Db; now?: Date } = {}): Promise<ReportView> {
  let id = initiativeId
  if (id === undefined) {
    const all = await listInitiatives(db)
    const launched = all.filter((initiative) => new Date(`${initiative.launchDate}T00:00:00Z`) <= now)
    id = (launched.at(-1) ?? all.at(-1))?.id
  }
  if (id === undefined) return { state: 'no-initiative' }
  const initiative = await getInitiative(id, { db, now })
  if (!initiative) return { state: 'no-initiative' }
  const trendTo = startOfUtcWeek(now)
  const [roi, weekly, latest] = await Promise.all([
    getRoi(initiative.metrics, { db, asOf: now }),
    listTeamWeeks(db, { from: addUtcDays(trendTo, -7 * 52), to: trendTo }, { values: false }),
    getLatestActivity(db),
  ])
  const metrics = REPORT_METRICS.map((key) => initiative.metrics.find((metric) => metric.key === key)).filter((metric): metric is InitiativeMetric => metric !== undefined)
  const headlines: Headline[] = []
  const notYetClear: { key: MetricKey; label: string; why: string }[] = []
  for (const metric of metrics) {
    const sentence = headlineSentence(metric)
    if (sentence && metric.outcome.state === 'estimate' && metric.outcome.verdict !== 'no_clear_change') headlines.push({ key: metric.key, sentence, verdict: metric.outcome.verdict })
    else notYetClear.push({ key: metric.key, label: PHRASES[metric.key] ?? metric.label, why: whyUnclear(metric) })
  }
  const tiles = [...metrics]
    .sort((a, b) => Number(headlines.some((h) => h.key === b.key)) - Number(headlines.some((h) => h.key === a.key)))
    .filter((metric) => metric.outcome.state === 'estimate')
    .slice(0, 6)
    .map((metric): Tile => {
      const outcome = metric.outcome as Extract<InitiativeMetric['outcome'], { state: 'estimate' }>
      const effect = (value: number) => formatEffect(metric.scale, metric.unit, value)
      return {
        key: metric.key,
        label: PHRASES[metric.key] ?? metric.label,
        before: formatValue(metric.unit, metric.figures.pilotBaseline.value),
        after: formatValue(metric.unit, metric.figures.pilotEvaluation.value),
        effect: effect(outcome.estimate.value),
        interval: `${effect(outcome.estimate.low)} to ${effect(outcome.estimate.high)}`,
        verdict: outcome.verdict,
        metric,
      }
    })
  return {
    state: 'ready',
    generatedAt: now,
    initiative,
    headlines,
    notYetClear,
    tiles,
    weekly: summarizeTeamWeeks(weekly, 'week').map((week) => ({ weekStart: week.key, deployments: week.deployments })),
    launchWeek: startOfUtcWeek(initiative.launchDate).toISOString().slice(0, 10),
    roi,
    latest,
  }
}

/** getReport, cached until the data changes or the day turns (lib/data/read-cache.ts): what the page and the exports call. */
export function readReport({ initiativeId }: { initiativeId?: number } = {}): Promise<ReportView> {
  return cachedRead('report', initiativeId ?? null, () => getReport({ initiativeId }))
}
