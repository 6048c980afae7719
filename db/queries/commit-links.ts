// What the deployments without a commit range (a CSV file) shipped, worked out by commit SHA: the rule on rows
// (shippedByCommit, pure) and the write of its links (linkDeploymentsByCommit).
import { sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import type { DeploymentSource } from '@/lib/domain'

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
