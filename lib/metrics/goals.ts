// Goals: a target for one of an initiative's metrics, set when the pilot starts ("ramp-up from 14 days to 7 by
// June"), judged on the pilot teams' level of the metric – the same statistic and clusters as the pilot's "after"
// figure of the comparison (lib/metrics/initiative.ts) – with a bootstrap interval resampling the metric's own
// unit (calendar weeks of team-weeks, hires, respondents, new services). Until the due date the level is of the
// evaluation window so far; once it has passed, of the evaluation data up to the end of the due date only (a goal
// is judged on what happened by its date: hires who came later neither make it met nor undo it). The status is
// read off that very interval, so the two never disagree. Until the due date:
//
//   met            the whole interval is on the good side of the target (the target itself counts as reached)
//   at-risk        the whole interval is on the wrong side: the data show the target is not being reached
//   on-track       the target is inside the interval, within reach and not yet shown
//   not-yet-known  no interval: the pilot's evaluation data are below the metric's minimum sample
//
// From the day after the due date, on the data up to it:
//
//   met            the whole interval is on the good side of the target
//   missed         the whole interval is on the wrong side: the data show it was not reached by its date
//   not-shown      the target is inside the interval, or there is no interval: not shown either way by its date
//
// Several goals on one page are several verdicts, so their intervals are simultaneous (Bonferroni): each at
// 1 − 0.05/k for the initiative's k goals, and the chance that any goal's status is wrong about its interval's
// side is held at 5%. Pure: lib/data/initiative.ts fetches the rows and the goals.
import { addUtcDays, parseIsoDate, type Interval } from '@/lib/dates'
import type { TeamWeek } from '@/lib/domain'
import { formatDate, formatValue } from '@/lib/format'
import type { Statistic } from '@/lib/stats/bootstrap'
import { shortfall, type Better, type SampleRule } from '@/lib/stats/estimate'
import { levelInterval, type LevelInterval } from '@/lib/stats/level'
import { seedFrom } from '@/lib/stats/random'
import type { Observation } from '@/lib/stats/survival'
import { comparableMetric, type MetricKey, type Scored, type Unit } from './comparable'
import { respondents } from './experience'
import type { InitiativeRows } from './initiative'
import { weeksByGroup } from './initiative-cells'
import { daysToNthMerge } from './onboarding'

export const goalStatuses = ['met', 'on-track', 'at-risk', 'missed', 'not-yet-known', 'not-shown'] as const
export type GoalStatus = (typeof goalStatuses)[number]

/** The status as the pages write it. */
export const goalStatusWords: Record<GoalStatus, string> = {
  met: 'met',
  'on-track': 'on track',
  'at-risk': 'at risk',
  missed: 'missed',
  'not-yet-known': 'not yet known',
  'not-shown': 'not shown by its date',
}

/** The family-wise error the goals of one initiative are held to together. */
export const GOALS_FAMILY_ALPHA = 0.05

export interface Goal {
  metric: MetricKey
  /** In the metric's unit (a share as 0–1). */
  target: number
  /** 'YYYY-MM-DD', the last day it may be reached on. */
  dueOn: string
}

export interface JudgedGoal extends Goal {
  label: string
  unit: Unit
  better: Better
  /**
   * The pilot teams' level (null without data), and its simultaneous interval (null below the minimum sample): of
   * the evaluation window so far, or once the due date has passed of the data up to its end (`byDueDate`).
   */
  value: number | null
  low: number | null
  high: number | null
  /** The interval's confidence level: 1 − 0.05/k for k goals. */
  level: number
  /** True once the due date has passed: the level, interval and status are of the data up to the end of that day. */
  byDueDate: boolean
  /** What the level is of, in words: "12 hires". */
  sample: string
  status: GoalStatus
  /** Why there is no interval, when there is none. */
  reason: string | null
  /** The sentence a delivery calls it out with (met, at risk, missed); null for the others. */
  callout: string | null
}

/**
 * The confidence of each of k simultaneous intervals (Bonferroni): 0.95 for one goal, 0.975 for two, when the
 * goals have the whole 5%; on a page that states other verdicts too they have their share of it (pageBudget).
 */
export function goalLevel(k: number, familyAlpha = GOALS_FAMILY_ALPHA): number {
  return 1 - familyAlpha / Math.max(1, k)
}

/** The day after the due date, midnight UTC: from then on the goal's date has passed. */
const pastDue = (dueOn: string) => addUtcDays(parseIsoDate(dueOn), 1)

/** Whether the goal's date has passed at `now`: from then on it is judged on the data up to the end of that day. */
export const isPastDue = (dueOn: string, now: Date) => now >= pastDue(dueOn)

/**
 * The status of a goal from its interval (null: none) and the date; see the head of this file. Past the due date
 * the interval must be the one of the data up to the due date (`judgeGoals` measures it so).
 */
