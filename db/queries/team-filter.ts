import { sql, type SQL } from 'drizzle-orm'

/**
 * The one team condition of every query that can be narrowed to some teams: all teams when `teamIds` is
 * omitted, none when it is empty (a filter that matches no team must show nothing, not everything), else
 * `column in (…)`. `column` is a SQL fragment so a query can name its own alias (`d.team_id`).
 */
export function teamFilter(column: SQL, teamIds: readonly number[] | undefined): SQL {
  if (teamIds === undefined) return sql`true`
  if (teamIds.length === 0) return sql`false`
  return sql`${column} in ${teamIds}`
}
