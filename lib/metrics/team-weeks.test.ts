import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Facts } from './team-weeks'
import { computeTeamWeeks, emptyTeamWeek, summarizeTeamWeeks } from './team-weeks'

const t = (iso: string) => new Date(iso)
const facts: Facts = {
  memberships: [
    { personId: 1, teamId: 1, validFrom: '2025-01-01', validTo: null },
    { personId: 2, teamId: 1, validFrom: '2025-01-01', validTo: '2026-03-09' }, // leaves on the second Monday
    { personId: 3, teamId: 2, validFrom: '2026-03-03', validTo: null }, // joins on a Tuesday: not there on the first Monday
  ],
  pullRequests: [
    {
      id: 1,
      teamId: 1,
      authorPersonId: 1,
      firstCommitAt: t('2026-03-02T08:00Z'),
      openedAt: t('2026-03-02T10:00Z'),
      firstReviewAt: t('2026-03-02T12:00Z'),
      mergedAt: t('2026-03-03T12:00Z'),
    },
    {
      id: 2,
      teamId: 2,
      authorPersonId: 3,
      firstCommitAt: null,
      openedAt: t('2026-03-10T10:00Z'),
      firstReviewAt: null,
      mergedAt: t('2026-03-11T10:00Z'),
    },
  ],
  deployments: [
    {
      id: 1,
      teamId: 1,
      serviceId: 1,
      repositoryId: 1,
      isProduction: true,
      status: 'success',
      finishedAt: t('2026-03-09T08:00Z'),
      isRollback: false,
      isHotfix: false,
    },
    {
      id: 2,
      teamId: 1,
      serviceId: 1,
      repositoryId: 1,
      isProduction: true,
      status: 'success',
      finishedAt: t('2026-03-09T09:00Z'),
      isRollback: true,
      isHotfix: false,
    },
  ],
  links: [{ deploymentId: 1, pullRequestId: 1 }],
  incidents: [
    {
      id: 1,
      teamId: 2,
      openedAt: t('2026-03-04T10:00Z'),
      acknowledgedAt: t('2026-03-04T10:05Z'),
      resolvedAt: t('2026-03-04T11:00Z'),
      causedByDeploymentId: null,
    },
  ],
  portalEvents: [
    { teamId: 1, personId: 2, userRef: 'user:default/b', occurredAt: t('2026-03-02T09:00Z') },
    { teamId: 1, personId: 1, userRef: 'user:default/a', occurredAt: t('2026-03-03T09:00Z') },
    { teamId: 1, personId: 1, userRef: 'user:default/a', occurredAt: t('2026-03-04T09:00Z') },
  ],
}
const RANGE = { from: t('2026-03-02T00:00Z'), to: t('2026-03-16T00:00Z') }

describe('team × week values', () => {
  const rows = computeTeamWeeks(facts, RANGE)
  const get = (teamId: number, week: string) => rows.find((row) => row.teamId === teamId && row.weekStart === week)

  it('team 1, week of 2 Mar: 2 engineers, PR 1 merged (coding 2 h, pickup 2 h, review 24 h), 2 active engineers (persons 1 and 2, on the roster that Monday)', () => {
    expect(get(1, '2026-03-02')).toMatchObject({
      engineers: 2,
      mergedPullRequests: 1,
      codingHours: [2],
      pickupHours: [2],
      reviewHours: [24],
      portalUsers: ['1', '2'],
    })
  })

  it('PR 1 merged Tue 12:00, deployed the next Mon 08:00: deploy phase 140 h and cycle 168 h (7 days from the first commit) stay with the merge week; lead time 168 h goes to the deploy week', () => {
    expect(get(1, '2026-03-02')).toMatchObject({
      deployHours: [140],
      cycleHours: [168],
      leadTimeHours: [],
      liveServices: 0,
    })
    expect(get(1, '2026-03-09')).toMatchObject({
      leadTimeHours: [168],
      deployments: 2,
      changeFailures: 1,
      reworkDeployments: 1,
      recoveryMinutes: [60],
      engineers: 1,
      liveServices: 1,
    })
    expect(get(1, '2026-03-09')?.liveServices).toBe(1) // service 1 first shipped Mon 9 Mar: live from that week on
  })

  it('team 2: no engineer on the first Monday (joined Tuesday), yet a row for its incident (restore 60 min, ack 5 min); 1 engineer in week 2', () => {
    expect(get(2, '2026-03-02')).toMatchObject({
      engineers: 0,
      incidents: 1,
      restoreMinutes: [60],
      acknowledgeMinutes: [5],
    })
    expect(get(2, '2026-03-09')).toMatchObject({ engineers: 1, mergedPullRequests: 1, codingHours: [] })
  })

  it('rows are the same whatever the order of the facts', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...facts.memberships], { minLength: facts.memberships.length }),
        fc.shuffledSubarray([...facts.deployments], { minLength: facts.deployments.length }),
        fc.shuffledSubarray([...facts.portalEvents], { minLength: facts.portalEvents.length }),
        (memberships, deployments, portalEvents) => {
          expect(computeTeamWeeks({ ...facts, memberships, deployments, portalEvents }, RANGE)).toEqual(rows)
        },
      ),
    )
  })
})

describe('summarizeTeamWeeks', () => {
  const week = (
    teamId: number,
    weekStart: string,
    leadTimeHours: number[],
    portalUsers: string[],
    deployments: number,
  ) => ({
    ...emptyTeamWeek(teamId, weekStart),
    engineers: 5,
    deployments,
    leadTimeHours,
    portalUsers,
  })
  const rows = [
    week(1, '2026-03-02', [1, 9], ['ada', 'ben'], 2),
    week(2, '2026-03-02', [4], ['chen'], 1),
    week(1, '2026-03-09', [2, 3, 10], ['ada'], 3),
  ]

  it('pools values per group, sums counts and counts distinct portal users: never a median of medians', () => {
    const [all] = summarizeTeamWeeks(rows, 'all')
    // lead times 1, 2, 3, 4, 9, 10: median (3 + 4) / 2; p85 at position 4.25 between 9 and 10
    expect(all).toMatchObject({
      key: 'all',
      teamWeeks: 3,
      weeks: 2,
      teams: 2,
      engineerWeeks: 15,
      deployments: 6,
      portalUsers: 3,
    })
    expect(all?.leadTimeHours).toEqual({ count: 6, median: 3.5, p85: 9.25, mean: 29 / 6 })
    expect(all?.recoveryMinutes).toEqual({ count: 0, median: null, p85: null, mean: null })
  })

  it('groups by week and by team, in key order', () => {
    expect(
      summarizeTeamWeeks(rows, 'week').map((w) => [w.key, w.deployments, w.leadTimeHours.median, w.portalUsers]),
    ).toEqual([
      ['2026-03-02', 3, 4, 3],
      ['2026-03-09', 3, 3, 1],
    ])
    expect(summarizeTeamWeeks(rows, 'team').map((t) => [t.key, t.weeks, t.leadTimeHours.median])).toEqual([
      ['1', 2, 3],
      ['2', 1, 4],
    ])
  })
})
