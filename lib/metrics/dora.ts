// The DORA keys as pure functions of facts and an explicit UTC interval [from, to). Definitions, sources and
// exclusions: docs/metrics.md. The database computes the same (db/queries/dora.ts, db/queries/rollup-rows.ts);
// tests/integration/rollups.test.ts checks that both agree on every team-week of the demo organisation.
import type { Interval } from '@/lib/dates'
import { DEFAULT_CHANGE_FAILURE_RULE, type ChangeFailureRule } from '@/lib/domain'
import { mean, quantile } from '@/lib/stats/summary'
import {
  HOUR,
  MINUTE,
  type DeploymentFact,
  type DeploymentLinkFact,
  type IncidentFact,
  type PullRequestFact,
} from './facts'

export function isSuccessfulProduction(
  deployment: DeploymentFact,
): deployment is DeploymentFact & { finishedAt: Date } {
  return deployment.isProduction && deployment.status === 'success' && deployment.finishedAt !== null
}

const within = (interval: Interval, at: Date) => at >= interval.from && at < interval.to
const weeksIn = (interval: Interval) => (interval.to.getTime() - interval.from.getTime()) / (7 * 24 * HOUR)

export interface DeploymentOutcome {
  deployment: DeploymentFact & { finishedAt: Date }
  isChangeFailure: boolean
  /** When a change failure recovered: its remediation finished or all its incidents were resolved. */
  recoveredAt: Date | null
  /** DORA 2024 rework: an unplanned deployment made to remediate (a rollback or a hotfix). */
  isRework: boolean
}

/**
 * Every successful production deployment with its outcome. "The next deployment" is the next successful
 * production deployment of the same service and repository, in finish-time order (ties by id).
 */
export function deploymentOutcomes(
  deployments: readonly DeploymentFact[],
  incidents: readonly IncidentFact[],
  rule: ChangeFailureRule = DEFAULT_CHANGE_FAILURE_RULE,
): DeploymentOutcome[] {
  const production = deployments.filter(isSuccessfulProduction)
  const byStream = new Map<string, (DeploymentFact & { finishedAt: Date })[]>()
  for (const deployment of production) {
    const key = `${deployment.serviceId}:${deployment.repositoryId}`
    const stream = byStream.get(key) ?? []
    stream.push(deployment)
    byStream.set(key, stream)
  }
  const caused = new Map<number, IncidentFact[]>()
  for (const incident of incidents) {
    if (incident.causedByDeploymentId === null) continue
    const list = caused.get(incident.causedByDeploymentId) ?? []
    list.push(incident)
    caused.set(incident.causedByDeploymentId, list)
  }
  const outcomes: DeploymentOutcome[] = []
  for (const stream of byStream.values()) {
    stream.sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime() || a.id - b.id)
    stream.forEach((deployment, index) => {
      const next = stream[index + 1]
      const remediatedAt =
        next &&
        ((rule.rollbacks && next.isRollback) || (rule.hotfixes && next.isHotfix)) &&
        next.finishedAt.getTime() <= deployment.finishedAt.getTime() + rule.windowHours * HOUR
          ? next.finishedAt
          : null
      const linked = rule.incidents ? (caused.get(deployment.id) ?? []) : []
      const incidentsResolvedAt =
        linked.length > 0 && linked.every((incident) => incident.resolvedAt)
          ? new Date(Math.max(...linked.map((incident) => (incident.resolvedAt as Date).getTime())))
          : null
      const isChangeFailure = linked.length > 0 || remediatedAt !== null
      const candidates = [remediatedAt, incidentsResolvedAt].filter((date): date is Date => date !== null)
      outcomes.push({
        deployment,
        isChangeFailure,
        recoveredAt:
          isChangeFailure && candidates.length > 0
            ? new Date(Math.min(...candidates.map((date) => date.getTime())))
            : null,
        isRework: deployment.isRollback || deployment.isHotfix,
      })
    })
  }
  return outcomes.sort(
    (a, b) =>
      a.deployment.finishedAt.getTime() - b.deployment.finishedAt.getTime() || a.deployment.id - b.deployment.id,
  )
}

