import { describe, expect, it } from 'vitest'
import type { PullRequestFact } from './facts'
import { flowSummary, pullRequestPhases, throughputPerEngineerWeek } from './flow'

const at = (hour: number) => new Date(Date.UTC(2026, 2, 2) + hour * 3_600_000) // hours after Mon 2 Mar 2026 00:00
const pr = (
  id: number,
  firstCommit: number | null,
  opened: number,
  review: number | null,
  merged: number | null,
): PullRequestFact => ({
  id,
  teamId: 1,
  authorPersonId: 1,
  firstCommitAt: firstCommit === null ? null : at(firstCommit),
  openedAt: at(opened),
  firstReviewAt: review === null ? null : at(review),
  mergedAt: merged === null ? null : at(merged),
})
const WEEK = { from: at(0), to: at(7 * 24) }

describe('pull-request flow', () => {
  it('phases: commit 0 h, open 10 h, review 14 h, merge 20 h, deploy 50 h → coding 10, pickup 4, review 6, deploy 30, cycle 50', () => {
    expect(pullRequestPhases(pr(1, 0, 10, 14, 20), at(50))).toEqual({
      coding: 10,
      pickup: 4,
      review: 6,
      deploy: 30,
      cycle: 50,
    })
  })

  it('missing timestamps leave phases out; a first commit after opening (rebased) counts 0, not negative', () => {
    expect(pullRequestPhases(pr(2, null, 10, null, 20), null)).toEqual({
      coding: null,
      pickup: null,
      review: null,
      deploy: null,
      cycle: null,
    })
    expect(pullRequestPhases(pr(3, 12, 10, 14, 20), at(30)).coding).toBe(0)
  })

  it('week summary: PRs merged at 20 h and 30 h count; the one merged at 168 h (next Monday) does not → coding median (10 + 4) / 2 = 7 h', () => {
    const prs = [pr(1, 0, 10, 14, 20), pr(2, 20, 24, 25, 30), pr(3, 100, 110, 120, 168)]
    const summary = flowSummary(prs, new Map([[1, at(50)]]), WEEK)
    expect(summary.merged).toBe(2)
    expect(summary.phases.coding).toEqual({ medianHours: 7, count: 2 })
    expect(summary.phases.deploy).toEqual({ medianHours: 30, count: 1 }) // PR 2 is not deployed yet
  })

  it('throughput: 30 merged by 12 engineers over 2 weeks = 30 / 24 = 1.25 per engineer-week', () => {
    expect(throughputPerEngineerWeek(30, 24)).toBe(1.25)
    expect(throughputPerEngineerWeek(3, 0)).toBeNull()
  })
})
