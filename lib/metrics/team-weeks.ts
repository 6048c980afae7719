// What each team × week rollup row holds, computed from the facts in TypeScript. The database computes the
// same rows in SQL (db/queries/rollup-rows.ts) for the dashboard to read; tests/integration/rollups.test.ts
// checks that the two agree on every team-week of the demo organisation.
//
// Which week a value belongs to (weeks start Monday 00:00 UTC):
// - deployments, change failures, rework, recoveries, lead times: the week the deployment finished (for a
//   lead time, the change's first production deployment);
// - merged pull requests and flow phases: the week of the merge;
// - incidents, restore and acknowledge times: the week the incident opened;
// - engineers: members of the team on the week's Monday; live services: deployment streams (a service, or a
//   repository without one) the team had deployed to production by the week's end; portal users: the
//   active engineers, i.e. people on the team on the week's Monday with a portal event that week, by person
//   id (lib/metrics/adoption.ts activeEngineerWeeks), so they never outnumber the engineers.
// A row exists for a team-week with at least one engineer or one fact. Duration lists are sorted.
import { startOfUtcWeek, toIsoDate, type Interval } from '@/lib/dates'
import { DEFAULT_CHANGE_FAILURE_RULE, type ChangeFailureRule, type TeamWeek } from '@/lib/domain'
import { activeEngineerWeeks, type PortalUseFact } from './adoption'
import { deploymentOutcomes, firstProductionDeployments, isSuccessfulProduction } from './dora'
import {
  HOUR,
  MINUTE,
  type DeploymentFact,
  type DeploymentLinkFact,
  type IncidentFact,
  type MembershipFact,
  type PullRequestFact,
} from './facts'
import { pullRequestPhases } from './flow'
import { mean, quantile } from '@/lib/stats/summary'

export type { TeamWeek }

export interface Facts {
  memberships: readonly MembershipFact[]
  pullRequests: readonly PullRequestFact[]
  deployments: readonly DeploymentFact[]
  links: readonly DeploymentLinkFact[]
  incidents: readonly IncidentFact[]
  portalEvents: readonly PortalUseFact[]
}

const WEEK = 7 * 24 * HOUR