export function goalStatus({
  better,
  target,
  interval,
  dueOn,
  now,
}: {
  better: Better
  target: number
  interval: { low: number; high: number } | null
  dueOn: string
  now: Date
}): GoalStatus {
  const past = isPastDue(dueOn, now)
  if (interval === null) return past ? 'not-shown' : 'not-yet-known'
  const met = better === 'lower' ? interval.high <= target : interval.low >= target
  if (met) return 'met'
  const short = better === 'lower' ? interval.low > target : interval.high < target
  // past the date, "missed" is a verdict like "met": only when the whole interval says so
  if (past) return short ? 'missed' : 'not-shown'
  return short ? 'at-risk' : 'on-track'
}

const inside = (at: Date, window: Interval) => at >= window.from && at < window.to

type Units<C> = readonly (readonly C[])[]

/**
 * The pilot teams' clusters of the evaluation window, grouped in the metric's resampling units: the same
 * clusters the comparison's "pilot, after" figure is of (lib/metrics/initiative.ts builds them the same way;
 * goals.test.ts checks that the two agree for every kind of metric). With `through` (the end of a due date), only
 * what had happened before it: hires, waves and services of the window up to then, each hire's merges seen as of
 * then, and the whole weeks that end by then (a week that straddles the date would bring in days after it).
 */
function pilotRows(rows: InitiativeRows, through?: Date) {
  const pilot = (teamId: number | null) => teamId !== null && rows.roles.get(teamId) === 'pilot'
  const window =
    through === undefined
      ? rows.evaluation
      : { from: rows.evaluation.from, to: through < rows.evaluation.to ? through : rows.evaluation.to }
  const asOf = through !== undefined && through < rows.now ? through : rows.now
  const within = (at: Date | undefined) => at !== undefined && inside(at, window)
  const wholeWeek = (monday: Date) => through === undefined || addUtcDays(monday, 7) <= through
  const byWave = (waveId: number) => rows.waveOpens.get(waveId)
  const one = <T>(items: readonly T[]): Units<T> => items.map((item) => [item])
  return {
    /** A calendar week of the pilot teams is one unit, as the comparison resamples it. */
    weeks: (): Units<TeamWeek> =>
      weeksByGroup(rows.weeks, (teamId) => (teamId === null ? null : (rows.roles.get(teamId) ?? null)))
        .filter(([week]) => within(new Date(`${week}T00:00:00Z`)) && wholeWeek(new Date(`${week}T00:00:00Z`)))
        .map(([, entry]) => entry.pilot)
        .filter((unit) => unit.length > 0),
    hires: (nth: number): Units<Observation> =>
      one(
        rows.hires
          .filter((hire) => pilot(hire.teamId) && within(hire.startDate))
          .map((hire) => daysToNthMerge(hire, nth, asOf)),
      ),
    respondents: (question: string | undefined): Units<Scored> =>
      one(
        question
          ? rows.answers
              .filter((a) => a.question === question && pilot(a.teamId) && within(byWave(a.waveId)))
              .map((a) => ({ value: a.score }))
          : respondents(rows.answers)
              .filter((r) => pilot(r.teamId) && within(byWave(r.waveId)))
              .map((r) => ({ value: r.score })),
      ),
    services: (): Units<Scored> =>
      one(
        rows.services
          .filter(
            (s) => s.requestedAt !== null && s.origin !== 'unknown' && pilot(s.ownerTeamId) && within(s.createdAt),
          )
          .map((s) => ({ value: (s.createdAt.getTime() - (s.requestedAt as Date).getTime()) / 3_600_000 })),
      ),
  }
}

/** Resamples enough that each tail of the interval rests on about 20 draws (at most 10,000: at 99.7% about 15). */
const replicatesFor = (level: number) => Math.min(10_000, Math.max(1000, Math.ceil(40 / (1 - level))))

export interface PilotLevel {
  value: number | null
  interval: LevelInterval | null
  /** What it is of: "12 hires". */
  sample: string
  /** Why there is no interval. */
  reason: string | null
}

interface LevelOptions {
  level: number
  seed: number
  replicates?: number
  /** The end of a due date (midnight UTC after it): the level of the evaluation data before it only. */
  through?: Date
}

function measure<C>(
  metric: { statistic: Statistic<C>; rules: SampleRule<C>[] },
  units: Units<C>,
  { level, seed, replicates, through }: LevelOptions,
): PilotLevel {
  const clusters = units.flat()
  const rule = metric.rules[metric.rules.length - 1] as SampleRule<C>
  const sample = rule.noun(rule.count(clusters))
  const value = metric.statistic(clusters)
  const label = through ? 'The pilot teams’ evaluation window up to the due date' : 'The pilot teams’ evaluation window'
  const short = shortfall([{ label, clusters }], metric.rules)
  if (short) return { value, interval: null, sample, reason: short }
  const interval = levelInterval(units, metric.statistic, {
    seed,
    confidence: level,
    replicates: replicates ?? replicatesFor(level),
  })
  if (!interval)
    return { value, interval, sample, reason: 'the figure cannot be computed in too many resamples of this data' }
  return { value, interval, sample, reason: null }
}

