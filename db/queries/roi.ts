// The ROI model's stored assumptions (append-only: the latest row of a key is its value) and the yearly
// counts it multiplies effects by.
import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'

export interface StoredAssumption {
  key: string
  value: number
  unit: string
  note: string | null
  changedBy: string
  changedAt: Date
}

/** The latest value of every key that was ever set. */
export async function listCurrentAssumptions(db: Db): Promise<StoredAssumption[]> {
  const rows = await db.execute<{
    key: string
    value: string
    unit: string
    note: string | null
    changed_by: string
    changed_at: string
  }>(sql`
    select distinct on (key) key, value::text, unit, note, changed_by, changed_at
    from roi_assumptions order by key, changed_at desc, id desc`)
  return rows.map((row) => ({
    key: row.key,
    value: Number(row.value),
    unit: row.unit,
    note: row.note,
    changedBy: row.changed_by,
    changedAt: new Date(row.changed_at),
  }))
}

/** Every change, newest first. */
export async function listAssumptionHistory(
  db: Db,
  { limit = 50 }: { limit?: number } = {},
): Promise<StoredAssumption[]> {
  const rows = await db.execute<{
    key: string
    value: string
    unit: string
    note: string | null
    changed_by: string
    changed_at: string
  }>(sql`
    select key, value::text, unit, note, changed_by, changed_at from roi_assumptions order by changed_at desc, id desc limit ${limit}`)
  return rows.map((row) => ({
    key: row.key,
    value: Number(row.value),
    unit: row.unit,
    note: row.note,
    changedBy: row.changed_by,
    changedAt: new Date(row.changed_at),
  }))
}

/** Records changed values, all in one statement. */
export async function recordAssumptions(
  db: Db,
  changes: { key: string; value: number; unit: string; note: string | null }[],
  changedBy: string,
): Promise<void> {
  if (changes.length === 0) return
  await db.execute(sql`
    insert into roi_assumptions (key, value, unit, note, changed_by)
    select c.key, c.value, c.unit, c.note, ${changedBy} from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) as c(key text, value numeric, unit text, note text)`)
}

export interface RoiCounts {
  engineers: number
  hiresPerYear: number
  incidentsPerYear: number
  servicesFromTemplatesPerYear: number
  /** Median setup hours of services made by hand and from a template in the year; null without any. */
  manualSetupHours: number | null
  templateSetupHours: number | null
}

/** What the benefits are multiplied by: the year up to `asOf`. */
export async function countForRoi(db: Db, { asOf }: { asOf: Date }): Promise<RoiCounts> {
  const to = asOf.toISOString()
  const [row] = await db.execute<{
    engineers: number
    hires: number
    incidents: number
    services: number
    manual: number | null
    template: number | null
  }>(sql`
    select
      (select count(distinct m.person_id)::int from team_memberships m join people p on p.id = m.person_id
        where p.is_engineer and m.valid_from <= ${to}::timestamptz::date and (m.valid_to is null or m.valid_to > ${to}::timestamptz::date)) as engineers,
      (select count(*)::int from people where is_engineer and start_date > (${to}::timestamptz - interval '1 year')::date and start_date <= ${to}::timestamptz::date) as hires,
      (select count(*)::int from incidents where opened_at > ${to}::timestamptz - interval '1 year' and opened_at <= ${to}::timestamptz) as incidents,
      (select count(*)::int from services where origin = 'template' and created_at > ${to}::timestamptz - interval '1 year' and created_at <= ${to}::timestamptz) as services,
      (select percentile_cont(0.5) within group (order by extract(epoch from created_at - requested_at) / 3600) from services
        where origin = 'manual' and requested_at is not null and created_at > ${to}::timestamptz - interval '1 year') as manual,
      (select percentile_cont(0.5) within group (order by extract(epoch from created_at - requested_at) / 3600) from services
        where origin = 'template' and requested_at is not null and created_at > ${to}::timestamptz - interval '1 year') as template`)
  const number = (value: number | null | undefined) => (value === null || value === undefined ? null : Number(value))
  return {
    engineers: row?.engineers ?? 0,
    hiresPerYear: row?.hires ?? 0,
    incidentsPerYear: row?.incidents ?? 0,
    servicesFromTemplatesPerYear: row?.services ?? 0,
    manualSetupHours: number(row?.manual),
    templateSetupHours: number(row?.template),
  }
}
