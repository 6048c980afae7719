// Writes of delivery facts by the collectors: pull requests, deployments and what each shipped, incidents
// and the deployments that caused them. Every write is an upsert on the upstream's stable id.
import { sql, type SQL } from 'drizzle-orm'
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
import type { DeploymentSource } from '@/lib/domain'
import { at } from './dora'
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

export interface UnlinkedDeployment {
  id: number
  /** The upstream's id of the deployment. */
  externalId: string
  /** What to compare: the commit, else the ref (a release's tag). */
  head: string
  finishedAt: Date
  /** The successful production deployment of the repository before it, if any. */
  previous: { id: number; head: string } | null
  /** An earlier deployment (not the one just before) shipped this very commit: deploying it again undoes what came after. */
  redeploysEarlier: boolean
}

/**
 * Successful production deployments of a repository whose shipped pull requests are not yet worked out, in
 * the order they finished, each with the deployment before it.
 */
export async function listUnlinkedDeployments(
  db: Db,
  repositoryId: number,
  /** Only these sources' deployments (a collector links its own); never those linked by commit SHA. */
  { sources }: { sources?: readonly DeploymentSource[] } = {},
): Promise<UnlinkedDeployment[]> {
  const rows = await db.execute<{
    id: number
    external_id: string
    head: string
    finished_at: string
    previous_id: number | null
    previous_head: string | null
    redeploys_earlier: boolean
  }>(sql`
    select d.id::int, d.external_id, coalesce(d.commit_sha, d.ref) as head, d.finished_at, p.id::int as previous_id, p.head as previous_head,
      exists (
        select 1 from deployments e
        where e.repository_id = d.repository_id and e.is_production and e.status = 'success' and e.finished_at < d.finished_at
          and e.id is distinct from p.id and e.commit_sha = d.commit_sha and p.head is distinct from d.commit_sha
      ) as redeploys_earlier
    from deployments d
    left join lateral (
      select e.id, coalesce(e.commit_sha, e.ref) as head from deployments e
      where e.repository_id = d.repository_id and e.is_production and e.status = 'success' and e.finished_at < d.finished_at
        and coalesce(e.commit_sha, e.ref) is not null
      order by e.finished_at desc, e.id desc limit 1
    ) p on true
    where d.repository_id = ${repositoryId} and d.is_production and d.status = 'success' and not d.changes_linked
      and d.source::text <> all(${sql.param([...SHA_LINKED_SOURCES])}::text[])
      and (${sources === undefined} or d.source::text = any(${sql.param([...(sources ?? [])])}::text[]))
      and d.finished_at is not null and coalesce(d.commit_sha, d.ref) is not null
    order by d.finished_at, d.id`)
  return rows.map((row) => ({
    id: row.id,
    externalId: row.external_id,
    head: row.head,
    finishedAt: new Date(row.finished_at),
    previous:
      row.previous_id === null || row.previous_head === null ? null : { id: row.previous_id, head: row.previous_head },
    redeploysEarlier: row.redeploys_earlier,
  }))
}

/**
 * Records what a deployment shipped: the repository's merged pull requests whose merge commits are among
 * `commits` (replacing any earlier answer), and whether it was a rollback. The weeks this changes are queued
 * by the facts' triggers (migration 0011).
 */
export async function linkDeploymentChanges(
  db: Db,
  {
    deploymentId,
    repositoryId,
    commits,
    rollback,
  }: { deploymentId: number; repositoryId: number; commits: string[]; rollback: boolean },
): Promise<void> {
  await db.execute(sql`delete from deployment_pull_requests where deployment_id = ${deploymentId}`)
  await db.execute(sql`
    insert into deployment_pull_requests (deployment_id, pull_request_id)
    select ${deploymentId}, id from pull_requests
    where repository_id = ${repositoryId} and merged_at is not null and merge_commit_sha = any(${sql.param(commits)}::text[])
    on conflict do nothing`)
  await db.execute(
    sql`update deployments set changes_linked = true, is_rollback = is_rollback or ${rollback} where id = ${deploymentId}`,
  )
}

/**
 * Records what a deployment shipped when the upstream names its pull requests itself (GitLab's merge requests
 * of a deployment): those of the repository stored under `provider` with these upstream ids (replacing any
 * earlier answer), and whether it was a rollback. Pull requests not stored yet are not linked here; a later
 * one is linked by its merge commit (linkLatePullRequests).
 */
