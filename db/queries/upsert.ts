// The bulk write every collector uses: insert rows, or update the existing row with the same upstream key
// only where something changed. Re-running a sync therefore writes nothing, and a run can say how many
// rows it created, updated and found unchanged.
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Db } from '@/db/client'

export interface UpsertResult {
  created: number
  updated: number
  unchanged: number
  /** The id of each written or existing row, by its key (the key columns' values joined with "|"). */
  ids: Map<string, number>
}

/**
 * Rows per statement. Rows travel as one JSON parameter that the server unpacks (json_to_recordset): a
 * statement with a parameter per value spends most of its time building, sending and binding them
 * (measured at ingest: 6,000 pull requests/s that way, against 48,000/s for the server's own INSERT … SELECT).
 */
const ROWS_PER_STATEMENT = 5_000

/**
 * Upserts `rows` into `table` on the unique `key` columns. Every other column given in a row is written;
 * unchanged rows are left alone (no new row version, no trigger, no dead tuple). A column a row leaves
 * undefined keeps its default (on insert) or its stored value (on update).
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
  const name = getTableName(table)
  const keyNames = new Set(key.map((column) => column.name))
  const keyFields = key.map((column) => fieldOf(columns, column))
  const idColumn = columns.id as PgColumn
  const keyOf = (values: unknown[]) =>
    values.map((value) => (value instanceof Date ? value.toISOString() : String(value))).join('|')

  // Rows by the fields they give: each group is one column list.
  const groups = new Map<string, Record<string, unknown>[]>()
  for (const row of rows as Record<string, unknown>[]) {
    const fields = Object.keys(row).filter((field) => field in columns && row[field] !== undefined)
    const signature = fields.join(',')
    const group = groups.get(signature)
    if (group) group.push(row)
    else groups.set(signature, [row])
  }
  for (const [signature, group] of groups) {
    const fields = signature.split(',')
    const given = fields.map((field) => columns[field] as PgColumn)
    const written = given.filter((column) => !keyNames.has(column.name) && column !== idColumn)
    const list = sql.raw(given.map((column) => `"${column.name}"`).join(', '))
    const set = written.length
      ? sql.raw(written.map((column) => `"${column.name}" = excluded."${column.name}"`).join(', '))
      : null
    const changed = written.length
      ? sql.raw(
          `(${written.map((column) => `"${name}"."${column.name}"`).join(', ')}) is distinct from (${written.map((column) => `excluded."${column.name}"`).join(', ')})`,
        )
      : sql`false`
    const conflict = sql.raw(key.map((column) => `"${column.name}"`).join(', '))
    const action = set
      ? sql`do update set ${set} where ${unless ? sql`${changed} and not (${unless})` : changed}`
      : sql`do nothing`
    // (drizzle's queries start when awaited; Promise.resolve starts this one now)
    const statement = (part: Record<string, unknown>[]) =>
      Promise.resolve(
        db.execute<Record<string, unknown>>(sql`
        insert into ${sql.identifier(name)} (${list})
        select ${sql.raw(fields.map((field) => `r."${field}"`).join(', '))} from json_to_recordset(${JSON.stringify(part)}::json) as r(${recordType(fields, columns)})
        on conflict (${conflict}) ${action}
        returning "${sql.raw(idColumn.name)}" as id, xmax = 0 as inserted, ${sql.raw(key.map((column) => `"${column.name}"`).join(', '))}`),
      )
    // One statement in flight while the next one's JSON is written: the server inserts as the client serialises.
    let inFlight: { part: Record<string, unknown>[]; returned: ReturnType<typeof statement> } | null = null
    // (one pass more than there are parts: the last pass sends nothing and collects the last part)
    for (let i = 0; i < group.length + ROWS_PER_STATEMENT; i += ROWS_PER_STATEMENT) {
      const part = group.slice(i, i + ROWS_PER_STATEMENT)
      const next = part.length ? { part, returned: statement(part) } : null
      // if the statement before fails, this one's failure must not go unhandled
      next?.returned.catch(() => {})
      if (inFlight) {
        const returned = await inFlight.returned
        for (const row of returned) {
          if (row.inserted) result.created++
          else result.updated++
          result.ids.set(keyOf(key.map((column) => column.mapFromDriverValue(row[column.name]))), Number(row.id))
        }
        result.unchanged += inFlight.part.length - returned.length
      }
      inFlight = next
    }
  }
  if (result.unchanged > 0) {
    // Ids of the rows left alone, for callers that link to them.
    const missing = (rows as Record<string, unknown>[]).filter(
      (row) => !result.ids.has(keyOf(keyFields.map((field) => row[field]))),
    )
    for (let i = 0; i < missing.length; i += ROWS_PER_STATEMENT) {
      const part = missing.slice(i, i + ROWS_PER_STATEMENT)
      const found = await db.execute<Record<string, unknown>>(sql`
        select t."${sql.raw(idColumn.name)}" as id, ${sql.raw(key.map((column) => `t."${column.name}"`).join(', '))}
        from ${sql.identifier(name)} t
        join json_to_recordset(${JSON.stringify(part)}::json) as r(${recordType(keyFields, columns)})
          on ${sql.raw(key.map((column, k) => `t."${column.name}" = r."${keyFields[k]}"`).join(' and '))}`)
      for (const row of found)
        result.ids.set(keyOf(key.map((column) => column.mapFromDriverValue(row[column.name]))), Number(row.id))
    }
  }
  return result
}

/**
 * The record json_to_recordset reads each row as: the row's own field names (the JSON is the rows as given:
 * a Date is written as its ISO instant, JSON and arrays as themselves), each with its column's SQL type.
 */
function recordType(fields: string[], columns: Record<string, PgColumn>): SQL {
  return sql.raw(fields.map((field) => `"${field}" ${(columns[field] as PgColumn).getSQLType()}`).join(', '))
}

function fieldOf(columns: Record<string, PgColumn>, column: PgColumn): string {
  const entry = Object.entries(columns).find(([, candidate]) => candidate === column)
  if (!entry) throw new Error(`column ${column.name} is not in the table`)
  return entry[0]
}
