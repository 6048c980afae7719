// Writes of CSV imports, set-based (one statement per table, not one per row), each replacing rows by their
// key: a person by login, a survey answer by wave, respondent and question, a deployment or incident by its
// id in the file. The caller runs them in one transaction, so an import is all or nothing.
import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import { FIRST_SEEN_FROM } from './organisation'

export interface WriteCounts {
  inserted: number
  updated: number
}

const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`
const counts = (rows: { inserted: boolean }[]): WriteCounts => ({
  inserted: rows.filter((row) => row.inserted).length,
  updated: rows.filter((row) => !row.inserted).length,
})

/** Ids of existing rows by natural key, for checking a file's references before writing. */
export async function findReferences(
  db: Db,
  { teams, services, repositories }: { teams: string[]; services: string[]; repositories: string[] },
) {
  const [teamRows, serviceRows, repositoryRows] = await Promise.all([
    db.execute<{ key: string }>(sql`select slug as key from teams where slug = any(${sql.param(teams)}::text[])`),
    db.execute<{ key: string }>(
      sql`select entity_ref as key from services where entity_ref = any(${sql.param(services)}::text[])`,
    ),
    db.execute<{ key: string }>(
      sql`select full_name as key from repositories where full_name = any(${sql.param(repositories)}::text[])`,
    ),
  ])
  return {
    teams: new Set(teamRows.map((r) => r.key)),
    services: new Set(serviceRows.map((r) => r.key)),
    repositories: new Set(repositoryRows.map((r) => r.key)),
  }
}

export interface RepositoryRow {
  /** owner/name, as the deployments and pull requests name it. */
  repository: string
  team?: string
  provider?: string
  defaultBranch?: string
  archived?: boolean
}

/**
 * Repositories and the teams that own them, from any SCM's export. A repository already known by its
 * owner/name (a GitHub sync made it, or an earlier import) keeps its row, and the team and flags the file gives
 * are updated (an empty cell leaves them as they are); a new one is keyed `csv:<owner/name>` under its
 * provider, so importing it again never makes a second row.
 */
export async function importRepositories(db: Db, rows: RepositoryRow[]): Promise<WriteCounts> {
  const updated = await db.execute(sql`
    update repositories p
    set team_id = coalesce(t.id, p.team_id), default_branch = coalesce(r."defaultBranch", p.default_branch), archived = coalesce(r.archived, p.archived)
    from jsonb_to_recordset(${json(rows)}) as r(repository text, team text, "defaultBranch" text, archived boolean)
    left join teams t on t.slug = r.team
    where p.full_name = r.repository
      and (p.team_id, p.default_branch, p.archived) is distinct from (coalesce(t.id, p.team_id), coalesce(r."defaultBranch", p.default_branch), coalesce(r.archived, p.archived))
    returning p.id`)
  const inserted = await db.execute(sql`
    insert into repositories (provider, external_id, owner, name, full_name, team_id, default_branch, archived)
    select coalesce(r.provider, 'csv'), 'csv:' || r.repository, regexp_replace(r.repository, '/[^/]*$', ''), regexp_replace(r.repository, '^.*/', ''),
      r.repository, t.id, coalesce(r."defaultBranch", 'main'), coalesce(r.archived, false)
    from jsonb_to_recordset(${json(rows)}) as r(repository text, team text, provider text, "defaultBranch" text, archived boolean)
    left join teams t on t.slug = r.team
    where not exists (select 1 from repositories p where p.full_name = r.repository)
    on conflict (provider, external_id) do nothing
    returning id`)
  return { inserted: inserted.length, updated: updated.length }
}

export interface RosterRow {
  login: string
  name?: string
  email?: string
  team?: string
  teamName?: string
  startDate?: string
  endDate?: string
  /** When the person joined `team` (default: today for a move, the start date for a new person). */
  teamSince?: string
  isEngineer?: boolean
}

/**
 * People and their teams. A person whose team differs from their current one moves on `team_since` (else
 * `today`); a new person is in their team from their start date; an end date closes their membership.
 */
export async function importRoster(db: Db, rows: RosterRow[], { today }: { today: string }): Promise<WriteCounts> {
  await db.execute(sql`
    insert into teams (slug, name)
    select distinct on (r.team) r.team, coalesce(r."teamName", r.team) from jsonb_to_recordset(${json(rows)}) as r(team text, "teamName" text)
    where r.team is not null
    order by r.team, r."teamName" nulls last
    on conflict (slug) do update set name = excluded.name where excluded.name is distinct from teams.name and excluded.name <> teams.slug`)
  const people = await db.execute<{ inserted: boolean }>(sql`
    insert into people (login, name, email, start_date, end_date, is_engineer)
    select r.login, r.name, r.email, r."startDate"::date, r."endDate"::date, coalesce(r."isEngineer", true)
    from jsonb_to_recordset(${json(rows)}) as r(login text, name text, email text, "startDate" text, "endDate" text, "isEngineer" boolean)
    on conflict (login) do update set name = excluded.name, email = excluded.email, start_date = excluded.start_date, end_date = excluded.end_date, is_engineer = excluded.is_engineer
      where (people.name, people.email, people.start_date, people.end_date, people.is_engineer) is distinct from (excluded.name, excluded.email, excluded.start_date, excluded.end_date, excluded.is_engineer)
    returning xmax = 0 as inserted`)
  const moves = await db.execute<{ person_id: number; team_id: number; since: string }>(sql`
    select p.id::int as person_id, t.id::int as team_id,
      to_char(coalesce(r."teamSince"::date,
        case when exists (select 1 from team_memberships m where m.person_id = p.id) then ${today}::date else coalesce(p.start_date, ${FIRST_SEEN_FROM}::date) end), 'YYYY-MM-DD') as since
    from jsonb_to_recordset(${json(rows)}) as r(login text, team text, "teamSince" text, "endDate" text)
    join people p on p.login = r.login
    join teams t on t.slug = r.team
    where not exists (select 1 from team_memberships m where m.person_id = p.id and m.valid_to is null and m.team_id = t.id)
      -- someone who has left, imported again: their last membership, in this team, ended with them; no move
      and not (r."endDate" is not null and exists (
        select 1 from team_memberships m where m.person_id = p.id and m.team_id = t.id and m.valid_to = r."endDate"::date + 1))`)
  if (moves.length > 0) {
    const list = sql`jsonb_to_recordset(${json(moves)}) as v(person_id bigint, team_id bigint, since date)`
    // the membership before the move ends on the day of the move; any that began on or after it is replaced
    await db.execute(
      sql`delete from team_memberships m using ${list} where m.person_id = v.person_id and m.valid_from >= v.since`,
    )
    await db.execute(
      sql`update team_memberships m set valid_to = v.since from ${list} where m.person_id = v.person_id and m.valid_to is null`,
    )
    await db.execute(
      sql`insert into team_memberships (person_id, team_id, valid_from) select person_id, team_id, since from ${list}`,
    )
  }
  // end_date is the last day in the team; valid_to is exclusive, so the membership ends the day after
  const ended = await db.execute<{ person_id: number }>(sql`
    update team_memberships m set valid_to = r."endDate"::date + 1
    from jsonb_to_recordset(${json(rows)}) as r(login text, "endDate" text)
    join people p on p.login = r.login
    where r."endDate" is not null and m.person_id = p.id and m.valid_to is null and m.valid_from <= r."endDate"::date
    returning m.person_id::int`)
  const result = counts(people)
  // a membership change of an existing person is an update of that person
  const changed = new Set([...moves, ...ended].map((row) => row.person_id)).size
  return { inserted: result.inserted, updated: Math.max(result.updated, changed - result.inserted) }
}

/** The salt that makes survey respondents' keys unlinkable to people; made once per installation. */
export async function getSurveySalt(db: Db): Promise<string> {
  await db.execute(
    sql`insert into settings (key, value, updated_by) values ('survey_salt', ${JSON.stringify(randomBytes(16).toString('hex'))}::jsonb, 'upshot') on conflict (key) do nothing`,
  )
  const [row] = await db.execute<{ value: string }>(
    sql`select value #>> '{}' as value from settings where key = 'survey_salt'`,
  )
  return row?.value as string
}

