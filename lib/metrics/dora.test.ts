import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  acknowledgeMinutes,
  changeFailRate,
  changeLeadTimes,
  deploymentFrequency,
  deploymentOutcomes,
  firstProductionDeployments,
  leadTimeSummary,
  recoveryMinutes,
  recoverySummary,
  restoreMinutes,
  reworkRate,
} from './dora'
import type { DeploymentFact, IncidentFact, PullRequestFact } from './facts'

// The week of Monday 2 March 2026, team 1 (the same case the SQL is tested on in tests/integration/dora.test.ts).
const WEEK = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-09T00:00:00Z') }
const d = (id: number, serviceId: number, finished: string, extra: Partial<DeploymentFact> = {}): DeploymentFact => ({
  id,
  teamId: serviceId === 3 ? 2 : 1,
  serviceId,
  repositoryId: serviceId === 3 ? 2 : 1,
  isProduction: true,
  status: 'success',
  finishedAt: new Date(finished),
  isRollback: false,
  isHotfix: false,
  ...extra,
})
const deployments: DeploymentFact[] = [
  d(10, 1, '2026-02-27T10:00Z'), // D0, before the week: first to ship PR3
  d(11, 1, '2026-03-03T10:00Z'), // A: incident 1 → failure, recovered 100 min later
  d(12, 2, '2026-03-04T12:00Z'), // B: rolled back 30 min later → failure
  d(13, 2, '2026-03-04T12:30Z', { isRollback: true }), // R
  d(14, 1, '2026-03-05T15:00Z'), // C: ships PR1 and PR3 (again)
  d(15, 2, '2026-03-05T10:00Z'), // E: hot-fixed 25 h later → not a failure
  d(16, 2, '2026-03-06T11:00Z', { isHotfix: true }), // K
  d(17, 1, '2026-03-06T09:00Z', { status: 'failure' }), // F: did not deploy
  d(18, 1, '2026-03-06T10:00Z', { isProduction: false }), // G: staging
  d(19, 1, '2026-03-09T00:00Z'), // H: at the end of the week → outside
  d(20, 3, '2026-03-03T09:00Z'), // X: team 2, its incident never resolved
]
const incidents: IncidentFact[] = [
  {
    id: 1,
    teamId: 1,
    openedAt: new Date('2026-03-03T10:10Z'),
    acknowledgedAt: new Date('2026-03-03T10:14Z'),
    resolvedAt: new Date('2026-03-03T11:40Z'),
    causedByDeploymentId: 11,
  },
  {
    id: 2,
    teamId: 2,
    openedAt: new Date('2026-03-03T09:30Z'),
    acknowledgedAt: new Date('2026-03-03T09:50Z'),
    resolvedAt: null,
    causedByDeploymentId: 20,
  },
  {
    id: 3,
    teamId: 1,
    openedAt: new Date('2026-03-08T23:00Z'),
    acknowledgedAt: null,
    resolvedAt: new Date('2026-03-09T01:00Z'),
    causedByDeploymentId: null,
  },
  {
    id: 4,
    teamId: 1,
    openedAt: new Date('2026-03-09T00:00Z'),
    acknowledgedAt: null,
    resolvedAt: new Date('2026-03-09T00:30Z'),
    causedByDeploymentId: null,
  }, // next week
]
const pr = (id: number, firstCommit: string, merged: string): PullRequestFact => ({
  id,
  teamId: 1,
  authorPersonId: id,
  firstCommitAt: new Date(firstCommit),
  openedAt: new Date(firstCommit),
  firstReviewAt: null,
  mergedAt: new Date(merged),
})
const pullRequests = [
  pr(1, '2026-03-03T15:00Z', '2026-03-04T10:00Z'),
  pr(2, '2026-03-02T10:00Z', '2026-03-02T20:00Z'),
  pr(3, '2026-02-20T09:00Z', '2026-02-26T09:00Z'),
]
const links = [
  { deploymentId: 10, pullRequestId: 3 },
  { deploymentId: 11, pullRequestId: 2 },
  { deploymentId: 14, pullRequestId: 1 },
  { deploymentId: 14, pullRequestId: 3 },
]
const team1 = <T extends { teamId: number | null }>(rows: T[]) => rows.filter((row) => row.teamId === 1)

