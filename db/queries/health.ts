import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'

/** Round trip to the database; throws when it does not answer. */
export async function pingDatabase(db: Db): Promise<{ serverVersion: string }> {
  const [row] = await db.execute<{ server_version: string }>(
    sql`select current_setting('server_version') as server_version`,
  )
  return { serverVersion: row?.server_version ?? 'unknown' }
}

/** The newest fact of each kind: how fresh the dashboard's numbers are. */
export async function getLatestActivity(
  db: Db,
): Promise<{ deployment: Date | null; pullRequest: Date | null; incident: Date | null }> {
  const [row] = await db.execute<{
    deployment: string | null
    pull_request: string | null
    incident: string | null
  }>(sql`
    select
      (select max(finished_at) from deployments where is_production) as deployment,
      (select max(opened_at) from pull_requests) as pull_request,
      (select max(opened_at) from incidents) as incident`)
  const date = (value: string | null | undefined) => (value ? new Date(value) : null)
  return { deployment: date(row?.deployment), pullRequest: date(row?.pull_request), incident: date(row?.incident) }
}