export function respondentKey(salt: string, wave: string, respondent: string): string {
  return createHash('sha256').update(`${salt}:${wave}:${respondent}`).digest('hex').slice(0, 20)
}

export interface SurveyRow {
  wave: string
  waveTitle?: string
  opensOn?: string
  closesOn?: string
  respondentKey: string
  team?: string
  question: string
  score: number
  submittedAt: string
}

export async function importSurveyResponses(db: Db, rows: SurveyRow[]): Promise<WriteCounts> {
  await db.execute(sql`
    insert into survey_waves (key, title, opens_on, closes_on)
    select r.wave, coalesce(max(r."waveTitle"), r.wave), coalesce(min(r."opensOn")::date, min(r."submittedAt"::timestamptz)::date), coalesce(max(r."closesOn")::date, max(r."submittedAt"::timestamptz)::date)
    from jsonb_to_recordset(${json(rows)}) as r(wave text, "waveTitle" text, "opensOn" text, "closesOn" text, "submittedAt" text)
    group by r.wave
    on conflict (key) do update set title = excluded.title, opens_on = least(survey_waves.opens_on, excluded.opens_on), closes_on = greatest(survey_waves.closes_on, excluded.closes_on)
      where (survey_waves.title, survey_waves.opens_on, survey_waves.closes_on) is distinct from (excluded.title, least(survey_waves.opens_on, excluded.opens_on), greatest(survey_waves.closes_on, excluded.closes_on))`)
  const written = await db.execute<{ inserted: boolean }>(sql`
    insert into survey_responses (wave_id, respondent_key, team_id, question, score, submitted_at)
    select w.id, r."respondentKey", t.id, r.question, r.score, r."submittedAt"::timestamptz
    from jsonb_to_recordset(${json(rows)}) as r(wave text, "respondentKey" text, team text, question text, score int, "submittedAt" text)
    join survey_waves w on w.key = r.wave
    left join teams t on t.slug = r.team
    on conflict (wave_id, respondent_key, question) do update set team_id = excluded.team_id, score = excluded.score, submitted_at = excluded.submitted_at
      where (survey_responses.team_id, survey_responses.score, survey_responses.submitted_at) is distinct from (excluded.team_id, excluded.score, excluded.submitted_at)
    returning xmax = 0 as inserted`)
  return counts(written)
}

