// The last phase of a repository's pass: what each new successful production deployment shipped.
import type { Db } from '@/db/client'
import { linkDeploymentChanges, listUnlinkedDeployments } from '@/db/queries/deployment-links'
import type { RunContext } from '@/collectors/sync-run'
import { compareSchema } from './api-types'
import { GitHubError, REST_PAGE, requireOk, splitRepositoryName, type GitHubClient } from './client'

/** A deployment shipping more commits than this many pages is linked to the pull requests of its first ones. */
const MAX_COMPARE_PAGES = 10

/**
 * What each new successful production deployment shipped: the commits between the deployment before it and
 * this one (GitHub's compare), matched to merged pull requests by merge commit. A deployment of a commit
 * behind the one before, or of a commit an earlier deployment shipped, is a rollback and ships nothing new.
 */
export async function linkPage(
  context: RunContext,
  client: GitHubClient,
  cursor: { repositoryId: number; fullName: string },
) {
  const { owner, repo } = splitRepositoryName(cursor.fullName)
  const unlinked = await listUnlinkedDeployments(context.db, cursor.repositoryId)
  const links: { deploymentId: number; commits: string[]; rollback: boolean }[] = []
  for (const deployment of unlinked.slice(0, REST_PAGE)) {
    if (!deployment.previous || deployment.previous.head === deployment.head) {
      links.push({ deploymentId: deployment.id, commits: [], rollback: false })
      continue
    }
    const commits: string[] = []
    let status = 'ahead'
    try {
      for (let page = 1; page <= MAX_COMPARE_PAGES; page++) {
        const result = requireOk(
          await client.rest(
            'GET /repos/{owner}/{repo}/compare/{basehead}',
            { owner, repo, basehead: `${deployment.previous.head}...${deployment.head}`, per_page: REST_PAGE, page },
            compareSchema,
          ),
          'compare',
        )
        status = result.status
        commits.push(...result.commits.map((commit) => commit.sha))
        if (result.commits.length < REST_PAGE || commits.length >= result.total_commits) break
      }
    } catch (error) {
      // A commit that no longer exists (force-pushed away, a deleted tag): 404 or 422, now and on every later
      // run. Link the deployment to nothing, say so, and go on: retrying would stop this repository for good.
      if (!(error instanceof GitHubError) || (error.status !== 404 && error.status !== 422)) throw error
      context.fail(`${cursor.fullName} deployment of ${deployment.head.slice(0, 12)}`, error)
      links.push({ deploymentId: deployment.id, commits: [], rollback: false })
      continue
    }
    const rollback = status === 'behind' || deployment.redeploysEarlier
    links.push({ deploymentId: deployment.id, commits: rollback ? [] : commits, rollback })
  }
  return {
    items: links.length,
    next: unlinked.length > REST_PAGE ? 'more' : null,
    async write(tx: Db) {
      for (const link of links) {
        await linkDeploymentChanges(tx, {
          deploymentId: link.deploymentId,
          repositoryId: cursor.repositoryId,
          commits: link.commits,
          rollback: link.rollback,
        })
      }
      if (links.length) context.counts.updated += links.length
    },
  }
}
