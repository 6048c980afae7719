import { getTableName } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { demoOrganisation, demoTables, digestDemo, type DemoTableName } from '@/db/demo/generate'
import { seedDemo } from '@/db/demo/seed'
import { engine, freshDatabase, tableChecksums, type TestDatabase } from '@/tests/helpers/database'

const options = { seed: 7, scale: 0.15, end: '2026-11-23' }
const opened: TestDatabase[] = []
const open = async (label: string) => {
  const database = await freshDatabase(label)
  opened.push(database)
  return database
}
afterAll(async () => {
  for (const database of opened) await database.close()
})

describe(`demo seeding (${engine})`, () => {
  it('loads exactly the generator’s rows, identically into two databases, and adds nothing when run again', async () => {
    const [a, b] = [await open('seed_a'), await open('seed_b')]
    const [first, second] = [await seedDemo(a.connection.db, options), await seedDemo(b.connection.db, options)]
    expect(first.seeded && second.seeded).toBe(true)

    const digest = digestDemo(demoOrganisation(options))
    const sums = await tableChecksums(a.connection.sql)
    for (const table of Object.keys(demoTables) as DemoTableName[]) {
      expect({ table, rows: sums[getTableName(demoTables[table])]?.rows }).toEqual({ table, rows: digest[table].rows })
    }
    expect(sums.pull_requests?.rows).toBeGreaterThan(1_000)
    expect(sums.rollups_team_weeks?.rows).toBeGreaterThan(0)
    expect(await tableChecksums(b.connection.sql)).toEqual(sums) // same seed → same rows, byte for byte

    const again = await seedDemo(a.connection.db, options)
    expect(again).toEqual({ seeded: false, reason: 'the database already holds an organisation' })
    expect(await tableChecksums(a.connection.sql)).toEqual(sums)
  })

  it('seeds once when two seeders start at the same time', async () => {
    const database = await open('seed_race')
    const results = await Promise.all([
      seedDemo(database.connection.db, options),
      seedDemo(database.connection.db, options),
    ])
    expect(results.filter((result) => result.seeded)).toHaveLength(1)
    const [row] = await database.connection.sql<{ teams: number; prs: number }[]>`
      select (select count(*)::int from teams) as teams, (select count(*)::int from pull_requests) as prs`
    const digest = digestDemo(demoOrganisation(options))
    expect(row).toEqual({ teams: digest.teams.rows, prs: digest.pullRequests.rows })
  })

  it('leaves the identities past the demo’s ids: rows added later get new ids', async () => {
    const database = opened[0] as TestDatabase
    const [max] = await database.connection.sql<{ id: number }[]>`select max(id)::int as id from pull_requests`
    const [team] = await database.connection.sql<
      { id: number }[]
    >`insert into teams (slug, name) values ('added-later', 'Added later') returning id::int`
    const [repo] = await database.connection.sql<{ id: number }[]>`select min(id)::int as id from repositories`
    const [pr] = await database.connection.sql<{ id: number }[]>`
      insert into pull_requests (external_id, repository_id, number, state, opened_at)
      values ('PR_added_later', ${repo?.id ?? 0}, 999999, 'open', now()) returning id::int`
    expect(team?.id).toBeGreaterThan(0)
    expect(pr?.id).toBe((max?.id ?? 0) + 1)
  })
})
