// Pull-request flow: cycle time split into coding (first commit → opened), pickup (opened → first review),
// review (first review → merge) and deploy (merge → first production deployment), in hours; and throughput
// per engineer-week. A phase is left out where a timestamp is missing; a negative phase (a commit
// rewritten after the pull request opened) counts as 0.
import type { Interval } from '@/lib/dates'
import { quantile } from '@/lib/stats/summary'
import { HOUR, type PullRequestFact } from './facts'

export interface Phases {
  coding: number | null
  pickup: number | null
  review: number | null
  deploy: number | null
  /** First commit (or opening) → first production deployment. */
  cycle: number | null
}

const hoursBetween = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / HOUR)

export function pullRequestPhases(pr: PullRequestFact, firstDeployedAt: Date | null): Phases {
  return {
    coding: pr.firstCommitAt ? hoursBetween(pr.firstCommitAt, pr.openedAt) : null,
    pickup: pr.firstReviewAt ? hoursBetween(pr.openedAt, pr.firstReviewAt) : null,
    review: pr.firstReviewAt && pr.mergedAt ? hoursBetween(pr.firstReviewAt, pr.mergedAt) : null,
    deploy: pr.mergedAt && firstDeployedAt ? hoursBetween(pr.mergedAt, firstDeployedAt) : null,
    cycle: pr.mergedAt && firstDeployedAt ? hoursBetween(pr.firstCommitAt ?? pr.openedAt, firstDeployedAt) : null,
  }
}

export type PhaseName = keyof Phases
const phaseNames: readonly PhaseName[] = ['coding', 'pickup', 'review', 'deploy', 'cycle']

/** Median of each phase over pull requests merged in the interval, with how many each median is of. */
export function flowSummary(
  pullRequests: readonly PullRequestFact[],
  firstDeployedAt: ReadonlyMap<number, Date>,
  interval: Interval,
) {
  const values: Record<PhaseName, number[]> = { coding: [], pickup: [], review: [], deploy: [], cycle: [] }
  let merged = 0
  for (const pr of pullRequests) {
    if (!pr.mergedAt || pr.mergedAt < interval.from || pr.mergedAt >= interval.to) continue
    merged++
    const phases = pullRequestPhases(pr, firstDeployedAt.get(pr.id) ?? null)
    for (const name of phaseNames) if (phases[name] !== null) values[name].push(phases[name] as number)
  }
  const phases = Object.fromEntries(
    phaseNames.map((name) => [name, { medianHours: quantile(values[name], 0.5), count: values[name].length }]),
  ) as Record<PhaseName, { medianHours: number | null; count: number }>
  return { merged, phases }
}

/** Merged pull requests per engineer-week: a team's output per person, not per head of a busy few. */
export function throughputPerEngineerWeek(merged: number, engineerWeeks: number): number | null {
  return engineerWeeks > 0 ? merged / engineerWeeks : null
}
