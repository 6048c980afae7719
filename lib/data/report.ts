// The executive one-pager's read model: for an initiative (the chosen one, else the latest launched), the
// headline sentences — only metrics whose change is clear become headlines, the rest are "not yet clear" —
// KPI tiles, the weekly deployments with the launch (for the teams and weeks chosen), pilot and control on
// the lead metric, the ROI box with the assumptions it used, and how fresh the data is; and the page as the
// one-pager and its exports show it is lib/data/report-page.ts. Server-only.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { getLatestActivity } from '@/db/queries/health'
import { listInitiatives } from '@/db/queries/initiatives'
import { listTeamWeeks } from '@/db/queries/team-weeks'
import { chartWeeks, type WeekPeriod } from '@/lib/charts/weekly-series'
import { addUtcDays, startOfUtcWeek, type Interval } from '@/lib/dates'
import { formatEffect, formatEffectInterval, formatValue, type MetricUnit } from '@/lib/format'
import { wholeWeeks } from '@/lib/metrics/windows'
import { headlineSentence, PHRASES, tileVerdict, whenKnownBrief, whyUnclear, type TileVerdict } from './claim-text'
import type { MetricKey } from '@/lib/metrics/comparable'
import { REPORT_METRICS } from '@/lib/metrics/initiative'
import { summarizeTeamWeeks } from '@/lib/metrics/team-weeks'
import { initiativeInView } from './filters'
import { getInitiative, type InitiativeGoal, type InitiativeMetric, type InitiativeView } from './initiative'
import { getRoi, type RoiView } from './roi'
import { pageRead, type Freshness, type Question } from './read-cache'

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

/** Pilot and control before and after on the lead metric (the first headline's, else the first tile's). */
export interface LeadChart {
  label: string
  /** "Deployment frequency (per service-week): pilot and control, before and after". */
  caption: string
  unit: MetricUnit
  values: {
    pilotBefore: number | null
    pilotAfter: number | null
    controlBefore: number | null
    controlAfter: number | null
  }
}

/** What the weekly deployments chart covers: the teams chosen (every team when absent) and the weeks (the latest 52 when absent). */
export interface ReportScope {
  teamIds?: number[]
  weeks?: Interval
}

export type ReportView =
  | { state: 'no-initiative' }
  | {
      state: 'ready'
      generatedAt: Date
      initiative: InitiativeView
      /** The names of its pilot and control teams. */
      pilots: string[]
      controls: string[]
      headlines: Headline[]
      notYetClear: Unclear[]
      /** The unclear ones with something to say about when they will be known. */
      whenKnown: Unclear[]
      /** How many metrics the claims were controlled over, and the rule, for the method note. */
      control: { primary: number; secondary: number; gateOpen: boolean }
      tiles: Tile[]
      lead: LeadChart | null
      /**
       * Production deployments per week for the teams chosen (ReportScope): the initiative's baseline weeks
       * (comparison), then its evaluation weeks up to now (shown), the weeks between faint or one gap marker
       * (omitted); weeks chosen in the filters replace both.
       */
      weekly: { weekStart: string; deployments: number; period: WeekPeriod; omitted?: number }[]
      /** The weeks the deployments chart spans. */
      chartWeeks: Interval
      launchWeek: string
      roi: RoiView
      latest: { deployment: Date | null; pullRequest: Date | null; incident: Date | null }
      /**
       * The initiative's goals, each with its target, due date, the pilot's current level and simultaneous
       * interval, its status and, when met, at risk or missed, the sentence a delivery calls it out with.
       */
      goals: InitiativeGoal[]
    }

/** Weeks of deployments on the one-pager's chart when no weeks are chosen. */

const UNIT_NOTES: Partial<Record<MetricUnit, string>> = {
  per_service_week: ' (per service-week)',
  per_engineer_week: ' (per engineer-week)',
}

