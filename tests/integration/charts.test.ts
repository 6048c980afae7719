// The charts' weeks on the demo organisation: every weekly chart spans the weeks compared with, the weeks
// between and the weeks shown, each week's figure as raw SQL counts it, the week of the latest fact marked in
// progress; and Adoption's top searches and TechDocs pages as raw SQL ranks them.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connect, type Connection } from '@/db/client'
import { getAdoption } from '@/lib/data/adoption'
import { getDelivery } from '@/lib/data/delivery'
import type { Filters } from '@/lib/data/filters'
import { parseIsoDate } from '@/lib/dates'
import { engine } from '@/tests/helpers/database'

const filters: Filters = {
  interval: { from: parseIsoDate('2026-05-25'), to: parseIsoDate('2026-11-23') },
  comparison: { from: parseIsoDate('2025-07-14'), to: parseIsoDate('2026-01-12') },
}

describe(`chart weeks on the demo organisation (${engine})`, () => {
  let database: Connection
  beforeAll(() => {
    database = connect(inject('demoDatabaseUrl'), { max: 2 })
  })
  afterAll(async () => database?.close())

  it('Delivery: 26 compared + 19 between + 26 shown weeks, each week’s deployments as raw SQL counts them, the week of the latest fact in progress', async () => {
    const delivery = await getDelivery(filters, { db: database.db, replicates: 20 })
    expect(delivery.trend).toHaveLength(26 + 19 + 26)
    expect(delivery.trend[0]?.week).toBe('2025-07-14')
    expect(delivery.trend.filter((point) => point.period === 'comparison')).toHaveLength(26)
    expect(delivery.trend.filter((point) => point.period === 'between')).toHaveLength(19)
    const raw = await database.sql<{ week: string; n: number }[]>`
      select to_char(date_trunc('week', finished_at at time zone 'UTC'), 'YYYY-MM-DD') as week, count(*)::int as n
      from deployments where is_production and status = 'success' and team_id is not null
        and finished_at >= '2025-07-14T00:00:00Z' and finished_at < '2026-11-23T00:00:00Z'
      group by 1`
    const byWeek = new Map(raw.map((row) => [row.week, row.n]))
    expect(raw.length).toBeGreaterThan(60)
    for (const point of delivery.trend) expect(point.values.deployments, point.week).toBe(byWeek.get(point.week) ?? 0)
    const [last] = await database.sql<{ week: string }[]>`
      select to_char(date_trunc('week', greatest((select max(opened_at) from pull_requests), (select max(merged_at) from pull_requests),
        (select max(finished_at) from deployments), (select max(opened_at) from incidents), (select max(occurred_at) from portal_events)) at time zone 'UTC'), 'YYYY-MM-DD') as week`
    const open = delivery.trend.filter((point) => point.period === 'incomplete').map((point) => point.week)
    expect(open).toEqual(delivery.trend.filter((point) => point.week >= (last?.week ?? '')).map((point) => point.week))
    expect(open.length).toBeGreaterThan(0)
  })

  it('Adoption: the five searches and TechDocs pages of the weeks shown, most first, as raw SQL ranks them', async () => {
    const adoption = await getAdoption(filters, { db: database.db })
    const top = (condition: 'search' | 'techdocs') => database.sql<{ subject: string; n: number }[]>`
      select subject, count(*)::int as n from portal_events
      where occurred_at >= '2026-05-25T00:00:00Z' and occurred_at < '2026-11-23T00:00:00Z'
        and ${condition === 'search' ? database.sql`action = 'search'` : database.sql`action = 'navigate' and plugin_id = 'techdocs'`}
      group by 1 order by 2 desc, 1 limit 5`
    const [searches, pages] = await Promise.all([top('search'), top('techdocs')])
    expect(searches).toHaveLength(5)
    expect(adoption.top.searches.map((row) => [row.subject, row.events])).toEqual(
      searches.map((row) => [row.subject, row.n]),
    )
    expect(adoption.top.techdocs.map((row) => [row.subject, row.events])).toEqual(
      pages.map((row) => [row.subject, row.n]),
    )
    // the weeks compared with are drawn too: before the launch nobody used the portal
    expect(
      adoption.trend
        .filter((point) => point.period === 'comparison')
        .every((point) => (point.values.activeShare ?? 0) === 0),
    ).toBe(true)
    expect(adoption.activeShare.now).toBeGreaterThan(0)
  })
})
