// Team × week rollups: recomputed from the facts (rollup-rows.ts) for the weeks writes queued (triggers on the
// facts, migration 0011) by one serialized refresh, and checked against a recomputation of every week. Dashboard
// queries read them through team-weeks.ts.
import { sql } from 'drizzle-orm'
import { addUtcDays, DAY_MS, parseIsoDate, toIsoDate } from '@/lib/dates'
import type { ChangeFailureRule } from '@/lib/domain'
import { isRetryableDatabaseError } from '@/lib/errors'
import type { Db } from '@/db/client'
import { bumpDataVersion } from './data-version'
import { COLUMNS, teamWeekRows } from './rollup-rows'
import { getChangeFailureRule } from './settings'

/** Recomputes the team-weeks of the weeks starting in [firstWeek, endWeek), inside the caller's transaction. */
async function recomputeWeeks(tx: Db, firstWeek: Date, endWeek: Date, rule: ChangeFailureRule): Promise<number> {
  await tx.execute(
    sql`delete from rollups_team_weeks where week_start >= ${toIsoDate(firstWeek)}::date and week_start < ${toIsoDate(endWeek)}::date`,
  )
  const inserted = await tx.execute(
    sql`insert into rollups_team_weeks ${COLUMNS} ${teamWeekRows(firstWeek, endWeek, rule)} returning 1`,
  )
  return inserted.length
}

/** Serializes refreshes, and `db check` against them: one refresh at a time, on any number of processes. */
const ROLLUP_LOCK = 0x726f_6c6c_7570 // "rollup"
/** Queued weeks this close together are recomputed in one pass (one query reads the span between them). */
const MERGE_GAP_WEEKS = 4
const WEEK_MS = 7 * DAY_MS

export interface DrainResult {
  /** The ranges of weeks recomputed, [from, to] as Mondays. */
  ranges: { from: string; to: string }[]
  /** Team-week rows written. */
  teamWeeks: number
}

/**
 * Brings the rollups level with the facts: recomputes the queued weeks (dirty_weeks, which triggers on the facts
 * fill in the writers' own transactions) and any week the facts' span has grown into, drops weeks the span no
 * longer holds, and records the span. One refresh at a time (an advisory lock), in one transaction: the queue
 * rows it takes are deleted only if the recomputation commits, so a refresh that fails or is killed leaves
 * them for the next one, and a write that commits meanwhile queues its weeks again. Every writer calls it
 * after committing (and the scheduler every minute); calling it with nothing queued costs a few index reads.
 * Rows come out equal to a recomputation of every week from scratch (`npm run db -- check`).
 */
export async function drainDirtyWeeks(db: Db): Promise<DrainResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => drainOnce(tx))
    } catch (error) {
      // a deadlock or serialization failure with a writer is the database asking to try again
      if (attempt >= 4 || !isRetryableDatabaseError(error)) throw error
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt))
    }
  }
}

