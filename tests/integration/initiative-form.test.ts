// Saving an initiative from its form: the primary metrics it names are written with it; none named takes the
// use case's usual ones, written down at save time so the pre-registered choice stays fixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { submitInitiativeForm } from '@/lib/data/initiative-form'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

describe(`initiative form: primary metrics (${engine})`, () => {
  let database: TestDatabase
  let teams: number[] = []
  beforeAll(async () => {
    database = await freshDatabase('initiative-form')
    const rows = await database.connection.sql<
      { id: number }[]
    >`insert into teams (slug, name) values ('a', 'A'), ('b', 'B') returning id::int`
    teams = rows.map((row) => row.id)
  })
  afterAll(async () => database?.close())

  const form = (name: string, useCase: string, primary: string[]) => {
    const data = new FormData()
    for (const [key, value] of Object.entries({
      name,
      useCase,
      description: '',
      // days as the app writes them, and as ISO: both are read
      launchDate: '6 Apr 2026',
      baselineStart: '5 jan 2026',
      baselineEnd: '2026-04-06',
      evaluationStart: '2026-04-06',
      evaluationEnd: '2026-07-06',
      [`team:${teams[0]}`]: 'pilot',
      [`team:${teams[1]}`]: 'control',
    }))
      data.set(key, value)
    for (const key of primary) data.set(`primary:${key}`, 'on')
    return data
  }
  const stored = async (id: number) =>
    (
      await database.connection.sql<
        { primary: string[] }[]
      >`select primary_metrics as primary from initiatives where id = ${id}`
    )[0]?.primary

  it('stores the metrics ticked: lead time and cycle time for a delivery pilot', async () => {
    const result = await submitInitiativeForm(null, form('Ticked', 'delivery', ['lead_time', 'cycle_time']), {
      db: database.connection.db,
    })
    if (!result.ok) throw new Error(JSON.stringify(result.state.errors))
    expect(await stored(result.id)).toEqual(['lead_time', 'cycle_time'])
    const [days] = await database.connection
      .sql`select launch_date::text as launch, baseline_start::text as start, evaluation_end::text as end from initiatives where id = ${result.id}`
    expect(days).toEqual({ launch: '2026-04-06', start: '2026-01-05', end: '2026-07-06' })
  })

  it('refuses a day that does not exist, with the way to write one, and keeps what was typed', async () => {
    const data = form('No such day', 'delivery', [])
    data.set('launchDate', '31 Feb 2026')
    const result = await submitInitiativeForm(null, data, { db: database.connection.db })
    expect(result).toMatchObject({
      ok: false,
      state: {
        values: { launchDate: '31 Feb 2026' },
        errors: { launchDate: 'The launch must be a day such as 6 Apr 2026' },
      },
    })
  })

  it('with none ticked, an onboarding pilot is judged by days to first merged PR, written down at save', async () => {
    const result = await submitInitiativeForm(null, form('Default', 'onboarding', []), { db: database.connection.db })
    if (!result.ok) throw new Error(JSON.stringify(result.state.errors))
    expect(await stored(result.id)).toEqual(['days_to_first_merge'])
  })

  it('refuses four, or an unknown metric, and saves nothing', async () => {
    const before = (await database.connection.sql<{ n: number }[]>`select count(*)::int as n from initiatives`)[0]?.n
    const four = await submitInitiativeForm(
      null,
      form('Four', 'delivery', ['lead_time', 'cycle_time', 'review_time', 'throughput']),
      { db: database.connection.db },
    )
    expect(four).toMatchObject({ ok: false, state: { errors: { primaryMetrics: expect.stringMatching(/at most 3/) } } })
    const unknown = await submitInitiativeForm(null, form('Unknown', 'delivery', ['uptime']), {
      db: database.connection.db,
    })
    expect(unknown).toMatchObject({ ok: false, state: { errors: { primaryMetrics: 'Choose metrics from the list' } } })
    expect((await database.connection.sql<{ n: number }[]>`select count(*)::int as n from initiatives`)[0]?.n).toBe(
      before,
    )
  })
})