export interface DeploymentRow {
  id: string
  service?: string
  repository?: string
  team?: string
  environment: string
  status: string
  startedAt: string
  finishedAt?: string
  commitSha?: string
  ref?: string
  isRollback: boolean
  isHotfix: boolean
}

/**
 * Deployments from a file; the team is the given one, else the service's owner, else the repository's team; the
 * repository is the given one, else the service's (the catalog's link), so a deployment naming a service is linked
 * by commit too.
 * Returns the ids of every row of the file, written or unchanged (for linking what names them).
 */
export async function importDeployments(
  db: Db,
  rows: DeploymentRow[],
  { productionEnvironments }: { productionEnvironments: string[] },
): Promise<WriteCounts & { ids: number[] }> {
  const written = await db.execute<{ inserted: boolean }>(sql`
    insert into deployments (source, external_id, service_id, repository_id, team_id, environment, is_production, status, started_at, finished_at, commit_sha, ref, is_rollback, is_hotfix)
    select 'csv', r.id, s.id, coalesce(g.id, s.repository_id), coalesce(t.id, s.owner_team_id, g.team_id), r.environment, r.environment = any(${sql.param(productionEnvironments)}::text[]),
      r.status::deployment_status, r."startedAt"::timestamptz, r."finishedAt"::timestamptz, r."commitSha", r.ref, r."isRollback", r."isHotfix"
    from jsonb_to_recordset(${json(rows)}) as r(id text, service text, repository text, team text, environment text, status text, "startedAt" text, "finishedAt" text, "commitSha" text, ref text, "isRollback" boolean, "isHotfix" boolean)
    left join services s on s.entity_ref = r.service
    left join repositories g on g.full_name = r.repository
    left join teams t on t.slug = r.team
    on conflict (source, external_id) do update set service_id = excluded.service_id, repository_id = excluded.repository_id, team_id = excluded.team_id, environment = excluded.environment,
      is_production = excluded.is_production, status = excluded.status, started_at = excluded.started_at, finished_at = excluded.finished_at, commit_sha = excluded.commit_sha, ref = excluded.ref,
      is_rollback = excluded.is_rollback, is_hotfix = excluded.is_hotfix
      where (deployments.service_id, deployments.repository_id, deployments.team_id, deployments.environment, deployments.is_production, deployments.status, deployments.started_at, deployments.finished_at,
        deployments.commit_sha, deployments.ref, deployments.is_rollback, deployments.is_hotfix)
        is distinct from (excluded.service_id, excluded.repository_id, excluded.team_id, excluded.environment, excluded.is_production, excluded.status, excluded.started_at, excluded.finished_at,
        excluded.commit_sha, excluded.ref, excluded.is_rollback, excluded.is_hotfix)
    returning xmax = 0 as inserted`)
  // an unchanged row is not returned above: the ids are looked up by key
  const ids = await db.execute<{ id: number }>(
    sql`select id::int from deployments where source = 'csv' and external_id = any(${sql.param(rows.map((row) => row.id))}::text[])`,
  )
  return { ...counts(written), ids: ids.map((row) => row.id) }
}

