// One page of one phase of a project's pass: merge requests (with their commits and notes), deployments,
// incident issues, then what each new deployment shipped. Each is fetched first and written later, in the
// transaction that also saves the cursor after it.
import type { Db } from '@/db/client'
import { upsertDeployments, upsertIncidents, upsertPullRequests } from '@/db/queries/delivery'
import {
  linkDeploymentPullRequests,
  linkLatePullRequests,
  listUnlinkedDeployments,
} from '@/db/queries/deployment-links'
import { linkPendingIncidents } from '@/db/queries/incident-links'
import { ensurePeople, teamOn, type Attribution } from '@/db/queries/organisation'
import { toIsoDate } from '@/lib/dates'
import { keepPlausible } from '@/collectors/plausible'
import type { RunContext } from '@/collectors/sync-run'
import type { GitLabCommit, GitLabMergeRequest, GitLabNote, GitLabProject } from './api-types'
import { PER_PAGE, type GitLabClient, type Page, type UpdatedWindow } from './client'
import type { Phase, ProjectCursor } from './cursor'
import { isPerson, mapDeployment, mapIncident, mapMergeRequest } from './mapper'
import type { GitLabCollectorOptions } from './options'

export interface WriteContext {
  project: GitLabProject
  repositoryId: number
  repoTeamId: number | null
  serviceId: number | null
  teamId: number | null
  attribution: Attribution
}

interface FetchedPage {
  items: number
  /** Where the next page of this phase starts; null when the phase is done. */
  next: { after: string | null; page: number } | null
  write(tx: Db): Promise<void>
}

/**
 * Where a listing ordered by updated_at goes on: from the last item's updated_at, page 1 (items of that very
 * instant are read again, harmlessly); when every item shared the instant asked from, its next page number.
 */
function nextAfter<T extends { updated_at: string }>(
  page: Page<T>,
  cursor: { after: string | null; page: number },
): FetchedPage['next'] {
  if (page.next === null) return null
  const last = page.items.at(-1)?.updated_at ?? null
  if (last === null) return null
  const progressed = cursor.after === null || Date.parse(last) > Date.parse(cursor.after)
  return progressed ? { after: last, page: 1 } : { after: cursor.after, page: page.next }
}

export async function fetchPage(
  context: RunContext,
  client: GitLabClient,
  options: GitLabCollectorOptions,
  write: WriteContext,
  phase: Phase,
  cursor: ProjectCursor,
): Promise<FetchedPage> {
  const projectId = write.project.id
  const window: UpdatedWindow = { after: cursor.after, before: cursor.passStart }
  const label = write.project.path_with_namespace
  if (phase === 'merge_requests') {
    const page = await client.mergeRequests(projectId, window, cursor.page)
    const details: { mr: GitLabMergeRequest; commits: GitLabCommit[]; notes: GitLabNote[] }[] = []
    for (const mr of page.items)
      details.push({
        mr,
        commits: await client.commits(projectId, mr.iid),
        notes: await client.notes(projectId, mr.iid),
      })
    return {
      items: page.items.length,
      next: nextAfter(page, cursor),
      async write(tx) {
        const { attribution } = write
        const ids = await ensurePeople(
          tx,
          page.items.flatMap((mr) => (mr.author && isPerson(mr.author) ? [mr.author.username] : [])),
        )
        for (const [login, id] of ids) attribution.personIds.set(login, id)
        const mapped = details.map(({ mr, commits, notes }) =>
          mapMergeRequest(mr, {
            repositoryId: write.repositoryId,
            commits,
            notes,
            personId: (login) => attribution.personIds.get(login) ?? null,
            teamId: (login, at) =>
              (login ? teamOn(attribution, attribution.personIds.get(login), toIsoDate(at)) : null) ?? write.repoTeamId,
          }),
        )
        const rows = keepPlausible(context, mapped, (row) => `${label}!${row.number}`)
        const written = await upsertPullRequests(tx, rows)
        context.count(written)
        // a merge request stored after the deployment that shipped it was linked
        await linkLatePullRequests(tx, { pullRequestIds: [...written.ids.values()] })
      },
    }
  }
  if (phase === 'deployments') {
    const page = await client.deployments(projectId, window, cursor.page)
    const context_ = { ...write, productionEnvironments: options.config.productionEnvironments }
    return {
      items: page.items.length,
      next: nextAfter(page, cursor),
      async write(tx) {
        const mapped = page.items.map((deployment) => mapDeployment(deployment, context_))
        const rows = keepPlausible(context, mapped, (row) => `${label} deployment ${row.externalId}`)
        const written = await upsertDeployments(tx, rows)
        context.count(written)
        // incidents stored before the deployment that caused them are linked now, in this page's transaction
        await linkPendingIncidents(tx, {
          deploymentIds: [...written.ids.values()],
          withinHours: options.linkIncidentsWithinHours ?? null,
        })
      },
    }
  }
  if (phase === 'incidents') {
    const page = await client.incidents(projectId, window, cursor.page)
    return {
      items: page.items.length,
      next: nextAfter(page, cursor),
      async write(tx) {
        const mapped = page.items.map((issue) =>
          mapIncident(issue, { serviceId: write.serviceId, teamId: write.teamId }),
        )
        const rows = keepPlausible(context, mapped, (row) => `${label} incident ${row.externalId}`)
        context.count(await upsertIncidents(tx, rows))
      },
    }
  }
  return linkPage(context, client, write)
}

/**
 * What each new successful production deployment shipped, as GitLab records it (the merge requests of a
 * deployment). A deployment of a commit an earlier deployment shipped, while the one before it had another, is
 * a rollback: it ships nothing new.
 */
async function linkPage(context: RunContext, client: GitLabClient, write: WriteContext): Promise<FetchedPage> {
  const unlinked = await listUnlinkedDeployments(context.db, write.repositoryId, { sources: ['gitlab'] })
  const links: { deploymentId: number; externalIds: string[]; rollback: boolean }[] = []
  for (const deployment of unlinked.slice(0, PER_PAGE)) {
    if (deployment.redeploysEarlier) {
      links.push({ deploymentId: deployment.id, externalIds: [], rollback: true })
      continue
    }
    const shipped = await client.deploymentMergeRequests(write.project.id, Number(deployment.externalId))
    links.push({ deploymentId: deployment.id, externalIds: shipped.map((mr) => String(mr.id)), rollback: false })
  }
  return {
    items: links.length,
    next: unlinked.length > PER_PAGE ? { after: null, page: 1 } : null,
    async write(tx) {
      for (const link of links)
        await linkDeploymentPullRequests(tx, {
          deploymentId: link.deploymentId,
          repositoryId: write.repositoryId,
          provider: 'gitlab',
          externalIds: link.externalIds,
          rollback: link.rollback,
        })
      context.counts.updated += links.length
    },
  }
}