describe('DORA keys, week of 2 March 2026', () => {
  it('deployment frequency, team 1: A B R C E K = 6 deployments / 1 week = 6.0 per week, 0.86 per day (F failed, G staging, H at the end excluded)', () => {
    expect(deploymentFrequency(team1(deployments), WEEK)).toEqual({ deployments: 6, perWeek: 6, perDay: 6 / 7 })
  })

  it('lead time, team 1: PR2 24 h, PR1 48 h → median 36 h, p85 24 + 0.85 × 24 = 44.4 h; PR3 was first shipped the week before', () => {
    const hours = changeLeadTimes(pullRequests, firstProductionDeployments(team1(deployments), links), WEEK)
    expect(hours.sort((a, b) => a - b)).toEqual([24, 48])
    const summary = leadTimeSummary(hours)
    expect(summary.medianHours).toBe(36)
    expect(summary.p85Hours).toBeCloseTo(44.4, 9)
  })

  it('change fail rate, team 1: A (incident) + B (rollback after 30 min) = 2 of 6 = 33.3%; E, hot-fixed after 25 h, is not one', () => {
    const outcomes = deploymentOutcomes(team1(deployments), incidents)
    expect(changeFailRate(outcomes, WEEK)).toEqual({ deployments: 6, failures: 2, rate: 2 / 6 })
    expect(outcomes.filter((o) => o.isChangeFailure).map((o) => o.deployment.id)).toEqual([11, 12])
  })

  it('recovery, team 1: A 100 min (incident resolved), B 30 min (rollback) → median 65 min, mean 65 min', () => {
    const minutes = recoveryMinutes(deploymentOutcomes(team1(deployments), incidents), WEEK)
    expect(minutes.sort((a, b) => a - b)).toEqual([30, 100])
    expect(recoverySummary(minutes)).toEqual({ recoveries: 2, medianMinutes: 65, meanMinutes: 65 })
  })

  it('whole organisation: X failed too (incident) but has not recovered: 3 failures of 7, still 2 recoveries', () => {
    const outcomes = deploymentOutcomes(deployments, incidents)
    expect(changeFailRate(outcomes, WEEK)).toEqual({ deployments: 7, failures: 3, rate: 3 / 7 })
    expect(recoveryMinutes(outcomes, WEEK)).toHaveLength(2)
  })

  it('rework rate, team 1: R (rollback) + K (hotfix) = 2 of 6 = 33.3%', () => {
    expect(reworkRate(deploymentOutcomes(team1(deployments), incidents), WEEK)).toEqual({
      deployments: 6,
      rework: 2,
      rate: 2 / 6,
    })
  })

  it('the linking rule is configurable: incidents only → A alone, 1 of 6; rollbacks and hotfixes within 26 h → A, B and E, 3 of 6', () => {
    const incidentsOnly = deploymentOutcomes(team1(deployments), incidents, {
      incidents: true,
      rollbacks: false,
      hotfixes: false,
      windowHours: 24,
    })
    expect(changeFailRate(incidentsOnly, WEEK).failures).toBe(1)
    const wider = deploymentOutcomes(team1(deployments), incidents, {
      incidents: true,
      rollbacks: true,
      hotfixes: true,
      windowHours: 26,
    })
    expect(changeFailRate(wider, WEEK).failures).toBe(3)
    const noIncidents = deploymentOutcomes(team1(deployments), incidents, {
      incidents: false,
      rollbacks: true,
      hotfixes: true,
      windowHours: 24,
    })
    expect(changeFailRate(noIncidents, WEEK).failures).toBe(1) // B only
  })

  it('time to restore, team 1: incident 1 90 min, incident 3 (opened 23:00 Sunday) 120 min → [90, 120]; incident 4 opened the next week', () => {
    expect(restoreMinutes(team1(incidents), WEEK).sort((a, b) => a - b)).toEqual([90, 120])
    expect(acknowledgeMinutes(incidents, WEEK).sort((a, b) => a - b)).toEqual([4, 20])
  })

  it('no metric depends on the order of the rows', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(deployments, { minLength: deployments.length }),
        fc.shuffledSubarray(incidents, { minLength: incidents.length }),
        fc.shuffledSubarray(links, { minLength: links.length }),
        (ds, is, ls) => {
          const outcomes = deploymentOutcomes(ds, is)
          expect(changeFailRate(outcomes, WEEK)).toEqual({ deployments: 7, failures: 3, rate: 3 / 7 })
          expect(recoveryMinutes(outcomes, WEEK).sort((a, b) => a - b)).toEqual([30, 100])
          expect(changeLeadTimes(pullRequests, firstProductionDeployments(ds, ls), WEEK).sort((a, b) => a - b)).toEqual(
            [24, 48],
          )
        },
      ),
    )
  })
})
