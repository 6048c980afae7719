// Writes of delivery facts by the collectors: repositories, pull requests (and the reviews on them), deployments
// and incidents. Every write is an upsert on the upstream's stable id. What a deployment shipped is worked out in
// deployment-links.ts and commit-links.ts; which deployment caused an incident, in incident-links.ts.
import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import {
  deployments,
  incidents,
  pullRequests,
  repositories,
  type NewDeployment,
  type NewIncident,
  type NewPullRequest,
  type NewRepository,
} from '@/db/schema'
import { upsertRows, type UpsertResult } from './upsert'

/**
 * Writes a collector's repository. One a repositories file made first (`csv:<owner/name>`) is adopted, keeping its
 * id and so its facts: a sync after the file never makes a second row of the same name.
 */
export async function upsertRepository(db: Db, row: NewRepository): Promise<{ id: number; result: UpsertResult }> {
  const provider = row.provider ?? 'github'
  await db.execute(sql`
    update repositories set provider = ${provider}, external_id = ${row.externalId}
    where external_id = ${`csv:${row.fullName}`}
      and not exists (select 1 from repositories where provider = ${provider} and external_id = ${row.externalId})`)
  const result = await upsertRows(db, repositories, [row], [repositories.provider, repositories.externalId])
  const id = result.ids.get(`${row.provider ?? 'github'}|${row.externalId}`)
  if (id === undefined) throw new Error(`repository ${row.fullName} was not written`)
  return { id, result }
}

/**
 * Writes pull requests; a row is only written where it changed. With `newerOnly`, a stored pull request
 * updated upstream after the given one is left alone (webhooks may arrive out of order). One a pull-requests
 * file made first, of the same repository and number, becomes the collector's row.
 */
export async function upsertPullRequests(
  db: Db,
  rows: NewPullRequest[],
  { newerOnly = false }: { newerOnly?: boolean } = {},
): Promise<UpsertResult> {
  // one a pull-requests file made first (provider csv) is adopted by number, keeping its id and its links
  if (rows.length > 0)
    await db.execute(sql`
      update pull_requests p set provider = r.provider, external_id = r.external_id
      from jsonb_to_recordset(${JSON.stringify(
        rows.map((row) => ({
          provider: row.provider ?? 'github',
          external_id: row.externalId,
          repository_id: row.repositoryId,
          number: row.number,
        })),
      )}::jsonb) as r(provider text, external_id text, repository_id bigint, number int)
      where p.provider = 'csv' and p.repository_id = r.repository_id and p.number = r.number and r.provider <> 'csv'
        and not exists (select 1 from pull_requests q where q.provider = r.provider and q.external_id = r.external_id)`)
  return upsertRows(db, pullRequests, rows, [pullRequests.provider, pullRequests.externalId], {
    unless: newerOnly ? sql`pull_requests.upstream_updated_at > excluded.upstream_updated_at` : undefined,
  })
}

/** Writes deployments; a finished deployment is never taken back to queued or in progress by a late status. */
export function upsertDeployments(db: Db, rows: NewDeployment[]): Promise<UpsertResult> {
  return upsertRows(db, deployments, rows, [deployments.source, deployments.externalId], {
    unless: sql`deployments.status in ('success', 'failure', 'cancelled') and excluded.status in ('queued', 'in_progress')`,
  })
}

/** A review submitted on a pull request: its first review and first approval move earlier if this one was. Returns whether it changed anything. */
export async function recordPullRequestReview(
  db: Db,
  { externalId, reviewer, at, approved }: { externalId: string; reviewer: string; at: Date; approved: boolean },
): Promise<boolean> {
  const rows = await db.execute<{ id: number }>(sql`
    update pull_requests set
      first_review_at = least(coalesce(first_review_at, ${at.toISOString()}::timestamptz), ${at.toISOString()}::timestamptz),
      approved_at = case when ${approved} then least(coalesce(approved_at, ${at.toISOString()}::timestamptz), ${at.toISOString()}::timestamptz) else approved_at end
    where provider = 'github' and external_id = ${externalId} and author_login is distinct from ${reviewer}
      and (first_review_at is null or first_review_at > ${at.toISOString()}::timestamptz or (${approved} and (approved_at is null or approved_at > ${at.toISOString()}::timestamptz)))
    returning id::int`)
  return rows.length > 0
}

export function upsertIncidents(db: Db, rows: NewIncident[]): Promise<UpsertResult> {
  return upsertRows(db, incidents, rows, [incidents.source, incidents.externalId])
}

/** A stored deployment's start and status, if it is stored (a webhook that reports only a status change keeps the start). */
export async function findStoredDeployment(
  db: Db,
  { source, externalId }: { source: NewDeployment['source']; externalId: string },
): Promise<{ startedAt: Date; status: NewDeployment['status'] } | null> {
  const [row] = await db.execute<{ started_at: string; status: NewDeployment['status'] }>(
    sql`select started_at, status from deployments where source = ${source} and external_id = ${externalId}`,
  )
  return row ? { startedAt: new Date(row.started_at), status: row.status } : null
}
