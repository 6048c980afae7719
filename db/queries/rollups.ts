// Team × week rollups of the delivery facts, recomputed for the weeks a sync touched (weeks start Monday,
// UTC). The change-failure rule is the one the DORA queries use (productionOutcomes).
import { sql } from 'drizzle-orm'
import { startOfUtcWeek, toIsoDate } from '../../lib/dates'
import type { Db } from '../client'
import { at, productionOutcomes } from './dora'

/** Recomputes every team-week from the week containing `from` to the week containing `to`, atomically. */
export async function refreshTeamWeeks(db: Db, { from, to }: { from: Date; to: Date }): Promise<number> {
  const first = startOfUtcWeek(from)
  const last = new Date(startOfUtcWeek(to).getTime() + 7 * 86_400_000)
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`delete from rollups_team_weeks where week_start >= ${toIsoDate(first)}::date and week_start < ${toIsoDate(last)}::date`,
    )
    const inserted = await tx.execute(sql`
      with ${productionOutcomes({ from: first, to: last })},
      facts as (
        select team_id, date_trunc('week', merged_at at time zone 'UTC')::date as week_start,
          1 as merged, 0 as deployments, 0 as failures, 0 as incidents, 0::float8 as restore_minutes, 0 as restored
        from pull_requests
        where merged_at >= ${at(first)} and merged_at < ${at(last)} and team_id is not null
        union all
        select team_id, date_trunc('week', finished_at at time zone 'UTC')::date,
          0, 1, case when is_change_failure then 1 else 0 end, 0, 0, 0
        from production_outcomes
        where team_id is not null
        union all
        select team_id, date_trunc('week', opened_at at time zone 'UTC')::date,
          0, 0, 0, 1, coalesce(extract(epoch from resolved_at - opened_at) / 60, 0),
          case when resolved_at is not null then 1 else 0 end
        from incidents
        where opened_at >= ${at(first)} and opened_at < ${at(last)} and team_id is not null
      )
      insert into rollups_team_weeks
        (team_id, week_start, merged_pull_requests, deployments, change_failures, incidents,
         restore_minutes_sum, restored_incidents, refreshed_at)
      select team_id, week_start, sum(merged), sum(deployments), sum(failures), sum(incidents),
        sum(restore_minutes), sum(restored), now()
      from facts
      group by team_id, week_start
      returning 1`)
    return inserted.length
  })
}

export interface WeekTotals {
  weekStart: string
  deployments: number
  changeFailures: number
  mergedPullRequests: number
}

/** Organisation totals per week in [from, to) from the rollups (teams summed). */
export async function listWeeklyTotals(db: Db, { from, to }: { from: Date; to: Date }): Promise<WeekTotals[]> {
  const rows = await db.execute<{ week_start: string; deployments: number; change_failures: number; merged: number }>(sql`
    select to_char(week_start, 'YYYY-MM-DD') as week_start, sum(deployments)::int as deployments,
      sum(change_failures)::int as change_failures, sum(merged_pull_requests)::int as merged
    from rollups_team_weeks
    where week_start >= ${toIsoDate(from)}::date and week_start < ${toIsoDate(to)}::date
    group by week_start
    order by week_start`)
  return rows.map((row) => ({
    weekStart: row.week_start,
    deployments: row.deployments,
    changeFailures: row.change_failures,
    mergedPullRequests: row.merged,
  }))
}