async function drainOnce(tx: Db): Promise<DrainResult> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`)
  const queued = await tx.execute<{ from_week: string | null; to_week: string | null }>(sql`
    delete from dirty_weeks returning to_char(from_week, 'YYYY-MM-DD') as from_week, to_char(to_week, 'YYYY-MM-DD') as to_week`)
  const span = await factWeeks(tx)
  const [covered] = await tx.execute<{ first_week: string | null; last_week: string | null }>(sql`
    select to_char(first_week, 'YYYY-MM-DD') as first_week, to_char(last_week, 'YYYY-MM-DD') as last_week from rollup_span where id = 1`)
  const coveredSpan =
    covered?.first_week && covered.last_week ? { first: covered.first_week, last: covered.last_week } : null
  if (queued.length === 0 && span?.first === coveredSpan?.first && span?.last === coveredSpan?.last)
    return { ranges: [], teamWeeks: 0 }

  const ranges = span
    ? weeksToRecompute(
        span,
        coveredSpan,
        queued.map((row) => ({ from: row.from_week, to: row.to_week })),
      )
    : []
  const rule = await getChangeFailureRule(tx)
  // A refresh reads a few weeks out of years of facts: index lookups, not scans of whole tables. Postgres'
  // default random_page_cost (4, for spinning disks) makes the planner hash-join all 1.3 million shipped-change
  // links at scale 20 instead (measured, one week at scale 20: 640 ms with the default, 300 ms with this).
  await tx.execute(sql`set local random_page_cost = 1.1`)
  if (span)
    await tx.execute(
      sql`delete from rollups_team_weeks where week_start < ${span.first}::date or week_start > ${span.last}::date`,
    )
  else await tx.execute(sql`delete from rollups_team_weeks`)
  let teamWeeks = 0
  for (const range of ranges) {
    teamWeeks += await recomputeWeeks(tx, parseIsoDate(range.from), addUtcDays(parseIsoDate(range.to), 7), rule)
  }
  await tx.execute(sql`
    insert into rollup_span (id, first_week, last_week) values (1, ${span?.first ?? null}::date, ${span?.last ?? null}::date)
    on conflict (id) do update set first_week = excluded.first_week, last_week = excluded.last_week`)
  // cached read models are stale from this commit on (last: the version row is the last lock taken)
  await bumpDataVersion(tx)
  return { ranges, teamWeeks }
}

/**
 * The weeks to recompute, as merged ranges of Mondays inside the span: the queued ranges (open ends reach the
 * span's ends) and the span's weeks the stored rollups do not cover yet.
 */
export function weeksToRecompute(
  span: { first: string; last: string },
  covered: { first: string; last: string } | null,
  queued: { from: string | null; to: string | null }[],
): { from: string; to: string }[] {
  const ranges = queued.map((range) => ({ from: range.from ?? span.first, to: range.to ?? span.last }))
  if (!covered || covered.last < span.first || covered.first > span.last)
    ranges.push({ from: span.first, to: span.last })
  else {
    if (span.first < covered.first)
      ranges.push({ from: span.first, to: toIsoDate(addUtcDays(parseIsoDate(covered.first), -7)) })
    if (span.last > covered.last)
      ranges.push({ from: toIsoDate(addUtcDays(parseIsoDate(covered.last), 7)), to: span.last })
  }
  const clipped = ranges
    .map((range) => ({
      from: range.from < span.first ? span.first : range.from,
      to: range.to > span.last ? span.last : range.to,
    }))
    .filter((range) => range.from <= range.to)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
  const merged: { from: string; to: string }[] = []
  for (const range of clipped) {
    const last = merged.at(-1)
    if (last && parseIsoDate(range.from).getTime() - parseIsoDate(last.to).getTime() <= MERGE_GAP_WEEKS * WEEK_MS) {
      if (range.to > last.to) last.to = range.to
    } else merged.push({ ...range })
  }
  return merged
}

/**
 * The weeks the rollups cover (Mondays): from the week of the first fact to the week of the last, whatever
 * the team. Null without facts. Each bound is an index read.
 */
export async function factWeeks(db: Db): Promise<{ first: string; last: string } | null> {
  const [row] = await db.execute<{ first: string | null; last: string | null }>(sql`
    select to_char(upshot_week(least(
        (select min(opened_at) from pull_requests), (select min(finished_at) from deployments),
        (select min(opened_at) from incidents), (select min(occurred_at) from portal_events))), 'YYYY-MM-DD') as first,
      to_char(upshot_week(greatest(
        (select max(opened_at) from pull_requests), (select max(merged_at) from pull_requests), (select max(finished_at) from deployments),
        (select max(opened_at) from incidents), (select max(occurred_at) from portal_events))), 'YYYY-MM-DD') as last`)
  return row?.first && row.last ? { first: row.first, last: row.last } : null
}

/** Queues every week (a rule change, a repair): the next drain recomputes them all. */
export async function queueAllWeeks(db: Db): Promise<void> {
  await db.execute(sql`insert into dirty_weeks (from_week, to_week) values (null, null)`)
}

/** A difference between a stored team-week and its recomputation from the facts. */
export interface RollupDifference {
  team: string
  week: string
  column: string
  stored: string
  recomputed: string
}

const CHECKED_COLUMNS = [
  'engineers',
  'live_services',
  'merged_pull_requests',
  'deployments',
  'change_failures',
  'rework_deployments',
  'lead_time_hours',
  'recovery_minutes',
  'coding_hours',
  'pickup_hours',
  'review_hours',
  'deploy_hours',
  'cycle_hours',
  'incidents',
  'restore_minutes',
  'acknowledge_minutes',
  'portal_users',
] as const

/**
 * Recomputes every team-week from the facts and compares it with the stored one, column by column: a row
 * missing on either side is one difference (column "row"). Takes the refresh lock, so it never compares
 * against a refresh half done; weeks still queued (`queued`) are expected to differ until the next drain.
 */
export async function checkRollups(
  db: Db,
  { limit = 1000 }: { limit?: number } = {},
): Promise<{ teamWeeks: number; differences: RollupDifference[]; queued: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`)
    const [queue] = await tx.execute<{ queued: number }>(sql`select count(*)::int as queued from dirty_weeks`)
    const span = await factWeeks(tx)
    const rule = await getChangeFailureRule(tx)
    await tx.execute(sql`set local random_page_cost = 1.1`)
    await tx.execute(sql`drop table if exists pg_temp.recomputed`)
    await tx.execute(
      sql`create temporary table recomputed on commit drop as select * from rollups_team_weeks with no data`,
    )
    if (span)
      await tx.execute(
        sql`insert into recomputed ${COLUMNS} ${teamWeekRows(parseIsoDate(span.first), addUtcDays(parseIsoDate(span.last), 7), rule)}`,
      )
    const show = (column: string, side: string) =>
      column === 'row'
        ? sql.raw(`case when ${side}.team_id is null then 'absent' else 'present' end`)
        : sql.raw(`left(${side}.${column}::text, 200)`)
    const differences = await tx.execute<{
      team: string
      week: string
      column: string
      stored: string
      recomputed: string
    }>(sql`
      select coalesce(t.slug, coalesce(s.team_id, r.team_id)::text) as team, to_char(coalesce(s.week_start, r.week_start), 'YYYY-MM-DD') as week, d."column", d.stored, d.recomputed
      from rollups_team_weeks s
      full join recomputed r on r.team_id = s.team_id and r.week_start = s.week_start
      left join teams t on t.id = coalesce(s.team_id, r.team_id)
      cross join lateral (
        select 'row' as "column", ${show('row', 's')} as stored, ${show('row', 'r')} as recomputed where s.team_id is null or r.team_id is null
        ${sql.join(
          CHECKED_COLUMNS.map((column) =>
            sql.raw(
              ` union all select '${column}', ${'left(s.' + column + '::text, 200)'}, ${'left(r.' + column + '::text, 200)'} where s.team_id is not null and r.team_id is not null and s.${column} is distinct from r.${column}`,
            ),
          ),
          sql``,
        )}
      ) d
      order by week, team, d."column"
      limit ${limit}`)
    const [count] = await tx.execute<{ rows: number }>(sql`select count(*)::int as rows from recomputed`)
    return { teamWeeks: count?.rows ?? 0, differences: [...differences], queued: queue?.queued ?? 0 }
  })
}