/** Team-weeks whose week starts in [startOfWeek(from), to). */
export function computeTeamWeeks(
  facts: Facts,
  range: Interval,
  rule: ChangeFailureRule = DEFAULT_CHANGE_FAILURE_RULE,
): TeamWeek[] {
  const first = startOfUtcWeek(range.from).getTime()
  const rows = new Map<string, TeamWeek>()
  const row = (teamId: number | null, at: Date): TeamWeek | null => {
    if (teamId === null) return null
    const week = startOfUtcWeek(at)
    if (week.getTime() < first || week >= range.to) return null
    const weekStart = toIsoDate(week)
    const key = `${teamId}|${weekStart}`
    let entry = rows.get(key)
    if (!entry) {
      entry = emptyTeamWeek(teamId, weekStart)
      rows.set(key, entry)
    }
    return entry
  }

  for (let monday = first; monday < range.to.getTime(); monday += WEEK) {
    const day = toIsoDate(new Date(monday))
    for (const membership of facts.memberships) {
      if (membership.validFrom <= day && (membership.validTo === null || membership.validTo > day)) {
        const entry = row(membership.teamId, new Date(monday))
        if (entry) entry.engineers++
      }
    }
  }

  const firstShipped = new Map<string, { teamId: number; at: number }>()
  for (const deployment of facts.deployments) {
    if (!isSuccessfulProduction(deployment) || deployment.teamId === null) continue
    const key = `${deployment.teamId}|${deployment.serviceId ?? -(deployment.repositoryId ?? 0)}`
    const current = firstShipped.get(key)
    if (!current || deployment.finishedAt.getTime() < current.at)
      firstShipped.set(key, { teamId: deployment.teamId, at: deployment.finishedAt.getTime() })
  }
  for (let monday = first; monday < range.to.getTime(); monday += WEEK) {
    for (const stream of firstShipped.values()) {
      if (stream.at < monday + WEEK) {
        const entry = row(stream.teamId, new Date(monday))
        if (entry) entry.liveServices++
      }
    }
  }

  for (const outcome of deploymentOutcomes(facts.deployments, facts.incidents, rule)) {
    const entry = row(outcome.deployment.teamId, outcome.deployment.finishedAt)
    if (!entry) continue
    entry.deployments++
    if (outcome.isChangeFailure) entry.changeFailures++
    if (outcome.isRework) entry.reworkDeployments++
    if (outcome.isChangeFailure && outcome.recoveredAt)
      entry.recoveryMinutes.push((outcome.recoveredAt.getTime() - outcome.deployment.finishedAt.getTime()) / MINUTE)
  }

  const firstDeployments = firstProductionDeployments(facts.deployments, facts.links)
  for (const pr of facts.pullRequests) {
    const deployment = firstDeployments.get(pr.id)
    if (deployment) {
      const entry = row(deployment.teamId, deployment.finishedAt)
      if (entry)
        entry.leadTimeHours.push((deployment.finishedAt.getTime() - (pr.firstCommitAt ?? pr.openedAt).getTime()) / HOUR)
    }
    if (!pr.mergedAt) continue
    const entry = row(pr.teamId, pr.mergedAt)
    if (!entry) continue
    entry.mergedPullRequests++
    const phases = pullRequestPhases(pr, deployment?.finishedAt ?? null)
    if (phases.coding !== null) entry.codingHours.push(phases.coding)
    if (phases.pickup !== null) entry.pickupHours.push(phases.pickup)
    if (phases.review !== null) entry.reviewHours.push(phases.review)
    if (phases.deploy !== null) entry.deployHours.push(phases.deploy)
    if (phases.cycle !== null) entry.cycleHours.push(phases.cycle)
  }

  for (const incident of facts.incidents) {
    const entry = row(incident.teamId, incident.openedAt)
    if (!entry) continue
    entry.incidents++
    if (incident.resolvedAt)
      entry.restoreMinutes.push((incident.resolvedAt.getTime() - incident.openedAt.getTime()) / MINUTE)
    if (incident.acknowledgedAt)
      entry.acknowledgeMinutes.push((incident.acknowledgedAt.getTime() - incident.openedAt.getTime()) / MINUTE)
  }

  // person ids as text, sorted as text: the rollup's array (collate "C")
  for (const week of activeEngineerWeeks(facts.memberships, facts.portalEvents, range)) {
    const entry = row(week.teamId, new Date(`${week.weekStart}T00:00:00Z`))
    if (entry) entry.portalUsers = week.personIds.map(String).sort()
  }

  const ascending = (a: number, b: number) => a - b
  return [...rows.values()]
    .map((entry) => ({
      ...entry,
      leadTimeHours: entry.leadTimeHours.sort(ascending),
      recoveryMinutes: entry.recoveryMinutes.sort(ascending),
      codingHours: entry.codingHours.sort(ascending),
      pickupHours: entry.pickupHours.sort(ascending),
      reviewHours: entry.reviewHours.sort(ascending),
      deployHours: entry.deployHours.sort(ascending),
      cycleHours: entry.cycleHours.sort(ascending),
      restoreMinutes: entry.restoreMinutes.sort(ascending),
      acknowledgeMinutes: entry.acknowledgeMinutes.sort(ascending),
    }))
    .sort((a, b) => a.weekStart.localeCompare(b.weekStart) || a.teamId - b.teamId)
}

/**
 * One cluster of all the given team-weeks (counts summed, values pooled): a calendar week of a group of
 * teams, the unit a before/after comparison of that group resamples.
 */
function mergeTeamWeeks(weeks: readonly TeamWeek[], weekStart: string): TeamWeek {
  const merged = emptyTeamWeek(-1, weekStart)
  for (const week of weeks) {
    merged.engineers += week.engineers
    merged.liveServices += week.liveServices
    merged.mergedPullRequests += week.mergedPullRequests
    merged.deployments += week.deployments
    merged.changeFailures += week.changeFailures
    merged.reworkDeployments += week.reworkDeployments
    merged.incidents += week.incidents
    merged.leadTimeHours.push(...week.leadTimeHours)
    merged.recoveryMinutes.push(...week.recoveryMinutes)
    merged.codingHours.push(...week.codingHours)
    merged.pickupHours.push(...week.pickupHours)
    merged.reviewHours.push(...week.reviewHours)
    merged.deployHours.push(...week.deployHours)
    merged.cycleHours.push(...week.cycleHours)
    merged.restoreMinutes.push(...week.restoreMinutes)
    merged.acknowledgeMinutes.push(...week.acknowledgeMinutes)
    merged.portalUsers.push(...week.portalUsers)
  }
  return merged
}

