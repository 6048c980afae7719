// Ingest: the rate of the bulk upsert every collector writes through (db/queries/upsert.ts, here for pull
// requests, the widest and most numerous fact), next to the rate at which the same server inserts the same
// rows into the same table on its own (INSERT … SELECT from a copy: no client, no wire, no parsing), the
// ceiling. Both write into the empty table with all its indexes and foreign keys; each is run three times
// and the best run counts, so a hiccup of the shared machine does not decide the ratio.
import { sql } from 'drizzle-orm'
import { demoOrganisation, demoTables } from '@/db/demo/generate'
import { upsertPullRequests } from '@/db/queries/delivery'
import type { NewPullRequest } from '@/db/schema'
import { dropDatabase, freshDatabase, type Log } from './databases'

export interface IngestResult {
  table: 'pull_requests'
  rows: number
  rows_per_s: number
  ceiling_rows_per_s: number
  /** The same upsert, rows sent one collector page (50) at a time. */
  page_rows_per_s: number
}

const ROUNDS = 3
const DATABASE = 'upshot_bench_ingest'

export async function measureIngest(serverUrl: string, log: Log): Promise<IngestResult> {
  const connection = await freshDatabase(serverUrl, DATABASE)
  const { db } = connection
  try {
    // The organisation the pull requests belong to (their foreign keys), then the pull requests themselves,
    // as a collector holds them: without ids, which the database assigns.
    const organisation = demoOrganisation({ scale: 1, months: 36, end: '2026-11-23' })
    const pullRequests: NewPullRequest[] = []
    for (const batch of organisation.batches()) {
      if (batch.table === 'pullRequests') for (const { id: _id, ...row } of batch.rows) pullRequests.push(row)
      else if (['teams', 'people', 'teamMemberships', 'repositories'].includes(batch.table))
        await db.insert(demoTables[batch.table]).values(batch.rows as never)
    }
    const rows = pullRequests.length
    log(`ingest: ${rows.toLocaleString('en')} pull requests, ${ROUNDS} rounds`)
    const empty = () => db.execute(sql`truncate pull_requests cascade`)
    let best = { upsert: Infinity, ceiling: Infinity, page: Infinity }
    for (let round = 0; round < ROUNDS; round++) {
      await empty()
      await db.execute(sql`vacuum analyze pull_requests`)
      let started = performance.now()
      const written = await upsertPullRequests(db, pullRequests)
      const upsert = performance.now() - started
      if (written.created !== rows) throw new Error(`the upsert created ${written.created} of ${rows} rows`)

      await db.execute(sql`drop table if exists staged`)
      await db.execute(sql`create table staged as select * from pull_requests`)
      await empty()
      await db.execute(sql`vacuum analyze pull_requests`)
      started = performance.now()
      await db.execute(sql`insert into pull_requests select * from staged`)
      const ceiling = performance.now() - started

      await empty()
      await db.execute(sql`vacuum analyze pull_requests`)
      started = performance.now()
      for (let i = 0; i < rows; i += 50) await upsertPullRequests(db, pullRequests.slice(i, i + 50))
      const page = performance.now() - started
      best = {
        upsert: Math.min(best.upsert, upsert),
        ceiling: Math.min(best.ceiling, ceiling),
        page: Math.min(best.page, page),
      }
      log(
        `  round ${round + 1}: upsert ${upsert.toFixed(0)} ms, INSERT … SELECT ${ceiling.toFixed(0)} ms, by pages of 50 ${page.toFixed(0)} ms`,
      )
    }
    const perSecond = (ms: number) => Math.round(rows / (ms / 1000))
    return {
      table: 'pull_requests',
      rows,
      rows_per_s: perSecond(best.upsert),
      ceiling_rows_per_s: perSecond(best.ceiling),
      page_rows_per_s: perSecond(best.page),
    }
  } finally {
    await connection.close()
    await dropDatabase(serverUrl, DATABASE)
  }
}
