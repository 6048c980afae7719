// The pilot teams' level of a metric, that a goal is judged on: the same statistic and clusters as the pilot's
// "after" figure of the comparison (lib/metrics/initiative.ts), with a bootstrap interval resampling the metric's own
// unit (calendar weeks of team-weeks, hires, respondents, new services); of the evaluation window so far, or of the
// evaluation data up to the end of a due date.
import { addUtcDays, type Interval } from '@/lib/dates'
import type { TeamWeek } from '@/lib/domain'
import type { Statistic } from '@/lib/stats/bootstrap'
import { shortfall, type SampleRule } from '@/lib/stats/estimate'
import { levelInterval, type LevelInterval } from '@/lib/stats/level'
import type { Observation } from '@/lib/stats/survival'
import { comparableMetric, type MetricKey, type Scored } from './comparable'
import { respondents } from './experience'
import type { InitiativeRows } from './initiative'
import { weeksByGroup } from './initiative-cells'
import { daysToNthMerge } from './onboarding'

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
