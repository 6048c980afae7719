// Standing pages after a data change: the stored answer served at once, and how long until the fresh one is
// stored (the table read_models).
import { sql } from 'drizzle-orm'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import type { Combo } from './combos'
import type { Log } from './databases'
import { round } from './pages'
import { checkAnswer, pathOf, servedStored, timedGet } from './requests'
import type { Running } from './targets'

export interface StandingTiming {
  path: string
  name: string
  /** The first request after the change: the stored (older) answer, if the page has one. */
  stored_answer_ms: number
  /** Whether that answer said it was the earlier one (the freshness note) rather than computed for the new data. */
  served_stored: boolean
  /** From that request until read_models holds an answer for the new data version; null if none within 60 s or no table. */
  fresh_stored_ms: number | null
}

export interface StandingResult {
  /** Whether the database has the table read_models (standing answers); without it nothing is stored. */
  read_models: boolean
  change: string
  pages: StandingTiming[]
}

const STANDING = [
  { page: '/', name: 'overview' },
  { page: 'initiative', name: 'initiative' },
  { page: '/report', name: 'report' },
]

/**
 * The standing pages after a real data change at `target`: one production deployment added this week (as a
 * sync would write it, then the rollups refreshed as every writer does), each page requested once, then
 * read_models polled until it holds an answer for the new data version. The deployment is removed again at
 * the end (and the rollups refreshed), so the database stays as seeded.
 */
export async function measureStanding(target: Running, { log }: { log: Log }): Promise<StandingResult> {
  const { db } = target.connection
  const [table] = await db.execute<{ present: boolean }>(
    sql`select to_regclass('public.read_models') is not null as present`,
  )
  const hasTable = table?.present === true
  // each standing page once before the change, so there is an answer to stand on
  for (const { page } of STANDING) {
    const url = pathOf(page, target)
    checkAnswer(target, url, page === 'initiative' ? null : defaultCombo, await timedGet(target, url))
  }
  const [added] = await db.execute<{ id: string }>(sql`
    insert into deployments (source, external_id, service_id, repository_id, team_id, environment, is_production, status, started_at, finished_at, commit_sha)
    select source, ${`bench-standing-${Date.now()}`}, service_id, repository_id, team_id, environment, true, 'success',
      now() - interval '10 minutes', now() - interval '5 minutes', commit_sha
    from deployments where is_production and status = 'success' and team_id is not null order by finished_at desc limit 1
    returning id::text as id`)
  if (!added) throw new Error(`${target.label}: no deployment to copy for the data change`)
  const pages: StandingTiming[] = []
  try {
    await drainDirtyWeeks(db)
    for (const { page, name } of STANDING) {
      const url = pathOf(page, target)
      const requested = performance.now()
      const fetched = await timedGet(target, url)
      checkAnswer(target, url, page === 'initiative' ? null : defaultCombo, fetched)
      let fresh: number | null = null
      if (hasTable) {
        while (performance.now() - requested < 60_000) {
          const [row] = await db.execute<{ n: string }>(sql`
            select count(*)::text as n from read_models
            where data_version = (select version from data_version where id = 1) and name = ${name}`)
          if (Number(row?.n) > 0) {
            fresh = performance.now() - requested
            break
          }
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
      const timing = {
        path: url,
        name,
        stored_answer_ms: round(fetched.ms),
        served_stored: servedStored(fetched),
        fresh_stored_ms: fresh === null ? null : round(fresh),
      }
      log(
        `  standing ${target.label} ${url.padEnd(16)} answer ${timing.stored_answer_ms} ms (${timing.served_stored ? 'the stored one' : 'computed'}), fresh answer stored ${timing.fresh_stored_ms === null ? (hasTable ? 'not within 60 s' : 'never (no read_models table)') : `after ${timing.fresh_stored_ms} ms`}`,
      )
      pages.push(timing)
    }
  } finally {
    await db.execute(sql`delete from deployments where id = ${added.id}::bigint`)
    await drainDirtyWeeks(db)
  }
  return {
    read_models: hasTable,
    change: 'one production deployment added this week, rollups refreshed',
    pages,
  }
}

const defaultCombo: Combo = { query: '', bump: false, scope: 'All teams', from: null }