export async function linkDeploymentPullRequests(
  db: Db,
  {
    deploymentId,
    repositoryId,
    provider,
    externalIds,
    rollback,
  }: { deploymentId: number; repositoryId: number; provider: string; externalIds: string[]; rollback: boolean },
): Promise<void> {
  await db.execute(sql`delete from deployment_pull_requests where deployment_id = ${deploymentId}`)
  await db.execute(sql`
    insert into deployment_pull_requests (deployment_id, pull_request_id)
    select ${deploymentId}, id from pull_requests
    where repository_id = ${repositoryId} and provider = ${provider} and merged_at is not null
      and external_id = any(${sql.param(externalIds)}::text[])
    on conflict do nothing`)
  await db.execute(
    sql`update deployments set changes_linked = true, is_rollback = is_rollback or ${rollback} where id = ${deploymentId}`,
  )
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

/**
 * Links incidents to the deployment that caused them: to the one the upstream names (`deployment_ref`, a
 * commit SHA or an upstream deployment id) when there is one; else, by rule, to the last successful
 * production deployment of the incident's service that finished within `withinHours` before it opened.
 * Demo rows keep the links they were generated with. The weeks a changed link moves are queued by the
 * incidents' triggers (migration 0011).
 */
export function linkIncidents(
  db: Db,
  { withinHours, since }: { withinHours: number | null; since?: Date },
): Promise<void> {
  return relinkIncidents(db, { withinHours, which: sql`i.opened_at >= ${at(since ?? new Date(0))}` })
}

/**
 * Links, as linkIncidents does, the incidents that these just-written deployments may have caused: those
 * naming one of them (by upstream id or commit SHA), those the rule would give one of them (an incident
 * imported before the deployment that caused it), and those linked to one of them now (whose deployment
 * may have changed). Call it in the deployments' transaction, with the same `withinHours` as linkIncidents
 * (null: the rule is off, and links made by it are undone).
 */
export function linkPendingIncidents(
  db: Db,
  { deploymentIds, withinHours }: { deploymentIds: number[]; withinHours: number | null },
): Promise<void> {
  if (deploymentIds.length === 0) return Promise.resolve()
  const ids = sql`${sql.param(deploymentIds)}::bigint[]`
  return relinkIncidents(db, {
    withinHours,
    which: sql`(i.caused_by_deployment_id = any(${ids}) or exists (
      select 1 from deployments d
      where d.id = any(${ids}) and case
        when i.deployment_ref is not null then ${namedBy(sql`d`, sql`i`)}
        else ${withinHours}::float8 is not null and ${ruleMatches(sql`d`, sql`i`, withinHours)}
      end))`,
  })
}

/** Of these incidents, how many name a deployment (deployment_ref) that is not known yet. */
export async function countIncidentsAwaitingDeployment(
  db: Db,
  { source, externalIds }: { source: NewIncident['source']; externalIds: string[] },
): Promise<number> {
  if (externalIds.length === 0) return 0
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from incidents
    where source = ${source} and external_id = any(${sql.param(externalIds)}::text[]) and deployment_ref is not null and caused_by_deployment_id is null`)
  return row?.n ?? 0
}

/** `deployment` is the one `incident` names: by upstream id, by commit SHA, or by a SHA's first 7 or more characters. */
const namedBy = (deployment: SQL, incident: SQL) =>
  sql`(${deployment}.external_id = ${incident}.deployment_ref or ${deployment}.commit_sha = ${incident}.deployment_ref
    or (length(${incident}.deployment_ref) >= 7 and ${deployment}.commit_sha like ${incident}.deployment_ref || '%'))`

/** `deployment` is one the rule may blame for `incident`: its service's, successful in production, finished within `withinHours` before it opened. */
const ruleMatches = (deployment: SQL, incident: SQL, withinHours: number | null) =>
  sql`(${deployment}.service_id = ${incident}.service_id and ${deployment}.is_production and ${deployment}.status = 'success'
    and ${deployment}.finished_at <= ${incident}.opened_at and ${deployment}.finished_at > ${incident}.opened_at - make_interval(secs => ${withinHours}::float8 * 3600))`

/** Recomputes the link of the incidents `which` selects (a condition on `i`); one definition for both linkers. */
async function relinkIncidents(
  db: Db,
  { withinHours, which }: { withinHours: number | null; which: SQL },
): Promise<void> {
  await db.execute(sql`
    with candidates as (
      select i.id, i.caused_by_deployment_id as old_id,
        case
          when i.deployment_ref is not null then (
            select d.id from deployments d
            where ${namedBy(sql`d`, sql`i`)}
            order by d.is_production desc, (d.status = 'success') desc, d.finished_at desc nulls last limit 1)
          when ${withinHours}::float8 is not null and i.service_id is not null then (
            select d.id from deployments d
            where ${ruleMatches(sql`d`, sql`i`, withinHours)}
            order by d.finished_at desc, d.id desc limit 1)
        end as new_id
      from incidents i
      where i.source <> 'demo' and ${which}
    )
    update incidents i set caused_by_deployment_id = c.new_id
    from candidates c
    where i.id = c.id and c.new_id is distinct from c.old_id`)
}

/**
 * Pull requests that arrived after the deployment that shipped them was linked (linkDeploymentChanges):
 * each merged one not yet linked to any deployment is linked to the first successful production deployment of
 * its repository that deployed its very merge commit, was linked by then, was no rollback and followed a
 * deployment of another commit — the deployment GitHub's compare would have given it had it been stored in
 * time. (One whose merge commit lies inside a deployment's range, not at its head, cannot be found without
 * that range: it stays unlinked.) Deployments from a file (SHA_LINKED_SOURCES) in the pull requests' repositories
 * are worked out again by commit (linkDeploymentsByCommit), so a sync or a webhook after the file links them as
 * an import after the sync would. Returns how many pull requests it linked to the collectors' deployments.
 */
export async function linkLatePullRequests(db: Db, { pullRequestIds }: { pullRequestIds: number[] }): Promise<number> {
  if (pullRequestIds.length === 0) return 0
  const [linked] = await db.execute<{ n: number }>(sql`
    with found as (
      select distinct on (p.id) p.id as pull_request_id, d.id as deployment_id
      from pull_requests p
      join deployments d on d.repository_id = p.repository_id
        and (d.commit_sha = p.merge_commit_sha or (length(d.commit_sha) between 7 and 39 and p.merge_commit_sha like d.commit_sha || '%'))
      where p.id = any(${sql.param(pullRequestIds)}::bigint[]) and p.merged_at is not null
        and not exists (select 1 from deployment_pull_requests dp where dp.pull_request_id = p.id)
        and d.is_production and d.status = 'success' and d.finished_at is not null and d.changes_linked and not d.is_rollback
        and d.source::text <> all(${sql.param([...SHA_LINKED_SOURCES])}::text[])
        -- as listUnlinkedDeployments: compared with the deployment before it, which must have had another head
        and (
          select coalesce(e.commit_sha, e.ref) from deployments e
          where e.repository_id = d.repository_id and e.is_production and e.status = 'success' and e.finished_at < d.finished_at
            and coalesce(e.commit_sha, e.ref) is not null
          order by e.finished_at desc, e.id desc limit 1
        ) is distinct from coalesce(d.commit_sha, d.ref)
        and exists (
          select 1 from deployments e
          where e.repository_id = d.repository_id and e.is_production and e.status = 'success' and e.finished_at < d.finished_at
            and coalesce(e.commit_sha, e.ref) is not null)
      order by p.id, d.finished_at, d.id
    ),
    inserted as (
      insert into deployment_pull_requests (deployment_id, pull_request_id)
      select deployment_id, pull_request_id from found
      on conflict do nothing
      returning pull_request_id
    )
    select count(*)::int as n from inserted`)
  // deployments from a file in these repositories: their links follow from the pull requests too, whichever came first
  const repositories = await db.execute<{ id: number }>(
    sql`select distinct repository_id::int as id from pull_requests where id = any(${sql.param(pullRequestIds)}::bigint[])`,
  )
  await linkDeploymentsByCommit(db, { repositoryIds: repositories.map((row) => row.id) })
  return linked?.n ?? 0
}

/** Deployment sources that carry no commit range: what they shipped is worked out by commit SHA (linkDeploymentsByCommit). */
export const SHA_LINKED_SOURCES: readonly DeploymentSource[] = ['csv']

/** The repositories these deployments (by source and upstream id) are in now, before a write may move them. */
export async function listDeploymentRepositories(
  db: Db,
  { source, externalIds }: { source: DeploymentSource; externalIds: string[] },
): Promise<number[]> {
  if (externalIds.length === 0) return []
  const rows = await db.execute<{ id: number }>(sql`
    select distinct repository_id::int as id from deployments
    where source = ${source} and external_id = any(${sql.param(externalIds)}::text[]) and repository_id is not null`)
  return rows.map((row) => row.id)
}

/** A deployment of a source without a commit range, as linkDeploymentsByCommit reads it. */
export interface CommitDeployment {
  id: number
  repositoryId: number
  externalId: string
  /** Seconds since the epoch (with microseconds); null when not finished. */
  finishedAt: number | null
  commitSha: string | null
  /** Successful, in production, finished, with a commit: it may ship something. */
  ships: boolean
}

/** A merged pull request and the commits that name it. */
export interface MergedPullRequest {
  id: number
  repositoryId: number
  externalId: string
  /** Seconds since the epoch (with microseconds). */
  mergedAt: number
  mergeCommitSha: string | null
  headSha: string | null
}

/** `a` and `b` name the same commit: one begins with the other, both of 7 or more characters (as namedBy matches a prefix). */
const sameCommit = (a: string, b: string) => a.length >= 7 && b.length >= 7 && (a.startsWith(b) || b.startsWith(a))

/**
 * The rule of linkDeploymentsByCommit, on rows (pure: the same rows in any order give the same links). Returns
 * [deployment id, pull request id] pairs.
 */
export function shippedByCommit(
  deployments: readonly CommitDeployment[],
  pullRequests: readonly MergedPullRequest[],
): [number, number][] {
  const byFirst7 = new Map<string, { sha: string; pr: MergedPullRequest }[]>()
  const merged = new Map<number, MergedPullRequest[]>()
  for (const pr of pullRequests) {
    const ofRepository = merged.get(pr.repositoryId) ?? []
    ofRepository.push(pr)
    merged.set(pr.repositoryId, ofRepository)
    for (const sha of new Set([pr.mergeCommitSha, pr.headSha])) {
      if (!sha || sha.length < 7) continue
      const key = `${pr.repositoryId}|${sha.slice(0, 7)}`
      const named = byFirst7.get(key) ?? []
      named.push({ sha, pr })
      byFirst7.set(key, named)
    }
  }
  // merge order, ties by the upstream id (never the surrogate one, which depends on the order of writes)
  const order = (a: MergedPullRequest, b: MergedPullRequest) =>
    a.mergedAt - b.mergedAt || (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0)
  const position = new Map<number, number>()
  for (const list of merged.values()) {
    list.sort(order)
    list.forEach((pr, index) => position.set(pr.id, index))
  }
  const shipping = deployments
    .filter((d) => d.ships && d.commitSha !== null && d.finishedAt !== null)
    .sort(
      (a, b) =>
        a.repositoryId - b.repositoryId ||
        (a.finishedAt as number) - (b.finishedAt as number) ||
        (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0),
    )
  const links: [number, number][] = []
  // per repository, the position (in merge order) of the last pull request a deployment was matched to
  const shippedUntil = new Map<number, number>()
  for (const deployment of shipping) {
    const sha = deployment.commitSha as string
    // a pull request merged after the deployment finished cannot be what it shipped (a deploy from its branch)
    const match = (byFirst7.get(`${deployment.repositoryId}|${sha.slice(0, 7)}`) ?? [])
      .filter(
        (candidate) => sameCommit(sha, candidate.sha) && candidate.pr.mergedAt <= (deployment.finishedAt as number),
      )
      .map((candidate) => candidate.pr)
      .sort(order)
      .at(-1)
    if (!match) continue
    const matched = position.get(match.id) as number
    const until = shippedUntil.get(deployment.repositoryId)
    if (until === undefined) links.push([deployment.id, match.id])
    else if (matched > until)
      for (const pr of (merged.get(deployment.repositoryId) ?? []).slice(until + 1, matched + 1))
        links.push([deployment.id, pr.id])
    shippedUntil.set(deployment.repositoryId, Math.max(until ?? matched, matched))
  }
  return links
}

/**
 * What the deployments without a commit range (SHA_LINKED_SOURCES: a CSV file) shipped, worked out again from
 * scratch for the given repositories, by commit SHA (docs/metrics.md, "Lead time by commit SHA"). In the
 * order they finished, a successful production deployment of commit X is matched to the merged pull request
 * of its repository whose merge commit or head is X (the one merged last, if several), and ships:
 * - the first such deployment of a repository: that pull request only (with no deployment before it, what
 *   else it carried cannot be told);
 * - a later one: every merged pull request of the repository merged after the last pull request an earlier
 *   deployment was matched to, up to and including its own (merge order stands in for the commit graph);
 * - one whose pull request merged no later than that: nothing new (a redeploy or a rollback);
 * - one matching no pull request: nothing, for now (the pull request may arrive later).
 * The answer depends on the facts alone, never on the order they were imported in: call it in the
 * transaction of every write of these deployments or of pull requests of these repositories. Only links
 * that change are written, so the weeks they move are queued by the facts' triggers (migration 0011); the
 * deployments are marked changes_linked, so GitHub's compare (collectors/github/link.ts) leaves them alone.
 */
export async function linkDeploymentsByCommit(
  db: Db,
  {
    repositoryIds = [],
    deploymentIds = [],
    sources = SHA_LINKED_SOURCES,
  }: {
    repositoryIds?: number[]
    /** Their repositories are worked out again. */
    deploymentIds?: number[]
    sources?: readonly DeploymentSource[]
  },
): Promise<void> {
  const ofDeployments =
    deploymentIds.length === 0
      ? []
      : await db.execute<{ id: number }>(
          sql`select distinct repository_id::int as id from deployments where id = any(${sql.param(deploymentIds)}::bigint[]) and repository_id is not null`,
        )
  const ids = [...new Set([...repositoryIds, ...ofDeployments.map((row) => row.id)])]
  if (ids.length === 0) return
  const repositories = sql`${sql.param(ids)}::bigint[]`
  const kinds = sql`${sql.param([...sources])}::text[]`
  // the rule runs on the rows (shippedByCommit), not in one statement: a planner that has not seen the rows
  // this very transaction wrote joins every deployment with every pull request (measured: seconds for 2,500 × 5,000)
  const deployments = await db.execute<{
    id: number
    repository_id: number
    external_id: string
    finished_at: number | null
    commit_sha: string | null
    ships: boolean
  }>(sql`
    select id::int, repository_id::int, external_id, extract(epoch from finished_at)::float8 as finished_at, commit_sha,
      coalesce(is_production and status = 'success' and finished_at is not null and commit_sha is not null, false) as ships
    from deployments where repository_id = any(${repositories}) and source::text = any(${kinds})`)
  // no such deployment in these repositories: no link of theirs to work out (a sync's page of pull requests, mostly)
  if (deployments.length === 0) return
  const pullRequests = await db.execute<{
    id: number
    repository_id: number
    external_id: string
    merged_at: number
    merge_commit_sha: string | null
    head_sha: string | null
  }>(sql`
    select id::int, repository_id::int, external_id, extract(epoch from merged_at)::float8 as merged_at, merge_commit_sha, head_sha
    from pull_requests where repository_id = any(${repositories}) and merged_at is not null`)
  const links = shippedByCommit(
    deployments.map((row) => ({
      id: row.id,
      repositoryId: row.repository_id,
      externalId: row.external_id,
      finishedAt: row.finished_at === null ? null : Number(row.finished_at),
      commitSha: row.commit_sha,
      ships: row.ships,
    })),
    pullRequests.map((row) => ({
      id: row.id,
      repositoryId: row.repository_id,
      externalId: row.external_id,
      mergedAt: Number(row.merged_at),
      mergeCommitSha: row.merge_commit_sha,
      headSha: row.head_sha,
    })),
  )
  const all = sql`${sql.param(deployments.map((row) => row.id))}::bigint[]`
  const wanted = sql`unnest(${sql.param(links.map(([d]) => d))}::bigint[], ${sql.param(links.map(([, p]) => p))}::bigint[]) as w(deployment_id, pull_request_id)`
  // only links that change are written: the triggers queue the weeks of those alone
  await db.execute(sql`
    delete from deployment_pull_requests dp
    where dp.deployment_id = any(${all})
      and not exists (select 1 from ${wanted} where w.deployment_id = dp.deployment_id and w.pull_request_id = dp.pull_request_id)`)
  if (links.length > 0)
    await db.execute(
      sql`insert into deployment_pull_requests (deployment_id, pull_request_id) select deployment_id, pull_request_id from ${wanted} on conflict do nothing`,
    )
  const shipping = deployments.filter((row) => row.ships).map((row) => row.id)
  if (shipping.length > 0)
    await db.execute(
      sql`update deployments set changes_linked = true where id = any(${sql.param(shipping)}::bigint[]) and not changes_linked`,
    )
}
