// Adoption on the demo organisation is at most 100% everywhere: in every team-week the rollups hold, in every
// week and every four weeks of the whole organisation, and in every team's funnel. Each active engineer is
// checked against the raw roster, and the SQL that feeds the figures against its pure twin.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connect, type Connection } from '@/db/client'
import { listPortalUsers, listRoster } from '@/db/queries/adoption'
import { getAdoption } from '@/lib/data/adoption'
import { getOverview } from '@/lib/data/overview'
import { addUtcDays, parseIsoDate } from '@/lib/dates'
import { activeEngineerWeeks, portalUsersOver, rosterOver, type PortalUseFact } from '@/lib/metrics/adoption'
import type { MembershipFact } from '@/lib/metrics/facts'
import { engine } from '@/tests/helpers/database'
import { DEMO } from '@/tests/helpers/seeded-demo'

const END = parseIsoDate(DEMO.end)
const LATEST = { from: addUtcDays(END, -7 * 26), to: END }

describe(`adoption ≤ 100% on the demo organisation (${engine})`, () => {
  let database: Connection
  let memberships: MembershipFact[]
  let events: PortalUseFact[]
  let rollups: { teamId: number; weekStart: string; engineers: number; active: string[] }[]
  beforeAll(async () => {
    database = connect(inject('demoDatabaseUrl'), { max: 2 })
    memberships = await database.sql<MembershipFact[]>`
      select person_id::int as "personId", team_id::int as "teamId", to_char(valid_from, 'YYYY-MM-DD') as "validFrom", to_char(valid_to, 'YYYY-MM-DD') as "validTo" from team_memberships`
    const rows = await database.sql<
      { personId: number | null; teamId: number | null; userRef: string | null; occurredAt: string }[]
    >`
      select person_id::int as "personId", team_id::int as "teamId", user_ref as "userRef", occurred_at::text as "occurredAt" from portal_events`
    events = rows.map((row) => ({ ...row, occurredAt: new Date(row.occurredAt) }))
    rollups = await database.sql<{ teamId: number; weekStart: string; engineers: number; active: string[] }[]>`
      select team_id::int as "teamId", to_char(week_start, 'YYYY-MM-DD') as "weekStart", engineers, portal_users as active from rollups_team_weeks order by week_start, team_id`
  })
  afterAll(async () => database?.close())

  it('every team-week: active engineers ≤ engineers, and each active engineer was on that team on its Monday', () => {
    const onRoster = (personId: number, teamId: number, monday: string) =>
      memberships.some(
        (m) =>
          m.personId === personId &&
          m.teamId === teamId &&
          m.validFrom <= monday &&
          (m.validTo === null || m.validTo > monday),
      )
    const problems: string[] = []
    for (const row of rollups) {
      if (row.active.length > row.engineers)
        problems.push(
          `team ${row.teamId}, week ${row.weekStart}: ${row.active.length} active of ${row.engineers} engineers`,
        )
      for (const person of row.active)
        if (!onRoster(Number(person), row.teamId, row.weekStart))
          problems.push(`team ${row.teamId}, week ${row.weekStart}: person ${person} not on the roster`)
    }
    expect(problems.slice(0, 10)).toEqual([])
    expect(rollups.length).toBeGreaterThan(1000) // 12 teams × ~106 weeks
    expect(rollups.filter((row) => row.active.length > 0).length).toBeGreaterThan(300)
    expect(rollups.some((row) => row.active.length === row.engineers && row.engineers > 0)).toBe(true)
  })

  it('the rollups’ active engineers equal the pure computation from the raw roster and events, team-week by team-week', () => {
    const first = parseIsoDate(rollups[0]?.weekStart ?? DEMO.end)
    const expected = activeEngineerWeeks(memberships, events, { from: first, to: END }).map(
      (week) => `${week.teamId}|${week.weekStart}|${week.personIds.map(String).sort().join()}`,
    )
    const actual = rollups
      .filter((row) => row.active.length > 0)
      .map((row) => `${row.teamId}|${row.weekStart}|${row.active.join()}`)
    expect(actual.length).toBeGreaterThan(300)
    expect(actual).toEqual(expected)
  })

  it('the roster and portal-user queries equal their pure twins over the latest 26 weeks, and the demo has users to tell apart', async () => {
    const roster = await listRoster(database.db, LATEST)
    expect(roster.map((row) => `${row.teamId}|${row.personId}`).sort()).toEqual(
      rosterOver(memberships, LATEST)
        .map((row) => `${row.teamId}|${row.personId}`)
        .sort(),
    )
    const users = await listPortalUsers(database.db, LATEST)
    expect(users.map((row) => `${row.teamId}|${row.user}`).sort()).toEqual(
      portalUsersOver(events, LATEST)
        .map((row) => `${row.teamId}|${row.user}`)
        .sort(),
    )
    expect(roster.length).toBeGreaterThan(200)
  })

  it('the whole organisation, latest 26 weeks: every week and the last four weeks ≤ 100%, as raw SQL counts them; every team’s funnel too', async () => {
    const adoption = await getAdoption({ interval: LATEST }, { db: database.db })
    expect(adoption.weekly).toHaveLength(26)
    for (const week of adoption.weekly) expect(week.activeEngineers, week.weekStart).toBeLessThanOrEqual(week.engineers)
    expect(adoption.weekly.filter((week) => week.activeEngineers > 0)).toHaveLength(26)
    // the last four weeks, in SQL of this test's own: people on any team on a Monday, and those of them with an event that week
    const [raw] = await database.sql<{ engineers: number; active: number; users: number }[]>`
      with mondays as (select generate_series('2026-10-26'::date, '2026-11-16'::date, interval '7 days')::date as monday),
      roster as (select distinct m.person_id, w.monday from mondays w join team_memberships m on m.valid_from <= w.monday and (m.valid_to is null or m.valid_to > w.monday)),
      used as (select distinct person_id, date_trunc('week', occurred_at at time zone 'UTC')::date as monday, coalesce(person_id::text, 'ref:' || user_ref) as user_key
        from portal_events where occurred_at >= '2026-10-26T00:00:00Z' and occurred_at < '2026-11-23T00:00:00Z' and (person_id is not null or user_ref is not null))
      select (select count(distinct person_id) from roster)::int as engineers,
        (select count(distinct r.person_id) from roster r join used u using (person_id, monday))::int as active,
        (select count(distinct user_key) from used)::int as users`
    expect(adoption.monthly).toEqual({
      activeEngineers: raw?.active,
      engineers: raw?.engineers,
      activeShare: (raw?.active ?? 0) / (raw?.engineers ?? 1),
      otherUsers: (raw?.users ?? 0) - (raw?.active ?? 0),
    })
    expect(adoption.monthly.activeEngineers).toBeGreaterThan(100)
    expect(adoption.monthly.activeShare).toBeLessThanOrEqual(1)
    expect(adoption.funnel).toHaveLength(12)
    for (const row of adoption.funnel) expect(row.activeEngineers, row.team.name).toBeLessThanOrEqual(row.engineers)
    expect(adoption.funnel.filter((row) => row.activeEngineers > 0)).toHaveLength(12)
  })

  it('the Overview’s weekly active share (78 weeks, all teams) ≤ 100% in every week', async () => {
    const overview = await getOverview({ db: database.db, now: new Date(`${DEMO.end}T12:00:00Z`), replicates: 20 })
    if (overview.state !== 'ready') throw new Error(`the demo's Overview is ${overview.state}`)
    for (const week of overview.weekly) expect(week.activeShare ?? 0, week.weekStart).toBeLessThanOrEqual(1)
    expect(overview.weekly.filter((week) => (week.activeShare ?? 0) > 0).length).toBeGreaterThan(40)
  })

  it('the whole organisation, every four weeks of the demo (ending on each Monday): active engineers ≤ engineers on the roster, and each week within', async () => {
    const firstWeek = parseIsoDate(rollups[0]?.weekStart ?? DEMO.end)
    let windows = 0
    let withActive = 0
    for (let to = addUtcDays(firstWeek, 28); to <= END; to = addUtcDays(to, 7)) {
      const { monthly, weekly } = await getAdoption(
        { interval: { from: addUtcDays(to, -28), to } },
        { db: database.db },
      )
      expect(monthly.activeEngineers, `four weeks to ${to.toISOString().slice(0, 10)}`).toBeLessThanOrEqual(
        monthly.engineers,
      )
      for (const week of weekly) expect(week.activeEngineers, week.weekStart).toBeLessThanOrEqual(week.engineers)
      windows++
      if (monthly.activeEngineers > 0) withActive++
    }
    expect(windows).toBeGreaterThan(90)
    expect(withActive).toBeGreaterThan(40)
  })
})