/** The team-weeks grouped into one merged cluster per calendar week, in week order. */
export function weekClusters(weeks: readonly TeamWeek[]): TeamWeek[] {
  const byWeek = new Map<string, TeamWeek[]>()
  for (const week of weeks) byWeek.set(week.weekStart, [...(byWeek.get(week.weekStart) ?? []), week])
  return [...byWeek.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([start, list]) => mergeTeamWeeks(list, start))
}

/** A team-week with nothing in it yet. */
export function emptyTeamWeek(teamId: number, weekStart: string): TeamWeek {
  return {
    teamId,
    weekStart,
    engineers: 0,
    liveServices: 0,
    mergedPullRequests: 0,
    deployments: 0,
    changeFailures: 0,
    reworkDeployments: 0,
    leadTimeHours: [],
    recoveryMinutes: [],
    codingHours: [],
    pickupHours: [],
    reviewHours: [],
    deployHours: [],
    cycleHours: [],
    incidents: 0,
    restoreMinutes: [],
    acknowledgeMinutes: [],
    portalUsers: [],
  }
}

export interface Distribution {
  count: number
  median: number | null
  p85: number | null
  mean: number | null
}

/** Team-weeks summed and their values pooled, for one group (a week, a team, or everything). */
export interface TeamWeekAggregate {
  key: string
  teamWeeks: number
  weeks: number
  teams: number
  engineerWeeks: number
  /** Σ live services over the team-weeks: the denominator of deployments per service-week. */
  serviceWeeks: number
  mergedPullRequests: number
  deployments: number
  changeFailures: number
  reworkDeployments: number
  incidents: number
  leadTimeHours: Distribution
  recoveryMinutes: Distribution
  restoreMinutes: Distribution
  acknowledgeMinutes: Distribution
  codingHours: Distribution
  pickupHours: Distribution
  reviewHours: Distribution
  deployHours: Distribution
  cycleHours: Distribution
  /**
   * Distinct active engineers over the group's team-weeks (people on a team's roster on a week's Monday who
   * used the portal that week). For one calendar week, at most its engineerWeeks.
   */
  portalUsers: number
}

const DISTRIBUTIONS = [
  'leadTimeHours',
  'recoveryMinutes',
  'restoreMinutes',
  'acknowledgeMinutes',
  'codingHours',
  'pickupHours',
  'reviewHours',
  'deployHours',
  'cycleHours',
] as const

/**
 * Team-weeks summed and pooled by week, by team, or all together, in key order (as text). Medians and
 * percentiles are of the pooled values (type 7, as Postgres' percentile_cont), never medians of medians.
 */
export function summarizeTeamWeeks(weeks: readonly TeamWeek[], by: 'week' | 'team' | 'all'): TeamWeekAggregate[] {
  const groups = new Map<string, TeamWeek[]>()
  for (const week of weeks) {
    const key = by === 'week' ? week.weekStart : by === 'team' ? String(week.teamId) : 'all'
    const group = groups.get(key)
    if (group) group.push(week)
    else groups.set(key, [week])
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, group]) => summarize(key, group))
}

function summarize(key: string, group: readonly TeamWeek[]): TeamWeekAggregate {
  const total = (
    field:
      | 'engineers'
      | 'liveServices'
      | 'mergedPullRequests'
      | 'deployments'
      | 'changeFailures'
      | 'reworkDeployments'
      | 'incidents',
  ) => group.reduce((sum, week) => sum + week[field], 0)
  const distribution = (field: (typeof DISTRIBUTIONS)[number]): Distribution => {
    const values = new Float64Array(group.reduce((n, week) => n + week[field].length, 0))
    let at = 0
    for (const week of group) for (const value of week[field]) values[at++] = value
    return { count: values.length, median: quantile(values, 0.5), p85: quantile(values, 0.85), mean: mean(values) }
  }
  const users = new Set<string>()
  for (const week of group) for (const user of week.portalUsers) users.add(user)
  return {
    key,
    teamWeeks: group.length,
    weeks: new Set(group.map((week) => week.weekStart)).size,
    teams: new Set(group.map((week) => week.teamId)).size,
    engineerWeeks: total('engineers'),
    serviceWeeks: total('liveServices'),
    mergedPullRequests: total('mergedPullRequests'),
    deployments: total('deployments'),
    changeFailures: total('changeFailures'),
    reworkDeployments: total('reworkDeployments'),
    incidents: total('incidents'),
    portalUsers: users.size,
    ...(Object.fromEntries(DISTRIBUTIONS.map((field) => [field, distribution(field)])) as Pick<
      TeamWeekAggregate,
      (typeof DISTRIBUTIONS)[number]
    >),
  }
}
