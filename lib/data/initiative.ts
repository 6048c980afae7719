// An initiative (a pilot) judged on every metric: its rows fetched here, judged by lib/metrics/initiative.ts
// (difference-in-differences with 95% intervals, claims held to a 5% family-wise error, primary metrics first,
// the pre-launch check), and pilot and control week by week for its chart. Server-only.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { listCatalog } from '@/db/queries/adoption'
import { listAnswers, listWaves } from '@/db/queries/experience'
import { listGoals } from '@/db/queries/goals'
import { getInitiativeWithTeams, listInitiatives } from '@/db/queries/initiatives'
import { listHires } from '@/db/queries/onboarding'
import { hasStudyObservations } from '@/db/queries/studies'
import { listTeamWeeks } from '@/db/queries/team-weeks'
import { parseIsoDate, type Interval } from '@/lib/dates'
import type { TeamWeek, UseCase } from '@/lib/domain'
import {
  comparableMetric,
  comparableMetrics,
  defaultPrimaryMetrics,
  teamWeekMetric,
  type MetricKey,
} from '@/lib/metrics/comparable'
import type { JudgedGoal } from '@/lib/metrics/goal-status'
import { judgeGoals } from '@/lib/metrics/goals'
import { judgeInitiative, type JudgedMetric } from '@/lib/metrics/initiative'
import { weeksByGroup } from '@/lib/metrics/initiative-cells'
import { pageBudget, type PageBudget } from '@/lib/stats/claims'
import { standingRead, type Question, type WithFreshness } from './read-cache'

export type InitiativeMetric = JudgedMetric & {
  /** One of the metrics the initiative is judged by (named on its form; else its use case's default). */
  primary: boolean
  /**
   * The change may be stated as a finding: its interval excludes no change after the family-wise control over
   * every metric stated (lib/stats/claims.ts) and pilot and control moved alike before the launch. Money counts
   * only confirmed effects at their estimate (lib/roi/model.ts).
   */
  confirmed: boolean
}

export interface InitiativeView {
  id: number
  slug: string
  name: string
  useCase: UseCase
  description: string | null
  launchDate: Date
  baseline: Interval
  evaluation: Interval
  teams: { teamId: number; name: string; role: 'pilot' | 'control' }[]
  /** Onboarding counts a hire who has not merged yet as "not yet, as of this date". */
  asOf: Date
  /** The metrics it is judged by, tested first. */
  primaryMetrics: MetricKey[]
  /** Primary metrics first, then the other stated ones, then the exploratory ones. */
  metrics: InitiativeMetric[]
  series: GroupSeries[]
  /**
   * Its goals, each judged on the pilot teams' current level with a simultaneous interval (1 − 0.05/k for k
   * goals), in the order of `metrics` (lib/metrics/goals.ts).
   */
  goals: InitiativeGoal[]
  /**
   * The page's 5%, split among the verdicts it states (lib/stats/claims.ts pageBudget): the pilot's changes, the
   * goals, and the docs study's finding that the one-pager states beside them.
   */
  budget: PageBudget
}

export type InitiativeGoal = JudgedGoal & { setBy: string; setAt: Date }

const isMetricKey = (key: string): key is MetricKey => comparableMetrics.some((metric) => metric.key === key)

export async function getInitiativeList({ db = getDb() }: { db?: Db } = {}) {
  return listInitiatives(db)
}

/** The metrics an initiative is judged by: those named on its form, else its use case's default. */
export function primaryMetricsOf(initiative: { useCase: UseCase; primaryMetrics: readonly string[] }): MetricKey[] {
  const named = initiative.primaryMetrics.filter((key): key is MetricKey =>
    comparableMetrics.some((metric) => metric.key === key),
  )
  return named.length > 0 ? named : [...defaultPrimaryMetrics[initiative.useCase]]
}

/** Pilot and control week by week (or wave by wave) from the baseline's start to the evaluation's end. */
export interface GroupSeries {
  key: MetricKey
  label: string
  unit: InitiativeMetric['unit']
  points: { at: string; pilot: number | null; control: number | null }[]
}