/**
 * The pilot teams' level of a metric – the evaluation window so far, or up to `through` – with an interval at
 * `level`, or why there is none.
 */
export function pilotLevel(rows: InitiativeRows, key: MetricKey, options: LevelOptions): PilotLevel {
  const metric = comparableMetric(key)
  const pilot = pilotRows(rows, options.through)
  switch (metric.clusters) {
    case 'team-week':
      return measure(metric, pilot.weeks(), options)
    case 'hire':
      return measure(metric, pilot.hires(metric.nth), options)
    case 'respondent':
      return measure(metric, pilot.respondents(metric.question), options)
    case 'service':
      return measure(metric, pilot.services(), options)
  }
}

/** Every goal of an initiative judged together: simultaneous intervals at 1 − 0.05/k, seeded per metric. */
export function judgeGoals(
  rows: InitiativeRows,
  goals: readonly Goal[],
  {
    seedPrefix,
    replicates,
    familyAlpha = GOALS_FAMILY_ALPHA,
  }: { seedPrefix: string; replicates?: number; familyAlpha?: number },
): JudgedGoal[] {
  const level = goalLevel(goals.length, familyAlpha)
  return goals.map((goal): JudgedGoal => {
    const metric = comparableMetric(goal.metric)
    // past its date a goal is judged on what happened by then, and the interval shown is that one
    const byDueDate = isPastDue(goal.dueOn, rows.now)
    const measured = pilotLevel(rows, goal.metric, {
      level,
      seed: seedFrom(`${seedPrefix}:goal:${goal.metric}`),
      replicates,
      through: byDueDate ? pastDue(goal.dueOn) : undefined,
    })
    const status = goalStatus({
      better: metric.better,
      target: goal.target,
      interval: measured.interval,
      dueOn: goal.dueOn,
      now: rows.now,
    })
    const judged: Omit<JudgedGoal, 'callout'> = {
      metric: goal.metric,
      target: goal.target,
      dueOn: goal.dueOn,
      label: metric.label,
      unit: metric.unit,
      better: metric.better,
      value: measured.value,
      low: measured.interval?.low ?? null,
      high: measured.interval?.high ?? null,
      level,
      byDueDate,
      sample: measured.sample,
      status,
      reason: measured.reason,
    }
    return { ...judged, callout: calloutOf(judged) }
  })
}

/** "97.5%": a level as a percentage, one decimal when it needs one. */
export function formatLevel(level: number): string {
  return `${Number((level * 100).toFixed(1))}%`
}

/** "Days to first merged PR" → "days to first merged PR"; "DX score" stays. */
const inSentence = (label: string) => (/^[A-Z][a-z]/.test(label) ? label[0]?.toLowerCase() + label.slice(1) : label)

type GoalFigures = Omit<JudgedGoal, 'callout'>

/** The pilot's level and interval in words: "6.5 days (97.5% interval 5.9 days to 7.0 days)". */
export function goalFigure(goal: GoalFigures): string {
  const value = formatValue(goal.unit, goal.value)
  if (goal.low === null || goal.high === null) return `${value} (${goal.sample}; no interval yet: ${goal.reason})`
  return `${value} (${formatLevel(goal.level)} interval ${formatValue(goal.unit, goal.low)} to ${formatValue(goal.unit, goal.high)})`
}

/** "a target of 7.0 days by 30 Jun 2027". */
export function goalTarget(goal: Pick<Goal, 'target' | 'dueOn'> & { unit: Unit }): string {
  return `a target of ${formatValue(goal.unit, goal.target)} by ${formatDate(parseIsoDate(goal.dueOn))}`
}

function calloutOf(goal: GoalFigures): string | null {
  const name = inSentence(goal.label)
  const figure = goal.byDueDate
    ? `the pilot teams’ ${name} by ${formatDate(parseIsoDate(goal.dueOn))} was ${goalFigure(goal)}`
    : `the pilot teams’ ${name} is ${goalFigure(goal)}`
  switch (goal.status) {
    case 'met':
      return `Goal met: ${figure}, against ${goalTarget(goal)}.`
    case 'at-risk':
      return `Goal at risk: ${figure}, the whole interval short of ${goalTarget(goal)}.`
    case 'missed':
      return `Goal missed: ${figure}, the whole interval short of ${goalTarget(goal)}.`
    default:
      return null
  }
}

/** The sentences a delivery calls goals out with: those met, at risk or missed, in the goals' order. */
export function goalCallouts(goals: readonly GoalFigures[]): string[] {
  return goals.map(calloutOf).filter((sentence): sentence is string => sentence !== null)
}
