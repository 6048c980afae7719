import { sql } from 'drizzle-orm'
import type { Db } from '../client'

/** True when no organisation has been loaded or collected yet. */
export async function isOrganisationEmpty(db: Db): Promise<boolean> {
  const [row] = await db.execute<{ found: boolean }>(sql`select exists (select 1 from teams) as found`)
  return !row?.found
}

export interface TeamRow {
  id: number
  slug: string
  name: string
  groupName: string | null
}

export async function listTeams(db: Db): Promise<TeamRow[]> {
  const rows = await db.execute<{ id: number; slug: string; name: string; group_name: string | null }>(
    sql`select id::int, slug, name, group_name from teams order by group_name nulls last, name`,
  )
  return rows.map((row) => ({ id: row.id, slug: row.slug, name: row.name, groupName: row.group_name }))
}
