// An incremental sync touching one week: the time to recompute that week's team × week rollups at scale 20
// (what every sync run does after writing, for the weeks it touched). Five refreshes of the latest full
// week; the median counts and the slowest is reported next to it.
import { connect } from '../db/client'
import { refreshTeamWeeks } from '../db/queries/rollups'
import { addUtcDays, startOfUtcWeek } from '../lib/dates'
import type { Log } from './databases'
import { quantile } from '../lib/stats/summary'

export interface RefreshResult {
  median_ms: number
  max_ms: number
  team_weeks: number
}

export async function measureRefresh(databaseUrl: string, log: Log): Promise<RefreshResult> {
  const connection = connect(databaseUrl, { max: 2 })
  try {
    const week = addUtcDays(startOfUtcWeek(new Date()), -7)
    // a sync's writes between Tuesday and Saturday of that week: the span it hands to the refresh
    const touched = { from: addUtcDays(week, 1), to: addUtcDays(week, 6) }
    const times: number[] = []
    let teamWeeks = 0
    for (let run = 0; run < 5; run++) {
      const started = performance.now()
      teamWeeks = await refreshTeamWeeks(connection.db, touched)
      times.push(performance.now() - started)
    }
    const result = { median_ms: Math.round(quantile(times, 0.5) ?? Number.NaN), max_ms: Math.round(Math.max(...times)), team_weeks: teamWeeks }
    log(`rollups: refreshing one week (${teamWeeks} team-weeks) took ${result.median_ms} ms (median of 5; slowest ${result.max_ms} ms)`)
    return result
  } finally {
    await connection.close()
  }
}
