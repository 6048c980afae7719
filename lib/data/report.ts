// The executive one-pager's read model: for an initiative (the chosen one, else the latest launched), the
// headline sentences — only metrics whose change is clear become headlines, the rest are "not yet clear" —
// KPI tiles, the weekly deployments with the launch, the ROI box with the assumptions it used, and how
// fresh the data is. Server-only.
import 'server-only'
import { getDb, type Db } from '../../db/client'
import { getLatestActivity } from '../../db/queries/health'
import { listInitiatives } from '../../db/queries/initiatives'
import { listTeamWeeks } from '../../db/queries/rollups'
import { chartWeeks, type WeekPeriod } from '../charts/weekly-series'
import { addUtcDays, startOfUtcWeek } from '../dates'
import { wholeWeeks } from '../metrics/windows'
import { formatEffect, formatEffectInterval, formatValue } from '../format'
import { headlineSentence, PHRASES, tileVerdict, whenKnownBrief, whyUnclear, type TileVerdict } from './claim-text'
import type { MetricKey } from '../metrics/comparable'
import { REPORT_METRICS } from '../metrics/initiative'
import { summarizeTeamWeeks } from '../metrics/team-weeks'
import { getInitiative, type InitiativeMetric, type InitiativeView } from './initiative'
import { getRoi, type RoiView } from './roi'
import { cachedRead } from './read-cache'

export { REPORT_METRICS }


export interface Headline {
  key: MetricKey
  sentence: string
  verdict: 'improved' | 'worsened'
  primary: boolean
}

/** A stated metric that is not confirmed: why, and what it would take. */
export interface Unclear {
  key: MetricKey
  label: string
  why: string
  /** "≈14 more weeks after the launch (detects ±19% now)"; null when nothing to add. */
  whenKnown: string | null
}

export type { TileVerdict } from './claim-text'

export interface Tile {
  key: MetricKey
  label: string
  before: string
  after: string
  effect: string
  interval: string
  verdict: TileVerdict
  metric: InitiativeMetric
}

export type ReportView =
  | { state: 'no-initiative' }
  | {
      state: 'ready'
      generatedAt: Date
      initiative: InitiativeView
      headlines: Headline[]
      notYetClear: Unclear[]
      /** How many metrics the claims were controlled over, and the rule, for the method note. */
      control: { primary: number; secondary: number; gateOpen: boolean }
      tiles: Tile[]
      /** The initiative's baseline weeks (comparison), then its evaluation weeks up to now (shown), the weeks between them faint or one gap marker (omitted). */
      weekly: { weekStart: string; deployments: number; period: WeekPeriod; omitted?: number }[]
      launchWeek: string
      roi: RoiView
      latest: { deployment: Date | null; pullRequest: Date | null; incident: Date | null }
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
  // a fair comparison: the weeks the initiative is compared with, then the weeks it is judged on (up to now)
  const evaluated = wholeWeeks({ from: initiative.evaluation.from, to: initiative.evaluation.to < trendTo ? initiative.evaluation.to : trendTo })
  const chart = chartWeeks({ interval: evaluated, comparison: wholeWeeks(initiative.baseline), lastWeek: null })
  const [roi, weekly, latest] = await Promise.all([
    getRoi(initiative.metrics, { db, asOf: now }),
    listTeamWeeks(db, { from: new Date(`${chart.weeks[0]?.week}T00:00:00Z`), to: addUtcDays(new Date(`${chart.weeks.at(-1)?.week}T00:00:00Z`), 7) }, { values: false }),
    getLatestActivity(db),
  ])
  // the metrics it states: the initiative's primary metrics first, then the one-pager's own
  const keys = [...new Set<MetricKey>([...initiative.primaryMetrics, ...REPORT_METRICS])]
  const metrics = keys.map((key) => initiative.metrics.find((metric) => metric.key === key)).filter((metric): metric is InitiativeMetric => metric !== undefined)
  const headlines: Headline[] = []
  const notYetClear: Unclear[] = []
  for (const metric of metrics) {
    const sentence = headlineSentence(metric)
    if (sentence && metric.outcome.state === 'estimate' && metric.outcome.verdict !== 'no_clear_change') headlines.push({ key: metric.key, sentence, verdict: metric.outcome.verdict, primary: metric.primary })
    else notYetClear.push({ key: metric.key, label: PHRASES[metric.key] ?? metric.label, why: whyUnclear(metric), whenKnown: whenKnownBrief(metric) })
  }
  const tiles = [...metrics]
    .sort((a, b) => Number(b.confirmed) - Number(a.confirmed) || Number(b.primary) - Number(a.primary))
    .filter((metric) => metric.outcome.state === 'estimate')
    .slice(0, 6)
    .map((metric): Tile => {
      const outcome = metric.outcome as Extract<InitiativeMetric['outcome'], { state: 'estimate' }>
      return {
        key: metric.key,
        label: PHRASES[metric.key] ?? metric.label,
        before: formatValue(metric.unit, metric.figures.pilotBaseline.value),
        after: formatValue(metric.unit, metric.figures.pilotEvaluation.value),
        effect: formatEffect(metric.scale, metric.unit, outcome.estimate.value),
        interval: formatEffectInterval(metric.scale, metric.unit, outcome.estimate.low, outcome.estimate.high),
        verdict: tileVerdict(metric),
        metric,
      }
    })
  const tested = (role: InitiativeMetric['role']) => initiative.metrics.filter((metric) => metric.role === role && metric.claim.familySize > 0).length
  const primaries = initiative.metrics.filter((metric) => metric.primary)
  return {
    state: 'ready',
    generatedAt: now,
    initiative,
    headlines,
    notYetClear,
    control: { primary: tested('primary'), secondary: tested('secondary'), gateOpen: primaries.length > 0 && primaries.every((metric) => metric.confirmed) },
    tiles,
    weekly: ((deployments) => chart.weeks.map((week) => ({ weekStart: week.week, deployments: week.omitted ? 0 : (deployments.get(week.week) ?? 0), period: week.period, ...(week.omitted ? { omitted: week.omitted } : {}) })))(
      new Map(summarizeTeamWeeks(weekly, 'week').map((week) => [week.key, week.deployments])),
    ),
    launchWeek: startOfUtcWeek(initiative.launchDate).toISOString().slice(0, 10),
    roi,
    latest,
  }
}

/** getReport, cached until the data changes or the day turns (lib/data/read-cache.ts): what the page and the exports call. */
export function readReport({ initiativeId }: { initiativeId?: number } = {}): Promise<ReportView> {
  return cachedRead('report', initiativeId ?? null, () => getReport({ initiativeId }))
}
