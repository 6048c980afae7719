// Every metric that can be compared between windows and between pilot and control: what it is a statistic
// of (which clusters it resamples), on which scale its effect is read, which way is better, and how much data
// each cell needs before anything is said. Pure.
import type { TeamWeek, UseCase } from '@/lib/domain'
import type { Statistic } from '@/lib/stats/bootstrap'
import type { Better, SampleRule, Scale } from '@/lib/stats/estimate'
import { pooledMean, pooledQuantile, pooledRatio } from '@/lib/stats/pooled'
import { kaplanMeierQuantile, type Observation } from '@/lib/stats/survival'

export type MetricKey =
  | 'deployment_frequency'
  | 'lead_time'
  | 'change_fail_rate'
  | 'recovery_time'
  | 'rework_rate'
  | 'time_to_restore'
  | 'time_to_acknowledge'
  | 'cycle_time'
  | 'review_time'
  | 'throughput'
  | 'days_to_first_merge'
  | 'days_to_tenth_merge'
  | 'dx_score'
  | 'docs_score'
  | 'service_setup_time'

export type Unit = 'per_service_week' | 'hours' | 'minutes' | 'days' | 'share' | 'score' | 'per_engineer_week'

/** A value per cluster, e.g. one respondent's score or one new service's setup time. */
export interface Scored {
  value: number
}

interface Definition<C> {
  key: MetricKey
  label: string
  unit: Unit
  better: Better
  scale: Scale
  statistic: Statistic<C>
  rules: SampleRule<C>[]
}

export type TeamWeekMetric = Definition<TeamWeek> & { clusters: 'team-week' }
export type HireMetric = Definition<Observation> & { clusters: 'hire'; nth: 1 | 10 }
export type ScoredMetric = Definition<Scored> & { clusters: 'respondent' | 'service'; question?: string }
export type ComparableMetric = TeamWeekMetric | HireMetric | ScoredMetric

/** "1 hire", "5 hires": nouns are given in the singular and take an s, or their plural when it differs. */
const counted =
  (singular: string, plural = `${singular}s`) =>
  (n: number) =>
    `${n} ${n === 1 ? singular : plural}`
const teamWeeks = (minimum: number): SampleRule<TeamWeek> => ({
  count: (c) => c.length,
  minimum,
  noun: counted('team-week'),
})
const valuesOf = (
  pick: (week: TeamWeek) => readonly number[],
  minimum: number,
  noun: (n: number) => string,
): SampleRule<TeamWeek> => ({
  count: (clusters) => clusters.reduce((sum, week) => sum + pick(week).length, 0),
  minimum,
  noun,
})
const totalOf = (
  pick: (week: TeamWeek) => number,
  minimum: number,
  noun: (n: number) => string,
): SampleRule<TeamWeek> => ({
  count: (clusters) => clusters.reduce((sum, week) => sum + pick(week), 0),
  minimum,
  noun,
})
const clusterCount = <C>(minimum: number, noun: (n: number) => string): SampleRule<C> => ({
  count: (c) => c.length,
  minimum,
  noun,
})

const scoredMean: Statistic<Scored> = (clusters) => {
  if (clusters.length === 0) return null
  let total = 0
  for (const cluster of clusters) total += cluster.value
  return total / clusters.length
}
const scoredMedian = pooledQuantile((cluster: Scored) => [cluster.value])

