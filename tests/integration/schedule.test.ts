// Scheduled collection on pg-boss, on a real database: a job sent to a source's queue runs its collector,
// and two workers (two schedulers, as on two machines) never run one source twice at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sourcesSchema } from '@/collectors/config'
import { startScheduler, type Scheduler } from '@/collectors/schedule'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'
import { fakeRepository, startFakeGitHub, type FakeGitHub } from '@/tests/fakes/github'

describe(`scheduled collection (${engine})`, () => {
  let database: TestDatabase
  let fake: FakeGitHub
  const schedulers: Scheduler[] = []
  beforeAll(async () => {
    database = await freshDatabase('schedule')
    fake = await startFakeGitHub({ repositories: [fakeRepository({ id: 1, name: 'payments', pullRequests: 120 })] })
    process.env.UPSHOT_TEST_GITHUB_TOKEN = fake.token
  })
  afterAll(async () => {
    for (const scheduler of schedulers) await scheduler.stop()
    await fake?.close()
    await database?.close()
    delete process.env.UPSHOT_TEST_GITHUB_TOKEN
  })

  it('a job on the github queue runs the GitHub collector; with two workers, one run at a time', async () => {
    const sources = sourcesSchema.parse({
      github: {
        baseUrl: fake.url,
        auth: { tokenEnv: 'UPSHOT_TEST_GITHUB_TOKEN' },
        organisation: 'acme',
        teams: false,
        repositories: [{ name: 'acme/payments' }],
      },
      schedule: { github: '0 3 * * *' },
    })
    const logs: string[] = []
    for (let i = 0; i < 2; i++)
      schedulers.push(
        await startScheduler({
          url: database.url,
          db: database.connection.db,
          sources,
          log: (message) => logs.push(`worker ${i}: ${message}`),
        }),
      )
    expect(schedulers[0]?.jobs).toEqual([
      { name: 'collect-github', cron: '0 3 * * *' },
      { name: 'refresh-rollups', cron: '* * * * *' },
    ])
    await schedulers[0]?.trigger('github')
    await schedulers[1]?.trigger('github')
    const deadline = Date.now() + 60_000
    let runs: { status: string }[] = []
    while (Date.now() < deadline) {
      runs = await database.connection.sql<
        { status: string }[]
      >`select status from sync_runs where source = 'github' and status <> 'running'`
      if (runs.length >= 1 && !(await database.connection.sql`select 1 from sync_runs where status = 'running'`).length)
        break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect(runs[0]?.status).toBe('success')
    expect(await database.connection.sql`select count(*)::int as n from pull_requests`).toEqual([{ n: 120 }])
    // never two runs of the source at the same time: no run started before another finished
    const overlaps = await database.connection.sql`
      select 1 from sync_runs a join sync_runs b on a.id < b.id and a.source = b.source
      where b.started_at < a.finished_at and b.status <> 'failed'`
    expect(overlaps).toEqual([])
    expect(logs.some((line) => /github: success/.test(line))).toBe(true)
  })

  it('the refresh job drains weeks a writer queued and never refreshed (a process that died after its commit)', async () => {
    // an edit that commits (its weeks queued by the triggers) and whose writer never drains
    await database.connection.sql`insert into teams (slug, name) values ('payments', 'Payments')`
    await database.connection.sql`update pull_requests set team_id = (select id from teams where slug = 'payments')`
    expect((await database.connection.sql`select 1 from dirty_weeks`).length).toBeGreaterThan(0)
    await schedulers[1]?.refresh()
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline && (await database.connection.sql`select 1 from dirty_weeks`).length > 0)
      await new Promise((resolve) => setTimeout(resolve, 250))
    expect(await database.connection.sql`select count(*)::int as n from dirty_weeks`).toEqual([{ n: 0 }])
    const [merged] = await database.connection.sql<
      { n: number }[]
    >`select coalesce(sum(merged_pull_requests), 0)::int as n from rollups_team_weeks`
    const [facts] = await database.connection.sql<
      { n: number }[]
    >`select count(*)::int as n from pull_requests where merged_at is not null and team_id is not null`
    expect(facts?.n).toBeGreaterThan(100)
    expect(merged?.n).toBe(facts?.n)
  })
})
