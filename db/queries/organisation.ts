import { sql } from 'drizzle-orm'
import type { Db } from '../client'

/** True when no organisation has been loaded or collected yet. */
export async function isOrganisationEmpty(db: Db): Promise<boolean> {
  const [row] = await db.execute<{ found: boolean }>(sql`select exists (select 1 from teams) as found`)
  return !row?.found
}
