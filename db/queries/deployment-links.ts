// What a deployment shipped, from the upstream's own answer: the pull requests between it and the deployment
// before it (GitHub's compare, collectors/github/link.ts) or those it names (GitLab's merge requests), and
// pull requests that arrive after their deployment was linked. Deployments without a commit range are linked
// by commit SHA instead (commit-links.ts).
import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import type { DeploymentSource } from '@/lib/domain'
import { linkDeploymentsByCommit, SHA_LINKED_SOURCES } from './commit-links'

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
