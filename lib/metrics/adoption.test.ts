import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  activeEngineerWeeks,
  adoptionOver,
  catalogCoverage,
  portalUsersOver,
  portalUserKey,
  rosterOver,
  scaffolderSummary,
  serviceCreation,
  type PortalUseFact,
} from './adoption'
import type { MembershipFact } from './facts'

const day = (n: number, hour = 10) => new Date(Date.UTC(2026, 2, 2 + n, hour))
const WEEK = { from: day(0, 0), to: day(7, 0) }
const FOUR_WEEKS = { from: day(0, 0), to: day(28, 0) }
const member = (
  personId: number,
  teamId: number,
  validFrom: string,
  validTo: string | null = null,
): MembershipFact => ({ personId, teamId, validFrom, validTo })
const use = (
  personId: number | null,
  userRef: string | null,
  occurredAt: Date,
  teamId: number | null = 1,
): PortalUseFact => ({ personId, userRef, occurredAt, teamId })
const keys = (ids: number[]) => ids.map(String)
/** One team's figure over a period, from the raw rows as the read model composes it from the rollups. */
function figure(
  memberships: MembershipFact[],
  events: PortalUseFact[],
  period: { from: Date; to: Date },
  teamId: number,
) {
  return adoptionOver({
    roster: keys(
      rosterOver(memberships, period)
        .filter((row) => row.teamId === teamId)
        .map((row) => row.personId),
    ),
    active: activeEngineerWeeks(memberships, events, period)
      .filter((week) => week.teamId === teamId)
      .flatMap((week) => keys(week.personIds)),
    portalUsers: portalUsersOver(events, period)
      .filter((row) => row.teamId === teamId)
      .map((row) => row.user),
  })
}