export interface IncidentRow {
  id: string
  service?: string
  team?: string
  title: string
  priority?: string
  status: string
  openedAt: string
  acknowledgedAt?: string
  resolvedAt?: string
  causedByDeployment?: string
  url?: string
}

export async function importIncidents(db: Db, rows: IncidentRow[]): Promise<WriteCounts> {
  const written = await db.execute<{ inserted: boolean }>(sql`
    insert into incidents (source, external_id, service_id, team_id, title, priority, status, opened_at, acknowledged_at, resolved_at, deployment_ref, url)
    select 'csv', r.id, s.id, coalesce(t.id, s.owner_team_id), r.title, r.priority::incident_priority, r.status::incident_status, r."openedAt"::timestamptz,
      r."acknowledgedAt"::timestamptz, r."resolvedAt"::timestamptz, r."causedByDeployment", r.url
    from jsonb_to_recordset(${json(rows)}) as r(id text, service text, team text, title text, priority text, status text, "openedAt" text, "acknowledgedAt" text, "resolvedAt" text, "causedByDeployment" text, url text)
    left join services s on s.entity_ref = r.service
    left join teams t on t.slug = r.team
    on conflict (source, external_id) do update set service_id = excluded.service_id, team_id = excluded.team_id, title = excluded.title, priority = excluded.priority, status = excluded.status,
      opened_at = excluded.opened_at, acknowledged_at = excluded.acknowledged_at, resolved_at = excluded.resolved_at, deployment_ref = excluded.deployment_ref, url = excluded.url
      where (incidents.service_id, incidents.team_id, incidents.title, incidents.priority, incidents.status, incidents.opened_at, incidents.acknowledged_at, incidents.resolved_at, incidents.deployment_ref, incidents.url)
        is distinct from (excluded.service_id, excluded.team_id, excluded.title, excluded.priority, excluded.status, excluded.opened_at, excluded.acknowledged_at, excluded.resolved_at, excluded.deployment_ref, excluded.url)
    returning xmax = 0 as inserted`)
  return counts(written)
}

export interface PullRequestRow {
  /** The pull request's number in its repository (GitLab's iid, Bitbucket's id, Azure DevOps' pullRequestId). */
  id: number
  /** owner/name */
  repository: string
  title?: string
  /** A login or an e-mail address. */
  author?: string
  state: 'open' | 'closed' | 'merged'
  openedAt: string
  firstCommitAt?: string
  firstReviewAt?: string
  approvedAt?: string
  mergedAt?: string
  closedAt?: string
  mergeCommitSha?: string
  headSha?: string
  additions?: number
  deletions?: number
}

/**
 * Pull requests from any SCM's export, by repository and number: one Upshot already has (a GitHub sync made
 * it, or an earlier import) is updated, a new one is stored under provider csv as `csv:<owner/name>#<id>`. The
 * author is the person with that login (in any case), else with that e-mail; the team is the author's team on the day it
 * was opened (team_memberships, as the GitHub collector attributes it), else the repository's. Returns the
 * ids of the repositories written (their deployments are linked again by commit SHA).
 */
