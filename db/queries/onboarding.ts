import { sql } from 'drizzle-orm'
import { toIsoDate } from '@/lib/dates'
import type { Db } from '@/db/client'
import { teamFilter } from './team-filter'

export interface HireRow {
  personId: number
  /** The hire's team on the start date. */
  teamId: number | null
  startDate: Date
  /** Their first ten merged pull requests, ascending. */
  mergedAt: Date[]
}

/**
 * People who started in [from, to), with the team they joined and their first ten merges. Only start dates
 * on or after the first collected pull request count: for people who started before the data begins, their
 * "first" merge in the data is not their first merge.
 */
export async function listHires(
  db: Db,
  { from, to, teamIds }: { from: Date; to: Date; teamIds?: number[] },
): Promise<HireRow[]> {
  const rows = await db.execute<{
    person_id: number
    team_id: number | null
    start_date: string
    merged_at: string[] | null
  }>(sql`
    with data_since as (select min(opened_at)::date as day from pull_requests),
    hires as (
      select p.id as person_id, p.start_date,
        (select m.team_id from team_memberships m
          where m.person_id = p.id and m.valid_from <= p.start_date and (m.valid_to is null or m.valid_to > p.start_date)
          order by m.valid_from desc limit 1) as team_id
      from people p, data_since
      where p.start_date >= ${toIsoDate(from)}::date and p.start_date < ${toIsoDate(to)}::date
        and p.start_date >= data_since.day
    )
    select h.person_id::int, h.team_id::int, to_char(h.start_date, 'YYYY-MM-DD') as start_date,
      (select array_agg(to_char(x.merged_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') order by x.merged_at)
        from (select merged_at from pull_requests where author_person_id = h.person_id and merged_at is not null order by merged_at limit 10) x) as merged_at
    from hires h
    where ${teamFilter(sql`h.team_id`, teamIds)}
    order by h.start_date, h.person_id`)
  return rows.map((row) => ({
    personId: row.person_id,
    teamId: row.team_id,
    startDate: new Date(`${row.start_date}T00:00:00Z`),
    mergedAt: (row.merged_at ?? []).map((value) => new Date(value)),
  }))
}
