// An incremental sync touching one week: the time to drain the rollup queue holding that week at scale 20
// (what every writer does after committing). Five refreshes of the latest full week; the median counts and
// the slowest is reported next to it.
import { connect } from '@/db/client'
import { sql } from 'drizzle-orm'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import { addUtcDays, startOfUtcWeek, toIsoDate } from '@/lib/dates'
import type { Log } from './databases'
import { quantile } from '@/lib/stats/summary'

export interface RefreshResult {
  median_ms: number
  max_ms: number
  team_weeks: number
}

export async function measureRefresh(databaseUrl: string, log: Log): Promise<RefreshResult> {
  const connection = connect(databaseUrl, { max: 2 })
  try {
    const week = addUtcDays(startOfUtcWeek(new Date()), -7)
    const monday = toIsoDate(week)
    await drainDirtyWeeks(connection.db) // whatever seeding left queued
    const times: number[] = []
    let teamWeeks = 0
    for (let run = 0; run < 5; run++) {
      // what a sync's writes in that week queue (the triggers on the facts)
      await connection.db.execute(
        sql`insert into dirty_weeks (from_week, to_week) values (${monday}::date, ${monday}::date)`,
      )
      const started = performance.now()
      teamWeeks = (await drainDirtyWeeks(connection.db)).teamWeeks
      times.push(performance.now() - started)
    }
    const result = {
      median_ms: Math.round(quantile(times, 0.5) ?? Number.NaN),
      max_ms: Math.round(Math.max(...times)),
      team_weeks: teamWeeks,
    }
    log(
      `rollups: refreshing one week (${teamWeeks} team-weeks) took ${result.median_ms} ms (median of 5; slowest ${result.max_ms} ms)`,
    )
    return result
  } finally {
    await connection.close()
  }
}