export async function getInitiative(
  id: number,
  { db = getDb(), now = new Date(), replicates }: { db?: Db; now?: Date; replicates?: number } = {},
): Promise<InitiativeView | null> {
  const initiative = await getInitiativeWithTeams(db, id)
  if (!initiative) return null
  const baseline = { from: parseIsoDate(initiative.baselineStart), to: parseIsoDate(initiative.baselineEnd) }
  const evaluation = { from: parseIsoDate(initiative.evaluationStart), to: parseIsoDate(initiative.evaluationEnd) }
  const roles = new Map(initiative.teams.map((team) => [team.teamId, team.role]))
  const teamIds = [...roles.keys()]
  const span = { from: baseline.from, to: evaluation.to, teamIds }

  const [weeks, hires, waves, catalog, goalRows, studied] = await Promise.all([
    listTeamWeeks(db, span),
    listHires(db, span),
    listWaves(db, span),
    listCatalog(db, { teamIds }),
    listGoals(db, { initiativeId: initiative.id }),
    hasStudyObservations(db),
  ])
  const answers = await listAnswers(db, { waveIds: waves.map((wave) => wave.id), teamIds })
  const waveOpens = new Map(waves.map((wave) => [wave.id, parseIsoDate(wave.opensOn)]))
  const primary = primaryMetricsOf(initiative)
  const rows = { roles, baseline, evaluation, weeks, hires, answers, waveOpens, services: catalog, now }
  // a goal for a metric this version no longer knows is left out rather than failing the page
  const known = goalRows.filter((goal) => isMetricKey(goal.metric))
  const budget = pageBudget({ docs: studied, goals: known.length })
  const judged = judgeInitiative(rows, {
    primary,
    seedPrefix: `initiative:${initiative.id}`,
    replicates,
    alpha: budget.changes,
  })
  const metrics = judged.map((metric): InitiativeMetric => ({
    ...metric,
    primary: metric.role === 'primary',
    confirmed: metric.claim.status === 'confirmed',
  }))
  const order = (metric: InitiativeMetric) => (metric.role === 'primary' ? 0 : metric.role === 'secondary' ? 1 : 2)
  const sorted = metrics
    .map((metric, i) => ({ metric, i }))
    .sort((a, b) => order(a.metric) - order(b.metric) || a.i - b.i)
    .map(({ metric }) => metric)
  known.sort(
    (a, b) =>
      sorted.findIndex((metric) => metric.key === a.metric) - sorted.findIndex((metric) => metric.key === b.metric),
  )
  const goals = judgeGoals(
    rows,
    known.map((goal) => ({ metric: goal.metric as MetricKey, target: goal.target, dueOn: goal.dueOn })),
    { seedPrefix: `initiative:${initiative.id}`, replicates, familyAlpha: budget.goals },
  ).map((goal, i): InitiativeGoal => ({ ...goal, setBy: known[i]?.setBy ?? '', setAt: known[i]?.setAt ?? now }))
  return {
    id: initiative.id,
    slug: initiative.slug,
    name: initiative.name,
    useCase: initiative.useCase,
    description: initiative.description,
    launchDate: parseIsoDate(initiative.launchDate),
    baseline,
    evaluation,
    teams: initiative.teams,
    asOf: now,
    primaryMetrics: primary,
    metrics: sorted,
    series: groupSeries(weeks, roles, primary),
    goals,
    budget,
  }
}

/** The primary metrics measured on team-weeks (else deployment frequency), pilot and control each week. */
function groupSeries(
  weeks: readonly TeamWeek[],
  roles: ReadonlyMap<number, 'pilot' | 'control'>,
  primary: readonly MetricKey[],
): GroupSeries[] {
  const keys = primary.filter((key) => comparableMetric(key).clusters === 'team-week')
  const byWeek = weeksByGroup(weeks, (teamId) => (teamId === null ? null : (roles.get(teamId) ?? null)))
  return (keys.length > 0 ? keys : (['deployment_frequency'] as MetricKey[])).map((key) => {
    const metric = teamWeekMetric(key)
    const points = byWeek.map(([at, entry]) => ({
      at,
      pilot: metric.statistic(entry.pilot),
      control: metric.statistic(entry.control),
    }))
    return { key, label: metric.label, unit: metric.unit, points }
  })
}

/** The question an initiative's page asks: a standing answer, kept current by lib/data/standing.ts. */
export function initiativeQuestion(id: number, { db }: { db?: Db } = {}): Question<InitiativeView | null> {
  return { name: 'initiative', inputs: id, args: id, compute: () => getInitiative(id, { db }) }
}

/**
 * getInitiative, cached until the data changes or the day turns, and after a change served as last computed
 * while the new answer computes (lib/data/read-cache.ts): what the page calls.
 */
export function readInitiative(id: number): Promise<WithFreshness<InitiativeView | null>> {
  return standingRead(initiativeQuestion(id))
}
