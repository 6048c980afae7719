import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '@/db/demo/seed'
import { summarizeDora } from '@/db/queries/dora'
import { getOverview } from '@/lib/data/overview'
import { toIsoDate } from '@/lib/dates'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

describe(`Overview read model (${engine})`, () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase('overview')
  })
  afterAll(async () => database?.close())

  it('says "empty" for a database with no organisation, and "no-launch" when nothing marks the launch', async () => {
    const db = database.connection.db
    expect(await getOverview({ db })).toEqual({ state: 'empty' })
    await database.connection.sql`insert into teams (slug, name) values ('solo', 'Solo')`
    expect(await getOverview({ db })).toEqual({ state: 'no-launch' })
    await database.connection.sql`delete from teams`
  })

  it('compares the 26 weeks before the launch with the latest 26 full weeks, for every team', async () => {
    const db = database.connection.db
    await seedDemo(db, { seed: 3, scale: 0.15, end: '2026-11-23' })
    const now = new Date('2026-11-25T12:00:00Z')
    const overview = await getOverview({ db, now })
    if (overview.state !== 'ready') throw new Error(`expected a ready overview, got ${overview.state}`)
    expect(overview.launch.date.toISOString()).toBe('2026-01-12T00:00:00.000Z')
    expect(overview.windows.before).toEqual({
      from: new Date('2025-07-14T00:00:00Z'),
      to: new Date('2026-01-12T00:00:00Z'),
    })
    expect(overview.windows.after).toEqual({
      from: new Date('2026-05-25T00:00:00Z'),
      to: new Date('2026-11-23T00:00:00Z'),
    })
    const after = await summarizeDora(db, overview.windows.after as { from: Date; to: Date })
    const frequency = overview.keys.find((key) => key.key === 'deployment_frequency')
    expect(frequency?.after).toEqual({ value: after.deploymentsPerWeek, sample: after.deployments })
    expect(overview.keys.map((key) => key.key)).toEqual([
      'deployment_frequency',
      'lead_time',
      'change_fail_rate',
      'recovery_time',
    ])
    expect(overview.weekly.length).toBeGreaterThan(50)
    // the trend draws the weeks before the launch (compared with) beside the weeks shown, the milestones on it
    expect(overview.weekly[0]?.weekStart).toBe(toIsoDate(overview.windows.before.from))
    expect(overview.weekly[0]?.period).toBe('comparison')
    expect(overview.weekly.some((week) => week.period === 'shown')).toBe(true)
    expect(overview.markers).toHaveLength(2)
    expect(overview.milestones.map((milestone) => milestone.name)).toEqual([
      'Developer portal launched',
      'Developer portal open to every team',
    ])
  })
})