export async function getReport({
  initiativeId,
  db = getDb(),
  now = new Date(),
  scope = {},
}: { initiativeId?: number; db?: Db; now?: Date; scope?: ReportScope } = {}): Promise<ReportView> {
  const id = initiativeId ?? initiativeInView(await listInitiatives(db), now)?.id
  if (id === undefined) return { state: 'no-initiative' }
  const initiative = await getInitiative(id, { db, now })
  if (!initiative) return { state: 'no-initiative' }
  const trendTo = startOfUtcWeek(now)
  // a fair comparison: the weeks the initiative is compared with, then the weeks it is judged on (up to now);
  // weeks chosen in the filters are drawn alone
  const evaluated = wholeWeeks({
    from: initiative.evaluation.from,
    to: initiative.evaluation.to < trendTo ? initiative.evaluation.to : trendTo,
  })
  const chart = scope.weeks
    ? chartWeeks({ interval: scope.weeks, comparison: null, lastWeek: null })
    : chartWeeks({ interval: evaluated, comparison: wholeWeeks(initiative.baseline), lastWeek: null })
  const spanned = {
    from: new Date(`${chart.weeks[0]?.week}T00:00:00Z`),
    to: addUtcDays(new Date(`${chart.weeks.at(-1)?.week}T00:00:00Z`), 7),
  }
  const [roi, weekly, latest] = await Promise.all([
    // the docs finding is one of the one-pager's verdicts: its share of the page's 5% (lib/stats/claims.ts)
    getRoi(initiative.metrics, {
      db,
      asOf: now,
      ...(initiative.budget.docs > 0 ? { docsConfidence: 1 - initiative.budget.docs } : {}),
    }),
    listTeamWeeks(db, { ...spanned, ...(scope.teamIds ? { teamIds: scope.teamIds } : {}) }, { values: false }),
    getLatestActivity(db),
  ])
  // the metrics it states: the initiative's primary metrics first, then the one-pager's own
  const keys = [...new Set<MetricKey>([...initiative.primaryMetrics, ...REPORT_METRICS])]
  const metrics = keys
    .map((key) => initiative.metrics.find((metric) => metric.key === key))
    .filter((metric): metric is InitiativeMetric => metric !== undefined)
  const headlines: Headline[] = []
  const notYetClear: Unclear[] = []
  for (const metric of metrics) {
    const sentence = headlineSentence(metric)
    if (sentence && metric.outcome.state === 'estimate' && metric.outcome.verdict !== 'no_clear_change')
      headlines.push({ key: metric.key, sentence, verdict: metric.outcome.verdict, primary: metric.primary })
    else
      notYetClear.push({
        key: metric.key,
        label: PHRASES[metric.key] ?? metric.label,
        why: whyUnclear(metric),
        whenKnown: whenKnownBrief(metric),
      })
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
  const leadTile = headlines[0] ? tiles.find((tile) => tile.key === headlines[0]?.key) : tiles[0]
  const lead: LeadChart | null = leadTile
    ? {
        label: leadTile.label,
        caption: `${leadTile.label}${UNIT_NOTES[leadTile.metric.unit] ?? ''}: pilot and control, before and after`,
        unit: leadTile.metric.unit,
        values: {
          pilotBefore: leadTile.metric.figures.pilotBaseline.value,
          pilotAfter: leadTile.metric.figures.pilotEvaluation.value,
          controlBefore: leadTile.metric.figures.controlBaseline.value,
          controlAfter: leadTile.metric.figures.controlEvaluation.value,
        },
      }
    : null
  const tested = (role: InitiativeMetric['role']) =>
    initiative.metrics.filter((metric) => metric.role === role && metric.claim.familySize > 0).length
  const primaries = initiative.metrics.filter((metric) => metric.primary)
  return {
    state: 'ready',
    generatedAt: now,
    initiative,
    pilots: initiative.teams.filter((team) => team.role === 'pilot').map((team) => team.name),
    controls: initiative.teams.filter((team) => team.role === 'control').map((team) => team.name),
    headlines,
    notYetClear,
    whenKnown: notYetClear.filter((item) => item.whenKnown),
    control: {
      primary: tested('primary'),
      secondary: tested('secondary'),
      gateOpen: primaries.length > 0 && primaries.every((metric) => metric.confirmed),
    },
    tiles,
    lead,
    chartWeeks: spanned,
    weekly: ((deployments) =>
      chart.weeks.map((week) => ({
        weekStart: week.week,
        deployments: week.omitted ? 0 : (deployments.get(week.week) ?? 0),
        period: week.period,
        ...(week.omitted ? { omitted: week.omitted } : {}),
      })))(new Map(summarizeTeamWeeks(weekly, 'week').map((week) => [week.key, week.deployments]))),
    launchWeek: startOfUtcWeek(initiative.launchDate).toISOString().slice(0, 10),
    roi,
    latest,
    goals: initiative.goals,
  }
}

/** The one-pager's question; unfiltered, it is a standing answer, kept current by lib/data/standing.ts. */
export function reportQuestion({
  initiativeId,
  scope = {},
  db,
}: { initiativeId?: number; scope?: ReportScope; db?: Db } = {}): Question<ReportView> {
  const filtered = scope.teamIds !== undefined || scope.weeks !== undefined
  return {
    name: 'report',
    inputs: filtered ? { initiativeId: initiativeId ?? null, scope } : (initiativeId ?? null),
    args: { initiativeId, scope },
    compute: () => getReport({ initiativeId, scope, db }),
  }
}

/**
 * getReport, cached until the data changes or the day turns (lib/data/read-cache.ts): what the page and the
 * exports call. Unfiltered, the one-pager is a standing page: after a change it shows its last answer, saying
 * when it was computed, while the new one computes.
 */
export function readReport(
  asked: { initiativeId?: number; scope?: ReportScope } = {},
): Promise<ReportView & { freshness?: Freshness }> {
  const question = reportQuestion(asked)
  return pageRead(question, { standing: question.inputs === null || typeof question.inputs !== 'object' })
}
