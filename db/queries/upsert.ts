// The bulk write every collector uses: insert rows, or update the existing row with the same upstream key
// only where something changed. Re-running a sync therefore writes nothing, and a run can say how many
// rows it created, updated and found unchanged.
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Db } from '../client'

export interface UpsertResult {
  created: number
  updated: number
  unchanged: number
  /** The id of each written or existing row, by its key (the key columns' values joined with "|"). */
  ids: Map<string, number>
}

/** Postgres accepts at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 60_000

/**
 * Upserts `rows` into `table` on the unique `key` columns. Every other column given in a row is written;
 * unchanged rows are left alone (no new row version, no trigger, no dead tuple).
 */
export async function upsertRows<T extends PgTable>(
  db: Db,
  table: T,
  rows: T['$inferInsert'][],
  key: PgColumn[],
  { unless }: { /** Leave an existing row alone where this holds (e.g. the stored row is newer). */ unless?: SQL } = {},
): Promise<UpsertResult> {
  const result: UpsertResult = { created: 0, updated: 0, unchanged: 0, ids: new Map() }
  if (rows.length === 0) return result
  const columns = getTableColumns(table) as Record<string, PgColumn>
  const keyNames = new Set(key.map((column) => column.name))
  const written = Object.keys(rows[0] as object).filter((field) => field in columns && !keyNames.has((columns[field] as PgColumn).name) && field !== 'id')
  const set = Object.fromEntries(written.map((field) => [field, sql.raw(`excluded."${(columns[field] as PgColumn).name}"`)]))
  const changed: SQL = written.length
    ? sql.raw(`(${written.map((f) => `"${getTableName(table)}"."${(columns[f] as PgColumn).name}"`).join(', ')}) is distinct from (${written.map((f) => `excluded."${(columns[f] as PgColumn).name}"`).join(', ')})`)
    : sql`false`
  const idColumn = columns.id as PgColumn
  const keyOf = (values: unknown[]) => values.map((value) => (value instanceof Date ? value.toISOString() : String(value))).join('|')
  const chunk = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, Object.keys(rows[0] as object).length)))
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk)
    const returned = (await db
      .insert(table)
      .values(part as never)
      .onConflictDoUpdate({ target: key, set: set as never, setWhere: unless ? sql`${changed} and not (${unless})` : changed })
      .returning({ id: idColumn, inserted: sql<boolean>`xmax = 0`, ...Object.fromEntries(key.map((column) => [column.name, column])) })) as Record<string, unknown>[]
    for (const row of returned) {
      if (row.inserted) result.created++
      else result.updated++
      result.ids.set(keyOf(key.map((column) => row[column.name])), Number(row.id))
    }
    result.unchanged += part.length - returned.length
  }
  if (result.unchanged > 0) {
    // Ids of the rows left alone, for callers that link to them.
    const missing = rows.filter((row) => !result.ids.has(keyOf(key.map((column) => (row as Record<string, unknown>)[fieldOf(columns, column)]))))
    for (let i = 0; i < missing.length; i += chunk) {
      const part = missing.slice(i, i + chunk)
      const conditions = sql.join(
        part.map((row) => sql`(${sql.join(key.map((column) => sql`${column} = ${(row as Record<string, unknown>)[fieldOf(columns, column)]}`), sql` and `)})`),
        sql` or `,
      )
      const found = (await db
        .select({ id: idColumn, ...Object.fromEntries(key.map((column) => [column.name, column])) })
        .from(table as PgTable)
        .where(conditions)) as Record<string, unknown>[]
      for (const row of found) result.ids.set(keyOf(key.map((column) => row[column.name])), Number(row.id))
    }
  }
  return result
}

function fieldOf(columns: Record<string, PgColumn>, column: PgColumn): string {
  const entry = Object.entries(columns).find(([, candidate]) => candidate === column)
  if (!entry) throw new Error(`column ${column.name} is not in the table`)
  return entry[0]
}
