// Filters on the demo organisation: the pilot and control teams of an initiative as a group (the one the link
// names, else the latest launched), what a link that cannot be resolved says, and the read models that now take
// the teams chosen (the Overview, the one-pager's chart) against the database's own counts.
import { sql as raw } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connect, type Connection } from '@/db/client'
import { getOverview } from '@/lib/data/overview'
import { getPageFilters } from '@/lib/data/page-filters'
import { getReport } from '@/lib/data/report'
import { parseIsoDate } from '@/lib/dates'
import { engine } from '@/tests/helpers/database'

const now = new Date('2026-11-25T12:00:00Z')

class Rollback extends Error {}

describe(`page filters on the demo organisation (${engine})`, () => {
  let database: Connection
  let teamsOf: (initiativeId: number, role: 'pilot' | 'control') => Promise<number[]>
  beforeAll(async () => {
    database = connect(inject('demoDatabaseUrl'), { max: 2 })
    teamsOf = async (initiativeId, role) =>
      (
        await database.sql<
          { id: number }[]
        >`select team_id::int as id from initiative_teams where initiative_id = ${initiativeId} and role = ${role} order by team_id`
      ).map((row) => row.id)
  })
  afterAll(async () => database?.close())

  it('group=pilot and group=control are the latest launched initiative’s teams, in words and as team ids', async () => {
    const [initiative] = await database.sql<
      { id: number; name: string }[]
    >`select id::int, name from initiatives where launch_date <= ${'2026-11-25'}::date order by launch_date desc, id desc limit 1`
    if (!initiative) throw new Error('the demo has no launched initiative')
    for (const role of ['pilot', 'control'] as const) {
      const expected = await teamsOf(initiative.id, role)
      expect(expected.length).toBeGreaterThan(0)
      const filters = await getPageFilters(`group=${role}`, { db: database.db, now })
      expect([...(filters.filters.teamIds ?? [])].sort((a, b) => a - b)).toEqual(expected)
      expect(filters.scope).toBe(`${role === 'pilot' ? 'Pilot' : 'Control'} teams of ${initiative.name}`)
      expect(filters.chosen).toEqual({ group: role })
      expect(filters.problems).toEqual([])
    }
    const unfiltered = await getPageFilters('', { db: database.db, now })
    const sorted = (ids: number[] | undefined) => [...(ids ?? [])].sort((a, b) => a - b)
    expect(unfiltered.cohorts?.initiative).toEqual({ id: initiative.id, name: initiative.name })
    expect(sorted(unfiltered.cohorts?.pilot)).toEqual(await teamsOf(initiative.id, 'pilot'))
    expect(sorted(unfiltered.cohorts?.control)).toEqual(await teamsOf(initiative.id, 'control'))
    expect(unfiltered.filters.teamIds).toBeUndefined()
  })

  it('the initiative the link names, not the latest; an unknown one is named and the latest used; none at all drops the group', async () => {
    // read before the transaction: inside it, every query goes through `tx` (the embedded database serves one
    // transaction at a time, so a second connection's query would wait for this one to end, and it for that)
    const demoControls = await teamsOf(1, 'control')
    await database.db
      .transaction(async (tx) => {
        // a second, earlier initiative whose pilot is the first initiative's first control team
        const [control] = await tx.execute<{ team_id: number }>(
          raw`select team_id::int from initiative_teams where initiative_id = 1 and role = 'control' order by team_id limit 1`,
        )
        const [pilot] = await tx.execute<{ team_id: number }>(
          raw`select team_id::int from initiative_teams where initiative_id = 1 and role = 'pilot' order by team_id limit 1`,
        )
        if (!control || !pilot) throw new Error('the demo initiative has no teams')
        const [second] = await tx.execute<{ id: number }>(raw`
          insert into initiatives (slug, name, use_case, launch_date, baseline_start, baseline_end, evaluation_start, evaluation_end)
          values ('earlier-pilot', 'Earlier pilot', 'delivery', '2025-06-02', '2024-12-02', '2025-06-02', '2025-06-16', '2025-12-15') returning id::int`)
        if (!second) throw new Error('no initiative inserted')
        await tx.execute(
          raw`insert into initiative_teams (initiative_id, team_id, role) values (${second.id}, ${control.team_id}, 'pilot'), (${second.id}, ${pilot.team_id}, 'control')`,
        )

        const named = await getPageFilters(`group=pilot&initiative=${second.id}`, { db: tx, now })
        expect(named.filters.teamIds).toEqual([control.team_id])
        expect(named.scope).toBe('Pilot teams of Earlier pilot')
        expect(named.chosen).toEqual({ group: 'pilot', initiative: String(second.id) })
        // the latest launched is still the demo's, not the one inserted (launched earlier)
        expect((await getPageFilters('group=pilot', { db: tx, now })).cohorts?.initiative.id).toBe(1)

        const unknown = await getPageFilters('group=control&initiative=999999', { db: tx, now })
        expect(unknown.problems).toEqual(['initiative: no initiative has the id 999999'])
        expect(unknown.chosen).toEqual({ group: 'control' })
        expect(unknown.filters.teamIds?.sort((a, b) => a - b)).toEqual(demoControls)

        // with a group that is not a cohort, the initiative is no filter at all
        const [group] = await tx.execute<{ group_name: string }>(
          raw`select group_name from teams where group_name is not null order by group_name limit 1`,
        )
        const other = await getPageFilters(
          `group=${encodeURIComponent(group?.group_name ?? '')}&initiative=${second.id}`,
          { db: tx, now },
        )
        expect(other.chosen).toEqual({ group: group?.group_name })

        await tx.execute(raw`delete from initiative_teams`)
        await tx.execute(raw`delete from initiatives`)
        const none = await getPageFilters('group=pilot&from=2026-03-02', { db: tx, now })
        expect(none.problems).toEqual(['group: there is no initiative yet, so no pilot teams'])
        expect(none.chosen).toEqual({ from: '2026-03-02' })
        expect(none.filters.teamIds).toBeUndefined()
        expect(none.cohorts).toBeNull()
        throw new Rollback()
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error
      })
  })

  it('the Overview for the pilot teams counts their deployments only, as SQL does; the weeks chosen replace the latest weeks', async () => {
    const pilots = await teamsOf(1, 'pilot')
    const after = { from: parseIsoDate('2026-03-02'), to: parseIsoDate('2026-06-01') }
    const overview = await getOverview({
      db: database.db,
      now,
      replicates: 100,
      scope: {
        teamIds: pilots,
        windows: { before: { from: parseIsoDate('2025-07-14'), to: parseIsoDate('2026-01-12') }, after },
      },
    })
    if (overview.state !== 'ready') throw new Error(`expected a ready overview, got ${overview.state}`)
    const [counted] = await database.sql<{ n: number }[]>`
      select count(*)::int as n from deployments where is_production and status = 'success' and team_id in ${database.sql(pilots)}
        and finished_at >= '2026-03-02T00:00:00Z' and finished_at < '2026-06-01T00:00:00Z'`
    const frequency = overview.keys.find((key) => key.key === 'deployment_frequency')
    expect(frequency?.after).toEqual({ value: (counted?.n ?? -1) / 13, sample: counted?.n })
    expect(overview.windows.after).toEqual(after)
    const everyone = await getOverview({ db: database.db, now, replicates: 100 })
    if (everyone.state !== 'ready') throw new Error('expected a ready overview')
    expect(everyone.keys[0]?.after?.sample).toBeGreaterThan(counted?.n ?? Infinity)
  })

  it('the one-pager’s deployments chart for the control teams and the weeks chosen; its tiles the same as unfiltered', async () => {
    const controls = await teamsOf(1, 'control')
    const weeks = { from: parseIsoDate('2026-03-02'), to: parseIsoDate('2026-04-06') }
    const [filtered, unfiltered] = await Promise.all([
      getReport({ db: database.db, now, scope: { teamIds: controls, weeks } }),
      getReport({ db: database.db, now }),
    ])
    if (filtered.state !== 'ready' || unfiltered.state !== 'ready') throw new Error('expected a ready report')
    const counted = await database.sql<{ week: string; n: number }[]>`
      select to_char(date_trunc('week', finished_at at time zone 'UTC'), 'YYYY-MM-DD') as week, count(*)::int as n from deployments
      where is_production and status = 'success' and team_id in ${database.sql(controls)} and finished_at >= '2026-03-02T00:00:00Z' and finished_at < '2026-04-06T00:00:00Z'
      group by 1 order by 1`
    // every week chosen, a week without a deployment as 0, and nothing compared with (the weeks chosen are drawn alone)
    const byWeek = new Map(counted.map((row) => [row.week, row.n]))
    const mondays = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']
    expect(filtered.weekly).toEqual(
      mondays.map((week) => ({ weekStart: week, deployments: byWeek.get(week) ?? 0, period: 'shown' })),
    )
    expect(counted.length).toBeGreaterThan(0)
    expect(filtered.chartWeeks).toEqual(weeks)
    expect(filtered.tiles.map((tile) => [tile.key, tile.effect])).toEqual(
      unfiltered.tiles.map((tile) => [tile.key, tile.effect]),
    )
    // unfiltered: the initiative's baseline weeks, then its evaluated weeks
    expect(unfiltered.weekly[0]?.period).toBe('comparison')
    expect(unfiltered.weekly.at(-1)?.period).toBe('shown')
    expect(unfiltered.chartWeeks.from).toEqual(unfiltered.initiative.baseline.from)
  })
})
