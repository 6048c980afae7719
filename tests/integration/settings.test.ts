import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '@/db/demo/seed'
import { getMetricSettings, updateChangeFailureRule } from '@/lib/data/settings'
import { DEFAULT_CHANGE_FAILURE_RULE } from '@/lib/domain'
import { UpshotError } from '@/lib/errors'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

describe(`metric settings (${engine})`, () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase('settings')
    await seedDemo(database.connection.db, { seed: 5, scale: 0.1, end: '2026-11-23' })
  })
  afterAll(async () => database?.close())

  const failures = async () =>
    (await database.connection.sql<{ n: number }[]>`select sum(change_failures)::int as n from rollups_team_weeks`)[0]
      ?.n ?? 0

  it('starts with the default rule: incidents, rollbacks and hotfixes within 24 hours', async () => {
    expect((await getMetricSettings({ db: database.connection.db })).changeFailureRule).toEqual(
      DEFAULT_CHANGE_FAILURE_RULE,
    )
  })

  it('stores a new rule and recomputes every team-week with it: counting incidents only finds fewer failures', async () => {
    const before = await failures()
    await updateChangeFailureRule(
      { incidents: true, rollbacks: false, hotfixes: false, windowHours: 24 },
      'alex@example.com',
      { db: database.connection.db },
    )
    expect((await getMetricSettings({ db: database.connection.db })).changeFailureRule).toMatchObject({
      rollbacks: false,
      hotfixes: false,
    })
    expect(await failures()).toBeLessThan(before)
    await updateChangeFailureRule(DEFAULT_CHANGE_FAILURE_RULE, 'alex@example.com', { db: database.connection.db })
    expect(await failures()).toBe(before)
    const [who] = await database.connection.sql<
      { updated_by: string }[]
    >`select updated_by from settings where key = 'change_failure_rule'`
    expect(who?.updated_by).toBe('alex@example.com')
  })

  it('refuses a malformed rule, naming the field, and changes nothing', async () => {
    const before = await failures()
    const attempt = updateChangeFailureRule(
      { incidents: true, rollbacks: 'yes', hotfixes: true, windowHours: -1 },
      'alex@example.com',
      { db: database.connection.db },
    )
    await expect(attempt).rejects.toThrow(UpshotError)
    await expect(attempt).rejects.toThrow(/rollbacks: .*; windowHours: /)
    expect(await failures()).toBe(before)
  })
})
