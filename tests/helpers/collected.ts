// What a sync leaves in the database, independent of surrogate ids and insert times: each fact by its
// upstream key with its references resolved to upstream keys too. Two runs that collected the same data
// give equal dumps, whatever order they wrote in and however often they retried a page.
import type postgres from 'postgres'

export async function collectedFacts(sql: postgres.Sql): Promise<Record<string, string[]>> {
  const rows = async (query: string) => (await sql.unsafe<{ row: string }[]>(query)).map((r) => r.row)
  return {
    teams: await rows(`select concat_ws('|', slug, name, external_id) as row from teams order by 1`),
    people: await rows(`select concat_ws('|', login, start_date) as row from people order by 1`),
    memberships: await rows(
      `select concat_ws('|', p.login, t.slug, m.valid_from, m.valid_to) as row from team_memberships m join people p on p.id = m.person_id join teams t on t.id = m.team_id order by 1`,
    ),
    repositories: await rows(
      `select concat_ws('|', r.external_id, r.full_name, t.slug, r.default_branch) as row from repositories r left join teams t on t.id = r.team_id order by 1`,
    ),
    pullRequests: await rows(`
      select concat_ws('|', p.external_id, r.external_id, p.number, p.title, p.author_login, a.login, t.slug, p.state, p.first_commit_at, p.opened_at,
        p.first_review_at, p.approved_at, p.merged_at, p.closed_at, p.additions, p.deletions, p.changed_files, p.commits, p.head_ref, p.merge_commit_sha, p.upstream_updated_at) as row
      from pull_requests p join repositories r on r.id = p.repository_id left join people a on a.id = p.author_person_id left join teams t on t.id = p.team_id order by 1`),
    deployments: await rows(`
      select concat_ws('|', d.source, d.external_id, r.external_id, s.entity_ref, t.slug, d.environment, d.is_production, d.status, d.started_at, d.finished_at,
        d.commit_sha, d.ref, d.is_rollback, d.is_hotfix, d.changes_linked) as row
      from deployments d left join repositories r on r.id = d.repository_id left join services s on s.id = d.service_id left join teams t on t.id = d.team_id order by 1`),
    shipped: await rows(`
      select concat_ws('|', d.external_id, p.external_id) as row
      from deployment_pull_requests dp join deployments d on d.id = dp.deployment_id join pull_requests p on p.id = dp.pull_request_id order by 1`),
    incidents: await rows(`
      select concat_ws('|', i.source, i.external_id, s.entity_ref, t.slug, i.title, i.priority, i.urgency, i.status, i.opened_at, i.acknowledged_at, i.resolved_at, d.external_id, i.deployment_ref, i.url) as row
      from incidents i left join services s on s.id = i.service_id left join teams t on t.id = i.team_id left join deployments d on d.id = i.caused_by_deployment_id order by 1`),
    services: await rows(
      `select concat_ws('|', s.entity_ref, s.name, t.slug, s.lifecycle, s.has_docs, s.origin, s.template_ref) as row from services s left join teams t on t.id = s.owner_team_id order by 1`,
    ),
    scaffolderRuns: await rows(
      `select concat_ws('|', source, external_id, template_ref, user_ref, status, started_at, finished_at) as row from scaffolder_runs order by 1`,
    ),
    portalEvents: await rows(
      `select concat_ws('|', event_id, action, subject, value, plugin_id, user_ref, occurred_at) as row from portal_events order by 1`,
    ),
    rollups: await rows(
      `select concat_ws('|', t.slug, w.week_start, w.engineers, w.merged_pull_requests, w.deployments, w.change_failures, w.lead_time_hours, w.incidents, w.restore_minutes) as row from rollups_team_weeks w join teams t on t.id = w.team_id order by 1`,
    ),
  }
}

/** Empties every table (ids start again from 1). */
export async function emptyDatabase(sql: postgres.Sql): Promise<void> {
  const tables = await sql<
    { name: string }[]
  >`select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`
  await sql.unsafe(`truncate ${tables.map((t) => t.name).join(', ')} restart identity cascade`)
}