export async function importPullRequests(
  db: Db,
  rows: PullRequestRow[],
): Promise<WriteCounts & { repositoryIds: number[] }> {
  const written = await db.execute<{ inserted: boolean }>(sql`
    insert into pull_requests (provider, external_id, repository_id, number, title, author_login, author_person_id, team_id, state, first_commit_at, opened_at,
      first_review_at, approved_at, merged_at, closed_at, additions, deletions, merge_commit_sha, head_sha)
    select 'csv', 'csv:' || r.repository || '#' || r.id, g.id, r.id, coalesce(r.title, ''), coalesce(a.login, r.author), a.id,
      coalesce((select m.team_id from team_memberships m
        where m.person_id = a.id and m.valid_from <= left(r."openedAt", 10)::date and (m.valid_to is null or m.valid_to > left(r."openedAt", 10)::date)
        order by m.valid_from desc limit 1), g.team_id),
      r.state::pull_request_state, r."firstCommitAt"::timestamptz, r."openedAt"::timestamptz, r."firstReviewAt"::timestamptz, r."approvedAt"::timestamptz,
      r."mergedAt"::timestamptz, r."closedAt"::timestamptz, coalesce(r.additions, 0), coalesce(r.deletions, 0), r."mergeCommitSha", r."headSha"
    from jsonb_to_recordset(${json(rows)}) as r(id int, repository text, title text, author text, state text, "openedAt" text, "firstCommitAt" text, "firstReviewAt" text,
      "approvedAt" text, "mergedAt" text, "closedAt" text, "mergeCommitSha" text, "headSha" text, additions int, deletions int)
    join lateral (select id, team_id from repositories where full_name = r.repository order by id limit 1) g on true
    left join lateral (
      select p.id, p.login from people p
      where lower(p.login) = lower(r.author) or lower(p.email) = lower(r.author)
      order by (p.login = r.author) desc, (lower(p.login) = lower(r.author)) desc, p.id limit 1
    ) a on true
    on conflict (repository_id, number) do update set title = excluded.title, author_login = excluded.author_login, author_person_id = excluded.author_person_id,
      team_id = excluded.team_id, state = excluded.state, first_commit_at = excluded.first_commit_at, opened_at = excluded.opened_at, first_review_at = excluded.first_review_at,
      approved_at = excluded.approved_at, merged_at = excluded.merged_at, closed_at = excluded.closed_at, additions = excluded.additions, deletions = excluded.deletions,
      merge_commit_sha = excluded.merge_commit_sha, head_sha = excluded.head_sha
      where (pull_requests.title, pull_requests.author_login, pull_requests.author_person_id, pull_requests.team_id, pull_requests.state, pull_requests.first_commit_at,
        pull_requests.opened_at, pull_requests.first_review_at, pull_requests.approved_at, pull_requests.merged_at, pull_requests.closed_at, pull_requests.additions,
        pull_requests.deletions, pull_requests.merge_commit_sha, pull_requests.head_sha)
        is distinct from (excluded.title, excluded.author_login, excluded.author_person_id, excluded.team_id, excluded.state, excluded.first_commit_at, excluded.opened_at,
        excluded.first_review_at, excluded.approved_at, excluded.merged_at, excluded.closed_at, excluded.additions, excluded.deletions, excluded.merge_commit_sha, excluded.head_sha)
    returning xmax = 0 as inserted`)
  const repositories = await db.execute<{ id: number }>(
    sql`select distinct id::int from repositories where full_name = any(${sql.param([...new Set(rows.map((row) => row.repository))])}::text[])`,
  )
  return { ...counts(written), repositoryIds: repositories.map((row) => row.id) }
}

export interface ServiceRow {
  /** Catalog entity ref, e.g. component:default/payments-api. */
  service: string
  name?: string
  team: string
  origin: 'template' | 'manual'
  template?: string
  requestedAt?: string
  liveAt: string
}

/**
 * Services and when each was asked for and went live, for the scaffolding comparison (request → live, template
 * vs by hand; lib/metrics/adoption.ts serviceCreation): live_at is the service's created_at, as a template run's
 * finish is for a service the scaffolder made. Keyed by entity ref, as the catalog sync keys them, so a later
 * sync updates the same row (and never moves its dates).
 */
export async function importServices(db: Db, rows: ServiceRow[]): Promise<WriteCounts> {
  const written = await db.execute<{ inserted: boolean }>(sql`
    insert into services (entity_ref, name, source, owner_team_id, origin, template_ref, requested_at, created_at)
    select r.service, coalesce(r.name, split_part(r.service, '/', 2)), 'csv', t.id, r.origin::service_origin, r.template, r."requestedAt"::timestamptz, r."liveAt"::timestamptz
    from jsonb_to_recordset(${json(rows)}) as r(service text, name text, team text, origin text, template text, "requestedAt" text, "liveAt" text)
    join teams t on t.slug = r.team
    on conflict (entity_ref) do update set name = excluded.name, owner_team_id = excluded.owner_team_id, origin = excluded.origin, template_ref = excluded.template_ref,
      requested_at = excluded.requested_at, created_at = excluded.created_at
      where (services.name, services.owner_team_id, services.origin, services.template_ref, services.requested_at, services.created_at)
        is distinct from (excluded.name, excluded.owner_team_id, excluded.origin, excluded.template_ref, excluded.requested_at, excluded.created_at)
    returning xmax = 0 as inserted`)
  return counts(written)
}