/** Successful production deployments finished in the interval, per day and per week. */
export function deploymentFrequency(deployments: readonly DeploymentFact[], interval: Interval) {
  const count = deployments.filter((d) => isSuccessfulProduction(d) && within(interval, d.finishedAt)).length
  const weeks = weeksIn(interval)
  return { deployments: count, perWeek: weeks > 0 ? count / weeks : 0, perDay: weeks > 0 ? count / (weeks * 7) : 0 }
}

/** Each pull request's first successful production deployment. */
export function firstProductionDeployments(
  deployments: readonly DeploymentFact[],
  links: readonly DeploymentLinkFact[],
): Map<number, DeploymentFact & { finishedAt: Date }> {
  const byId = new Map(deployments.filter(isSuccessfulProduction).map((deployment) => [deployment.id, deployment]))
  const first = new Map<number, DeploymentFact & { finishedAt: Date }>()
  for (const link of links) {
    const deployment = byId.get(link.deploymentId)
    if (!deployment) continue
    const current = first.get(link.pullRequestId)
    if (
      !current ||
      deployment.finishedAt < current.finishedAt ||
      (deployment.finishedAt.getTime() === current.finishedAt.getTime() && deployment.id < current.id)
    ) {
      first.set(link.pullRequestId, deployment)
    }
  }
  return first
}

/** Hours from first commit (or opening) to first production deployment, for changes first deployed in the interval. */
export function changeLeadTimes(
  pullRequests: readonly PullRequestFact[],
  first: ReadonlyMap<number, DeploymentFact & { finishedAt: Date }>,
  interval: Interval,
): number[] {
  const hours: number[] = []
  for (const pr of pullRequests) {
    const deployment = first.get(pr.id)
    if (!deployment || !within(interval, deployment.finishedAt)) continue
    hours.push((deployment.finishedAt.getTime() - (pr.firstCommitAt ?? pr.openedAt).getTime()) / HOUR)
  }
  return hours
}

export function leadTimeSummary(hours: readonly number[]) {
  return { changes: hours.length, medianHours: quantile(hours, 0.5), p85Hours: quantile(hours, 0.85) }
}

/** Change failures ÷ successful production deployments in the interval. */
export function changeFailRate(outcomes: readonly DeploymentOutcome[], interval: Interval) {
  const inside = outcomes.filter((o) => within(interval, o.deployment.finishedAt))
  const failures = inside.filter((o) => o.isChangeFailure).length
  return { deployments: inside.length, failures, rate: inside.length > 0 ? failures / inside.length : null }
}

/** Minutes from each change failure in the interval to its recovery; unrecovered ones are left out. */
export function recoveryMinutes(outcomes: readonly DeploymentOutcome[], interval: Interval): number[] {
  return outcomes
    .filter((o) => o.isChangeFailure && o.recoveredAt && within(interval, o.deployment.finishedAt))
    .map((o) => ((o.recoveredAt as Date).getTime() - o.deployment.finishedAt.getTime()) / MINUTE)
}

export function recoverySummary(minutes: readonly number[]) {
  return { recoveries: minutes.length, medianMinutes: quantile(minutes, 0.5), meanMinutes: mean(minutes) }
}

/** Rework deployments ÷ successful production deployments in the interval (DORA 2024). */
export function reworkRate(outcomes: readonly DeploymentOutcome[], interval: Interval) {
  const inside = outcomes.filter((o) => within(interval, o.deployment.finishedAt))
  const rework = inside.filter((o) => o.isRework).length
  return { deployments: inside.length, rework, rate: inside.length > 0 ? rework / inside.length : null }
}

/** Minutes from opened to resolved, for incidents opened in the interval and resolved (mean: "MTTR"). */
export function restoreMinutes(incidents: readonly IncidentFact[], interval: Interval): number[] {
  return incidents
    .filter((incident) => incident.resolvedAt && within(interval, incident.openedAt))
    .map((incident) => ((incident.resolvedAt as Date).getTime() - incident.openedAt.getTime()) / MINUTE)
}

export function acknowledgeMinutes(incidents: readonly IncidentFact[], interval: Interval): number[] {
  return incidents
    .filter((incident) => incident.acknowledgedAt && within(interval, incident.openedAt))
    .map((incident) => ((incident.acknowledgedAt as Date).getTime() - incident.openedAt.getTime()) / MINUTE)
}
