// What the Data sources page shows: each source's runs, where each scope stands, what it has collected,
// and the webhook queue.
import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'

export interface RunRow {
  id: number
  source: string
  scope: string
  status: 'running' | 'success' | 'partial' | 'failed'
  startedAt: Date
  finishedAt: Date | null
  created: number
  updated: number
  skipped: number
  failed: number
  error: string | null
  failures: { item: string; error: string }[]
}

/** The latest `perSource` runs of every source (CSV imports are one source per kind), newest first. */
export async function listRecentRuns(db: Db, { perSource = 8 }: { perSource?: number } = {}): Promise<RunRow[]> {
  const rows = await db.execute<{
    id: number
    source: string
    scope: string
    status: RunRow['status']
    started_at: string
    finished_at: string | null
    created: number
    updated: number
    skipped: number
    failed: number
    error: string | null
    failures: { item: string; error: string }[] | null
  }>(sql`
    select id::int, source, scope, status, started_at::text, finished_at::text, created, updated, skipped, failed, error, details -> 'failures' as failures
    from (select *, row_number() over (partition by source order by started_at desc, id desc) as n from sync_runs) r
    where n <= ${perSource}
    order by source, started_at desc, id desc`)
  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    scope: row.scope,
    status: row.status,
    startedAt: new Date(row.started_at),
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
    created: row.created,
    updated: row.updated,
    skipped: row.skipped,
    failed: row.failed,
    error: row.error,
    failures: row.failures ?? [],
  }))
}

export interface ScopeRow {
  source: string
  scope: string
  watermark: Date | null
  /** A pass in progress (a run was interrupted and will resume). */
  resuming: boolean
}

export async function listSyncScopes(db: Db): Promise<ScopeRow[]> {
  const rows = await db.execute<{ source: string; scope: string; watermark: string | null; resuming: boolean }>(
    sql`select source, scope, watermark::text, cursor is not null as resuming from sync_state order by source, scope`,
  )
  return rows.map((row) => ({
    source: row.source,
    scope: row.scope,
    watermark: row.watermark ? new Date(row.watermark) : null,
    resuming: row.resuming,
  }))
}

/**
 * How many facts each source has contributed, and how many the demo generated (`npm run demo`: its rows carry
 * `demo` in their ids, so they are never counted as collected from GitHub or Backstage).
 */
export async function countCollected(db: Db): Promise<Record<string, { label: string; count: number }[]>> {
  const [row] = await db.execute<Record<string, number>>(sql`
    select
      (select count(*)::int from pull_requests where provider = 'github' and not starts_with(external_id, 'PR_demo_')) as github_prs,
      (select count(*)::int from deployments where source in ('github_deployments', 'github_actions', 'github_releases', 'webhook')) as github_deployments,
      (select count(*)::int from repositories where provider = 'github' and not starts_with(external_id, 'csv:') and not starts_with(external_id, 'R_demo_')) as github_repositories,
      (select count(*)::int from teams where external_id is not null and not starts_with(external_id, 'demo-team-')) as github_teams,
      (select count(*)::int from incidents where source = 'github_issues') as github_incidents,
      (select count(*)::int from incidents where source = 'pagerduty') as pagerduty_incidents,
      (select count(*)::int from incidents where source = 'opsgenie') as opsgenie_incidents,
      (select count(*)::int from services s where not exists (select 1 from repositories r where r.id = s.repository_id and starts_with(r.external_id, 'R_demo_'))) as backstage_services,
      (select count(*)::int from scaffolder_runs where source = 'backstage' and not starts_with(external_id, 'demo-task-')) as backstage_runs,
      (select count(*)::int from portal_events where event_id is null or not starts_with(event_id, 'demo-event-')) as portal_events,
      (select count(*)::int from deployments where source = 'csv') as csv_deployments,
      (select count(*)::int from incidents where source = 'csv') as csv_incidents,
      (select count(*)::int from repositories where starts_with(external_id, 'csv:')) as csv_repositories,
      (select count(*)::int from people) as people,
      (select count(*)::int from survey_responses) as survey_responses,
      (select count(*)::int from pull_requests where starts_with(external_id, 'PR_demo_')) as demo_prs,
      (select count(*)::int from deployments where source = 'demo') as demo_deployments,
      (select count(*)::int from incidents where source = 'demo') as demo_incidents,
      (select count(*)::int from teams where starts_with(external_id, 'demo-team-')) as demo_teams,
      (select count(*)::int from scaffolder_runs where starts_with(external_id, 'demo-task-')) as demo_runs,
      (select count(*)::int from portal_events where starts_with(event_id, 'demo-event-')) as demo_portal_events`)
  const n = (key: string) => Number(row?.[key] ?? 0)
  return {
    github: [
      { label: 'repositories', count: n('github_repositories') },
      { label: 'pull requests', count: n('github_prs') },
      { label: 'deployments', count: n('github_deployments') },
      { label: 'teams', count: n('github_teams') },
      { label: 'incidents from issues', count: n('github_incidents') },
    ],
    pagerduty: [{ label: 'incidents', count: n('pagerduty_incidents') }],
    opsgenie: [{ label: 'incidents', count: n('opsgenie_incidents') }],
    backstage: [
      { label: 'catalog services', count: n('backstage_services') },
      { label: 'template runs', count: n('backstage_runs') },
      { label: 'portal events', count: n('portal_events') },
    ],
    csv: [
      { label: 'people', count: n('people') },
      { label: 'repositories', count: n('csv_repositories') },
      { label: 'survey answers', count: n('survey_responses') },
      { label: 'deployments', count: n('csv_deployments') },
      { label: 'incidents', count: n('csv_incidents') },
    ],
    demo: [
      { label: 'teams', count: n('demo_teams') },
      { label: 'pull requests', count: n('demo_prs') },
      { label: 'deployments', count: n('demo_deployments') },
      { label: 'incidents', count: n('demo_incidents') },
      { label: 'template runs', count: n('demo_runs') },
      { label: 'portal events', count: n('demo_portal_events') },
    ],
  }
}

export async function getWebhookQueue(
  db: Db,
): Promise<{ pending: number; failedLastDay: number; lastReceived: Date | null }> {
  const [row] = await db.execute<{ pending: number; failed: number; last: string | null }>(sql`
    select count(*) filter (where processed_at is null)::int as pending,
      count(*) filter (where error is not null and received_at > now() - interval '1 day')::int as failed,
      max(received_at)::text as last
    from webhook_deliveries`)
  return {
    pending: row?.pending ?? 0,
    failedLastDay: row?.failed ?? 0,
    lastReceived: row?.last ? new Date(row.last) : null,
  }
}
