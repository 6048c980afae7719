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
 * How a row reached the database: a sync, a push (a webhook or the portal's events), a CSV file, a form in Upshot (the
 * study kit's stopwatch), or `npm run demo`.
 */
export type Provenance = 'collector' | 'webhook' | 'import' | 'form' | 'demo'

export interface CollectedCount {
  label: string
  count: number
  /** Every way rows of this count can arrive (one row may have come by several: a webhook, then a sync). */
  via: Provenance[]
}

/**
 * How many facts each source has contributed, each count with the way its rows came, and how many the demo
 * generated (`npm run demo`: its rows carry `demo` in their ids or belong to its teams, so they are never
 * counted as collected or imported). `demoGeneratedAt`: when the demo's teams were written, if they were.
 */
export async function countCollected(
  db: Db,
): Promise<{ counts: Record<string, CollectedCount[]>; demoGeneratedAt: Date | null }> {
  const [row] = await db.execute<Record<string, number | string | null>>(sql`
    with demo_teams as (select id from teams where starts_with(external_id, 'demo-team-'))
    select
      (select count(*)::int from pull_requests where provider = 'github' and not starts_with(external_id, 'PR_demo_')) as github_prs,
      (select count(*)::int from deployments where source in ('github_deployments', 'github_actions', 'github_releases')) as github_deployments,
      (select count(*)::int from deployments where source = 'webhook') as webhook_deployments,
      (select count(*)::int from webhook_deliveries where processed_at is not null and error is null and not starts_with(delivery_id, 'gitlab:')) as webhook_deliveries,
      (select count(*)::int from webhook_deliveries where processed_at is not null and error is null and starts_with(delivery_id, 'gitlab:')) as gitlab_webhook_deliveries,
      (select count(*)::int from repositories where provider = 'gitlab' and not starts_with(external_id, 'csv:')) as gitlab_repositories,
      (select count(*)::int from pull_requests where provider = 'gitlab') as gitlab_merge_requests,
      (select count(*)::int from deployments where source = 'gitlab') as gitlab_deployments,
      (select count(*)::int from incidents where source = 'gitlab') as gitlab_incidents,
      (select count(*)::int from teams where starts_with(external_id, 'gitlab:')) as gitlab_teams,
      (select count(*)::int from pull_requests where provider = 'csv') as csv_pull_requests,
      (select count(*)::int from services where source = 'csv') as csv_services,
      (select count(*)::int from study_observations where source = 'csv') as csv_study,
      (select count(*)::int from study_observations where source = 'form') as form_study,
      (select count(*)::int from repositories where provider = 'github' and not starts_with(external_id, 'csv:') and not starts_with(external_id, 'R_demo_')) as github_repositories,
      (select count(*)::int from teams where external_id is not null and not starts_with(external_id, 'demo-team-') and not starts_with(external_id, 'gitlab:')) as github_teams,
      (select count(*)::int from incidents where source = 'github_issues') as github_incidents,
      (select count(*)::int from incidents where source = 'pagerduty') as pagerduty_incidents,
      (select count(*)::int from incidents where source = 'opsgenie') as opsgenie_incidents,
      (select count(*)::int from services s where s.source = 'backstage' and not exists (select 1 from repositories r where r.id = s.repository_id and starts_with(r.external_id, 'R_demo_'))) as backstage_services,
      (select count(*)::int from scaffolder_runs where source = 'backstage' and not starts_with(external_id, 'demo-task-')) as backstage_runs,
      (select count(*)::int from portal_events where event_id is null or not starts_with(event_id, 'demo-event-')) as portal_events,
      (select count(*)::int from deployments where source = 'csv') as csv_deployments,
      (select count(*)::int from incidents where source = 'csv') as csv_incidents,
      (select count(*)::int from repositories where starts_with(external_id, 'csv:')) as csv_repositories,
      (select count(*)::int from people p where not exists (select 1 from team_memberships m join demo_teams d on d.id = m.team_id where m.person_id = p.id)) as people,
      (select count(*)::int from survey_responses where team_id is null or team_id not in (select id from demo_teams)) as survey_responses,
      (select count(*)::int from people p where exists (select 1 from team_memberships m join demo_teams d on d.id = m.team_id where m.person_id = p.id)) as demo_people,
      (select count(*)::int from survey_responses where team_id in (select id from demo_teams)) as demo_survey_responses,
      (select count(*)::int from pull_requests where starts_with(external_id, 'PR_demo_')) as demo_prs,
      (select count(*)::int from deployments where source = 'demo') as demo_deployments,
      (select count(*)::int from incidents where source = 'demo') as demo_incidents,
      (select count(*)::int from teams where starts_with(external_id, 'demo-team-')) as demo_teams,
      (select count(*)::int from scaffolder_runs where starts_with(external_id, 'demo-task-')) as demo_runs,
      (select count(*)::int from portal_events where starts_with(event_id, 'demo-event-')) as demo_portal_events,
      (select count(*)::int from study_observations where source = 'demo') as demo_study,
      (select min(created_at)::text from teams where starts_with(external_id, 'demo-team-')) as demo_generated_at`)
  const n = (key: string) => Number(row?.[key] ?? 0)
  const item = (label: string, key: string, ...via: Provenance[]): CollectedCount => ({ label, count: n(key), via })
  const generatedAt = row?.demo_generated_at
  return {
    counts: {
      github: [
        item('repositories', 'github_repositories', 'collector'),
        item('pull requests', 'github_prs', 'collector', 'webhook'),
        item('deployments', 'github_deployments', 'collector'),
        item('deployments by webhook', 'webhook_deployments', 'webhook'),
        item('webhook deliveries handled', 'webhook_deliveries', 'webhook'),
        item('teams', 'github_teams', 'collector'),
        item('incidents from issues', 'github_incidents', 'collector'),
      ],
      gitlab: [
        item('repositories', 'gitlab_repositories', 'collector'),
        item('merge requests', 'gitlab_merge_requests', 'collector', 'webhook'),
        item('deployments', 'gitlab_deployments', 'collector', 'webhook'),
        item('webhook deliveries handled', 'gitlab_webhook_deliveries', 'webhook'),
        item('teams (groups)', 'gitlab_teams', 'collector'),
        item('incidents', 'gitlab_incidents', 'collector'),
      ],
      pagerduty: [item('incidents', 'pagerduty_incidents', 'collector')],
      opsgenie: [item('incidents', 'opsgenie_incidents', 'collector')],
      backstage: [
        item('catalog services', 'backstage_services', 'collector'),
        item('template runs', 'backstage_runs', 'collector'),
        // sent by the portal (its analytics module or a forwarder) to /api/ingest/portal-events
        item('portal events', 'portal_events', 'webhook'),
      ],
      csv: [
        // the roster's people, and the members a GitHub team sync found
        item('people', 'people', 'import', 'collector'),
        item('repositories', 'csv_repositories', 'import'),
        item('pull requests', 'csv_pull_requests', 'import'),
        item('services', 'csv_services', 'import'),
        item('survey answers', 'survey_responses', 'import'),
        item('deployments', 'csv_deployments', 'import'),
        item('incidents', 'csv_incidents', 'import'),
        item('study timings', 'csv_study', 'import'),
        item('study timings entered', 'form_study', 'form'),
      ],
      demo: [
        item('teams', 'demo_teams', 'demo'),
        item('people', 'demo_people', 'demo'),
        item('pull requests', 'demo_prs', 'demo'),
        item('deployments', 'demo_deployments', 'demo'),
        item('incidents', 'demo_incidents', 'demo'),
        item('survey answers', 'demo_survey_responses', 'demo'),
        item('template runs', 'demo_runs', 'demo'),
        item('portal events', 'demo_portal_events', 'demo'),
        item('study timings', 'demo_study', 'demo'),
      ],
    },
    demoGeneratedAt: typeof generatedAt === 'string' ? new Date(generatedAt) : null,
  }
}

export interface WebhookQueue {
  pending: number
  failedLastDay: number
  lastReceived: Date | null
}

/** Each webhook source's queue: GitLab's deliveries are the ones whose id starts `gitlab:`, the rest are GitHub's. */
export async function getWebhookQueues(db: Db): Promise<Record<'github' | 'gitlab', WebhookQueue>> {
  const rows = await db.execute<{
    source: 'github' | 'gitlab'
    pending: number
    failed: number
    last: string | null
  }>(sql`
    select case when starts_with(delivery_id, 'gitlab:') then 'gitlab' else 'github' end as source,
      count(*) filter (where processed_at is null)::int as pending,
      count(*) filter (where error is not null and received_at > now() - interval '1 day')::int as failed,
      max(received_at)::text as last
    from webhook_deliveries group by 1`)
  const queue = (source: 'github' | 'gitlab'): WebhookQueue => {
    const row = rows.find((candidate) => candidate.source === source)
    return {
      pending: row?.pending ?? 0,
      failedLastDay: row?.failed ?? 0,
      lastReceived: row?.last ? new Date(row.last) : null,
    }
  }
  return { github: queue('github'), gitlab: queue('gitlab') }
}
