// Every fact the metrics read, loaded from a database into the plain rows lib/metrics takes. Timestamps are
// converted explicitly: a postgres-js client wrapped by drizzle returns them as strings (drizzle registers
// pass-through parsers on it), a bare one as Dates.
import type postgres from 'postgres'
import type { Facts } from '@/lib/metrics/team-weeks'

const toDate = (value: unknown): Date | null =>
  value === null || value === undefined ? null : value instanceof Date ? value : new Date(String(value))

function dates<T extends Record<string, unknown>>(rows: readonly T[], fields: readonly string[]): T[] {
  return rows.map((row) => {
    const copy: Record<string, unknown> = { ...row }
    for (const field of fields) copy[field] = toDate(row[field])
    return copy as T
  })
}

export async function loadFacts(sql: postgres.Sql): Promise<Facts> {
  const memberships =
    await sql`select person_id::int as "personId", team_id::int as "teamId", to_char(valid_from, 'YYYY-MM-DD') as "validFrom",
      to_char(valid_to, 'YYYY-MM-DD') as "validTo" from team_memberships`
  const pullRequests =
    await sql`select id::int, team_id::int as "teamId", author_person_id::int as "authorPersonId", first_commit_at as "firstCommitAt",
      opened_at as "openedAt", first_review_at as "firstReviewAt", merged_at as "mergedAt" from pull_requests`
  const deployments =
    await sql`select id::int, team_id::int as "teamId", service_id::int as "serviceId", repository_id::int as "repositoryId",
      is_production as "isProduction", status::text, finished_at as "finishedAt", is_rollback as "isRollback", is_hotfix as "isHotfix" from deployments`
  const links =
    await sql`select deployment_id::int as "deploymentId", pull_request_id::int as "pullRequestId" from deployment_pull_requests`
  const incidents =
    await sql`select id::int, team_id::int as "teamId", opened_at as "openedAt", acknowledged_at as "acknowledgedAt",
      resolved_at as "resolvedAt", caused_by_deployment_id::int as "causedByDeploymentId" from incidents`
  const portalEvents =
    await sql`select team_id::int as "teamId", person_id::int as "personId", user_ref as "userRef", occurred_at as "occurredAt" from portal_events`
  return {
    memberships: memberships as unknown as Facts['memberships'],
    pullRequests: dates(pullRequests, [
      'firstCommitAt',
      'openedAt',
      'firstReviewAt',
      'mergedAt',
    ]) as unknown as Facts['pullRequests'],
    deployments: dates(deployments, ['finishedAt']) as unknown as Facts['deployments'],
    links: links as unknown as Facts['links'],
    incidents: dates(incidents, ['openedAt', 'acknowledgedAt', 'resolvedAt']) as unknown as Facts['incidents'],
    portalEvents: dates(portalEvents, ['occurredAt']) as unknown as Facts['portalEvents'],
  }
}
