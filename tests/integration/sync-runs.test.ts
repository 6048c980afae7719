// No run stays `running`: a run whose process is gone is closed as failed, saying why, by the next run of any
// source or import, whatever its file name: at once when its process ran on this host and has exited, after
// two minutes without a heartbeat otherwise. A run alive elsewhere is left alone.
import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCsv } from '@/collectors/csv/import'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

describe(`abandoned runs (${engine})`, () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase('sync_runs')
  })
  afterAll(async () => database?.close())

  it('the next import of another file closes the runs whose process is gone, and leaves a live one running', async () => {
    const sql = database.connection.sql
    // a process of this host that has exited (a CLI import killed with SIGKILL)
    const exited = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid
    await sql`insert into sync_runs (source, scope, status, owner, heartbeat_at) values
      ('csv:roster', 'people.csv', 'running', ${`${hostname()}:${exited}`}, now()),
      ('github', 'acme', 'running', 'worker-7:4242', now() - interval '3 minutes'),
      ('pagerduty', 'all services', 'running', 'worker-8:4243', now() - interval '10 seconds')`
    const bytes = new TextEncoder().encode('login,team\nada,payments\n')
    const report = await importCsv(database.connection.db, {
      kind: 'roster',
      file: 'another.csv',
      bytes,
      dryRun: false,
    })
    expect(report.problems).toEqual([])
    const runs = await sql<
      { source: string; status: string; error: string | null }[]
    >`select source, status, error from sync_runs order by id`
    expect(runs).toEqual([
      { source: 'csv:roster', status: 'failed', error: `abandoned: its process (${hostname()}:${exited}) has exited` },
      { source: 'github', status: 'failed', error: expect.stringMatching(/^abandoned: no heartbeat since \d{4}-/) },
      { source: 'pagerduty', status: 'running', error: null },
      { source: 'csv:roster', status: 'success', error: null },
    ])
  })
})