describe('adoption', () => {
  // week of Mon 2 Mar: ada (1), ben (2), cy (3) on team 1 that Monday; dee (4) joins on Wednesday; fay (5) left on the Monday
  const roster = [
    member(1, 1, '2025-01-01'),
    member(2, 1, '2025-01-01'),
    member(3, 1, '2025-01-01'),
    member(4, 1, '2026-03-04'),
    member(5, 1, '2025-01-01', '2026-03-02'),
  ]
  const events = [
    use(1, 'user:default/ada', day(0)),
    use(1, 'user:other/Ada', day(3)), // the same person under a second user ref
    use(1, 'user:default/ada', day(4), 2), // attributed to another team: still team 1's active engineer
    use(2, 'user:default/ben', day(6, 23)),
    use(3, 'user:default/cy', day(7, 0)), // next Monday 00:00: outside the week
    use(4, 'user:default/dee', day(2)),
    use(5, 'user:default/fay', day(0, 9)),
    use(null, 'user:default/zoe', day(1)), // not on the roster at all
    use(null, null, day(1)), // anonymous: nobody
  ]

  it('week of 2 Mar, team 1: ada (two user refs, one event sent to team 2) and ben active of ada, ben, cy on the Monday → 2 ÷ 3 = 67%; cy next Monday 00:00 is outside', () => {
    expect(activeEngineerWeeks(roster, events, WEEK)).toEqual([
      { teamId: 1, weekStart: '2026-03-02', personIds: [1, 2] },
    ])
    expect(
      rosterOver(roster, WEEK)
        .filter((row) => row.teamId === 1)
        .map((row) => row.personId),
    ).toEqual([1, 2, 3])
    expect(figure(roster, events, WEEK, 1)).toMatchObject({ activeEngineers: 2, engineers: 3, activeShare: 2 / 3 })
  })

  it('week of 2 Mar, team 1: dee (joined Wednesday), fay (left on the Monday) and zoe (no person) are + 3 other portal users, not active engineers; the anonymous event is nobody', () => {
    expect(figure(roster, events, WEEK, 1).otherUsers).toBe(3)
    expect(
      portalUsersOver(events, WEEK)
        .filter((row) => row.teamId === 1)
        .map((row) => row.user)
        .sort(),
    ).toEqual(['1', '2', '4', '5', 'ref:user:default/zoe'])
  })

  it('the next week, team 1: cy (Monday 00:00) active, dee now on the roster → 1 ÷ 4 = 25%', () => {
    const next = { from: day(7, 0), to: day(14, 0) }
    expect(figure(roster, events, next, 1)).toEqual({
      activeEngineers: 1,
      engineers: 4,
      activeShare: 0.25,
      otherUsers: 0,
    })
  })

  it('four weeks with turnover: 3 stay, 1 leaves after week 2, 1 joins in week 3 → 4 on every Monday but 5 people; all 5 active in a week on the roster → 5 ÷ 5 = 100% (5 users ÷ 4 average engineers said 125%)', () => {
    const turnover = [
      member(1, 1, '2025-01-01'),
      member(2, 1, '2025-01-01'),
      member(3, 1, '2025-01-01'),
      member(4, 1, '2025-01-01', '2026-03-16'),
      member(5, 1, '2026-03-16'),
    ]
    const used = [
      use(1, 'user:default/a', day(1)),
      use(2, 'user:default/b', day(2)),
      use(3, 'user:default/c', day(3)),
      use(4, 'user:default/d', day(8)),
      use(4, 'user:default/d', day(23)), // after leaving: already counted as active, so not an other user
      use(5, 'user:default/e', day(15)),
      use(6, 'user:default/f', day(28, 0)), // Monday after the four weeks: outside
      use(7, 'user:default/g', new Date(day(0, 0).getTime() - 1)), // the Sunday before: outside
    ]
    expect(figure(turnover, used, FOUR_WEEKS, 1)).toEqual({
      activeEngineers: 5,
      engineers: 5,
      activeShare: 1,
      otherUsers: 0,
    })
  })

  it('active engineers not on the roster are not counted: rollup sets {1, 2, 9}, roster {1, 2, 3}, users {1, 2, 9, ref:x} → 2 ÷ 3 = 67%, + 2 others', () => {
    expect(
      adoptionOver({ roster: ['1', '2', '3'], active: ['1', '2', '9', '1'], portalUsers: ['1', '2', '9', 'ref:x'] }),
    ).toEqual({ activeEngineers: 2, engineers: 3, activeShare: 2 / 3, otherUsers: 2 })
    expect(adoptionOver({ roster: [], active: [], portalUsers: ['ref:x'] })).toEqual({
      activeEngineers: 0,
      engineers: 0,
      activeShare: null,
      otherUsers: 1,
    })
  })

  it('a portal user is the person when known (7 → "7"), else the user ref ("ref:user:default/zoe"), else nobody', () => {
    expect(portalUserKey({ personId: 7, userRef: 'user:default/ada' })).toBe('7')
    expect(portalUserKey({ personId: null, userRef: 'user:default/zoe' })).toBe('ref:user:default/zoe')
    expect(portalUserKey({ personId: null, userRef: null })).toBeNull()
  })

  it('for any roster and any events, active engineers ≤ engineers in every team-week and over the whole period', () => {
    const mondays = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23']
    const anyDay = fc
      .integer({ min: -3, max: 30 })
      .map((n) => new Date(Date.UTC(2026, 2, 2 + n)).toISOString().slice(0, 10))
    const membership = fc.record({
      personId: fc.integer({ min: 1, max: 8 }),
      teamId: fc.integer({ min: 1, max: 3 }),
      validFrom: anyDay,
      validTo: fc.option(anyDay, { nil: null }),
    })
    const event = fc.record({
      personId: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
      userRef: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: null }),
      teamId: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      occurredAt: fc.integer({ min: -3, max: 30 * 24 }).map((h) => new Date(day(0, 0).getTime() + h * 3_600_000)),
    })
    fc.assert(
      fc.property(fc.array(membership, { maxLength: 12 }), fc.array(event, { maxLength: 40 }), (memberships, used) => {
        for (const week of activeEngineerWeeks(memberships, used, FOUR_WEEKS)) {
          const engineers = memberships.filter(
            (m) =>
              m.teamId === week.teamId &&
              m.validFrom <= week.weekStart &&
              (m.validTo === null || m.validTo > week.weekStart),
          ).length
          expect(mondays).toContain(week.weekStart)
          expect(week.personIds.length).toBeLessThanOrEqual(engineers)
        }
        for (const teamId of [1, 2, 3]) {
          const { activeEngineers, engineers, activeShare } = figure(memberships, used, FOUR_WEEKS, teamId)
          expect(activeEngineers).toBeLessThanOrEqual(engineers)
          expect(activeShare ?? 0).toBeLessThanOrEqual(1)
        }
      }),
    )
  })

  it('catalog coverage: 4 services, 3 owned, 1 with docs → 75% owned, 25% documented', () => {
    expect(
      catalogCoverage([
        { ownerTeamId: 1, hasDocs: true },
        { ownerTeamId: 1, hasDocs: false },
        { ownerTeamId: 2, hasDocs: false },
        { ownerTeamId: null, hasDocs: false },
      ]),
    ).toEqual({
      services: 4,
      owned: 3,
      withDocs: 1,
      ownedShare: 0.75,
      docsShare: 0.25,
    })
  })

  it('scaffolder: 3 completed, 1 failed, 1 cancelled this week → success 3 / 4 = 75%, 2 services made; a run the next week is outside', () => {
    const run = (status: string, n: number, serviceId: number | null = null) => ({
      status,
      templateRef: 'template:default/service-node',
      startedAt: day(n),
      serviceId,
    })
    const summary = scaffolderSummary(
      [
        run('completed', 0, 1),
        run('completed', 1, 2),
        run('completed', 2),
        run('failed', 3),
        run('cancelled', 4),
        run('completed', 7, 3),
      ],
      WEEK,
    )
    expect(summary).toMatchObject({ runs: 5, completed: 3, failed: 1, successRate: 0.75, servicesCreated: 2 })
  })

  it('new services: template set up in 1 min and live 20 h later; by hand 35 days and live 10 days later', () => {
    const created = day(2)
    const result = serviceCreation(
      [
        {
          origin: 'template',
          requestedAt: new Date(created.getTime() - 60_000),
          createdAt: created,
          firstProductionDeployAt: new Date(created.getTime() + 20 * 3_600_000),
        },
        {
          origin: 'manual',
          requestedAt: new Date(created.getTime() - 35 * 86_400_000),
          createdAt: created,
          firstProductionDeployAt: new Date(created.getTime() + 10 * 86_400_000),
        },
        { origin: 'manual', requestedAt: null, createdAt: day(9), firstProductionDeployAt: null }, // created the next week
      ],
      WEEK,
    )
    expect(result.template).toEqual({
      services: 1,
      setupMedianHours: 1 / 60,
      toProductionMedianHours: 20,
      notYetInProduction: 0,
    })
    expect(result.manual).toEqual({
      services: 1,
      setupMedianHours: 35 * 24,
      toProductionMedianHours: 240,
      notYetInProduction: 0,
    })
  })
})