/** Minimum samples: enough for the interval to mean something, and never fewer than 5 people (privacy). */
export const comparableMetrics: readonly ComparableMetric[] = [
  {
    key: 'deployment_frequency',
    label: 'Deployment frequency',
    // Per service, as DORA defines it: a team that launches a service deploys more without deploying faster.
    unit: 'per_service_week',
    better: 'higher',
    scale: 'relative',
    clusters: 'team-week',
    statistic: pooledRatio(
      (week) => week.deployments,
      (week) => week.liveServices,
    ),
    rules: [teamWeeks(8), totalOf((week) => week.liveServices, 8, counted('service-week'))],
  },
  {
    key: 'lead_time',
    label: 'Change lead time',
    unit: 'hours',
    better: 'lower',
    scale: 'relative',
    clusters: 'team-week',
    statistic: pooledQuantile((week) => week.leadTimeHours),
    rules: [teamWeeks(8), valuesOf((week) => week.leadTimeHours, 30, counted('change'))],
  },
  {
    key: 'change_fail_rate',
    label: 'Change fail rate',
    unit: 'share',
    better: 'lower',
    scale: 'absolute',
    clusters: 'team-week',
    statistic: pooledRatio(
      (week) => week.changeFailures,
      (week) => week.deployments,
    ),
    rules: [teamWeeks(8), totalOf((week) => week.deployments, 30, counted('deployment'))],
  },
  {
    key: 'recovery_time',
    label: 'Failed deployment recovery time',
    unit: 'minutes',
    better: 'lower',
    scale: 'relative',
    clusters: 'team-week',
    statistic: pooledQuantile((week) => week.recoveryMinutes),
    rules: [valuesOf((week) => week.recoveryMinutes, 10, counted('recovery', 'recoveries'))],
  },
  {
    key: 'rework_rate',
    label: 'Deployment rework rate',
    unit: 'share',
    better: 'lower',
    scale: 'absolute',
    clusters: 'team-week',
    statistic: pooledRatio(
      (week) => week.reworkDeployments,
      (week) => week.deployments,
    ),
    rules: [teamWeeks(8), totalOf((week) => week.deployments, 30, counted('deployment'))],
  },
  {
    key: 'time_to_restore',
    label: 'Time to restore (mean)',
    unit: 'minutes',
    better: 'lower',
    scale: 'absolute',
    clusters: 'team-week',
    statistic: pooledMean((week) => week.restoreMinutes),
    rules: [valuesOf((week) => week.restoreMinutes, 10, counted('resolved incident'))],
  },
  {
    key: 'time_to_acknowledge',
    label: 'Time to acknowledge (mean)',
    unit: 'minutes',
    better: 'lower',
    scale: 'absolute',
    clusters: 'team-week',
    statistic: pooledMean((week) => week.acknowledgeMinutes),
    rules: [valuesOf((week) => week.acknowledgeMinutes, 10, counted('acknowledged incident'))],
  },
  {
    key: 'cycle_time',
    label: 'Cycle time',
    unit: 'hours',
    better: 'lower',
    scale: 'relative',
    clusters: 'team-week',
    statistic: pooledQuantile((week) => week.cycleHours),
    rules: [teamWeeks(8), valuesOf((week) => week.cycleHours, 30, counted('deployed pull request'))],
  },
  {
    key: 'review_time',
    label: 'Review time',
    unit: 'hours',
    better: 'lower',
    scale: 'relative',
    clusters: 'team-week',
    statistic: pooledQuantile((week) => week.reviewHours),
    rules: [teamWeeks(8), valuesOf((week) => week.reviewHours, 30, counted('reviewed pull request'))],
  },
  {
    key: 'throughput',
    label: 'Throughput per engineer',
    unit: 'per_engineer_week',
    better: 'higher',
    scale: 'relative',
    clusters: 'team-week',
    statistic: pooledRatio(
      (week) => week.mergedPullRequests,
      (week) => week.engineers,
    ),
    rules: [teamWeeks(8), totalOf((week) => week.engineers, 20, counted('engineer-week'))],
  },
  {
    key: 'days_to_first_merge',
    label: 'Days to first merged PR',
    unit: 'days',
    better: 'lower',
    scale: 'absolute',
    clusters: 'hire',
    nth: 1,
    statistic: (observations) => kaplanMeierQuantile(observations, 0.5),
    rules: [clusterCount(5, counted('hire'))],
  },
  {
    key: 'days_to_tenth_merge',
    label: 'Days to tenth merged PR',
    unit: 'days',
    better: 'lower',
    scale: 'absolute',
    clusters: 'hire',
    nth: 10,
    statistic: (observations) => kaplanMeierQuantile(observations, 0.5),
    rules: [clusterCount(5, counted('hire'))],
  },
  {
    key: 'dx_score',
    label: 'DX score',
    unit: 'score',
    better: 'higher',
    scale: 'absolute',
    clusters: 'respondent',
    statistic: scoredMean,
    rules: [clusterCount(10, counted('respondent'))],
  },
  {
    key: 'docs_score',
    label: 'Finding documentation (survey)',
    unit: 'score',
    better: 'higher',
    scale: 'absolute',
    clusters: 'respondent',
    question: 'find_docs',
    statistic: scoredMean,
    rules: [clusterCount(10, counted('respondent'))],
  },
  {
    key: 'service_setup_time',
    label: 'New service setup time',
    unit: 'hours',
    better: 'lower',
    scale: 'relative',
    clusters: 'service',
    statistic: scoredMedian,
    rules: [clusterCount(5, counted('new service'))],
  },
]

/**
 * All deployments per calendar week of the given teams (not per service): the Overview's organisation-wide
 * figure, compared before and after for the same teams. Not an initiative metric (groups differ in size).
 */
export const deploymentsPerWeek: Definition<TeamWeek> = {
  key: 'deployment_frequency',
  label: 'Deployments per week',
  unit: 'per_service_week',
  better: 'higher',
  scale: 'relative',
  statistic: pooledRatio(
    (week) => week.deployments,
    () => 1,
  ),
  rules: [teamWeeks(8)],
}

export function comparableMetric(key: MetricKey): ComparableMetric {
  const metric = comparableMetrics.find((candidate) => candidate.key === key)
  if (!metric) throw new Error(`unknown metric ${key}`)
  return metric
}

/** A metric of team-weeks (the DORA keys, flow, incidents). */
export function teamWeekMetric(key: MetricKey): TeamWeekMetric {
  const metric = comparableMetric(key)
  if (metric.clusters !== 'team-week') throw new Error(`${key} is not measured on team-weeks`)
  return metric
}

/**
 * The primary metrics of an initiative that names none: the pain each use case is meant to move (the seed's
 * use-case table). Few on purpose: every primary metric must be confirmed before any other change is stated.
 */
export const defaultPrimaryMetrics: Record<UseCase, readonly MetricKey[]> = {
  delivery: ['deployment_frequency', 'lead_time'],
  onboarding: ['days_to_first_merge'],
  incident_response: ['time_to_restore'],
  developer_experience: ['dx_score'],
  scaffolding: ['service_setup_time'],
  docs: ['docs_score'],
}
