// One page of one phase of a repository's pass: pull requests and deployments from GraphQL, workflow runs,
// releases and incident issues from REST, the deployment links (link.ts). Each is fetched first and written
// later, in the transaction that also saves the cursor after it.
import type { Db } from '@/db/client'
import { upsertDeployments, upsertIncidents, upsertPullRequests } from '@/db/queries/delivery'
import { linkLatePullRequests } from '@/db/queries/deployment-links'
import { linkPendingIncidents } from '@/db/queries/incident-links'
import { ensurePeople, teamOn, type Attribution } from '@/db/queries/organisation'
import type { NewDeployment } from '@/db/schema'
import { toIsoDate } from '@/lib/dates'
import { UpshotError } from '@/lib/errors'
import type { RepositoryConfig } from '@/collectors/config'
import { keepPlausible } from '@/collectors/plausible'
import type { RunContext } from '@/collectors/sync-run'
import { adaptive } from './adaptive-page'
import {
  deploymentsPageSchema,
  DEPLOYMENTS_QUERY,
  issuesSchema,
  pullRequestsPageSchema,
  PULL_REQUESTS_QUERY,
  releasesSchema,
  workflowRunsSchema,
} from './api-types'
import { REST_PAGE, requireOk, splitRepositoryName } from './client'
import type { RepositoryCursor } from './cursor'
import { linkPage } from './link'
import {
  deploymentFacts,
  isPerson,
  mapDeployment,
  mapIssueIncident,
  mapPullRequest,
  mapRelease,
  mapWorkflowRun,
  type DeploymentContext,
} from './mapper'
import type { GitHubCollectorOptions } from './options'

/** Deployments are re-read this far behind the watermark, for statuses that arrived late. */
const DEPLOYMENT_LOOKBACK_MS = 24 * 3_600_000

interface WriteContext {
  attribution: Attribution
  deploymentContext: DeploymentContext
  repoTeamId: number | null
}

interface FetchedPage {
  items: number
  /** Where the next page starts; null when this phase is done. */
  next: string | null
  write(tx: Db, context: WriteContext): Promise<void>
}

export async function fetchPage(
  context: RunContext,
  options: GitHubCollectorOptions,
  repository: RepositoryConfig,
  cursor: RepositoryCursor,
  phase: string,
  since: Date | null,
): Promise<FetchedPage> {
  const { client } = options
  const { owner, repo } = splitRepositoryName(cursor.fullName)
  if (phase === 'pulls') {
    const data = await adaptive(context, options, cursor, (first) =>
      client.graphql(PULL_REQUESTS_QUERY, { owner, name: repo, first, after: cursor.after }, pullRequestsPageSchema),
    )
    const connection = data.repository.pullRequests
    const fresh = since ? connection.nodes.filter((node) => new Date(node.updatedAt) >= since) : connection.nodes
    const reachedWatermark = fresh.length < connection.nodes.length
    return {
      items: fresh.length,
      next: connection.pageInfo.hasNextPage && !reachedWatermark ? connection.pageInfo.endCursor : null,
      async write(tx, { attribution, repoTeamId }) {
        const ids = await ensurePeople(
          tx,
          fresh.flatMap((node) => (node.author && isPerson(node.author) ? [node.author.login] : [])),
        )
        for (const [login, id] of ids) attribution.personIds.set(login, id)
        const mapped = fresh.map((node) =>
          mapPullRequest(node, {
            repositoryId: cursor.repositoryId,
            personId: (login) => attribution.personIds.get(login) ?? null,
            teamId: (login, at) =>
              (login ? teamOn(attribution, attribution.personIds.get(login), toIsoDate(at)) : null) ?? repoTeamId,
          }),
        )
        const rows = keepPlausible(context, mapped, (row) => `${cursor.fullName}#${row.number}`)
        const written = await upsertPullRequests(tx, rows)
        context.count(written)
        // a pull request stored after the deployment that shipped it was linked
        await linkLatePullRequests(tx, { pullRequestIds: [...written.ids.values()] })
      },
    }
  }
  if (phase === 'deployments') {
    const environment =
      repository.deployments.from === 'deployments' ? repository.deployments.environment : 'production'
    const data = await adaptive(context, options, cursor, (first) =>
      client.graphql(
        DEPLOYMENTS_QUERY,
        { owner, name: repo, first, after: cursor.after, environments: [environment] },
        deploymentsPageSchema,
      ),
    )
    const connection = data.repository.deployments
    const cutoff = since ? new Date(since.getTime() - DEPLOYMENT_LOOKBACK_MS) : null
    const fresh = cutoff ? connection.nodes.filter((node) => new Date(node.createdAt) >= cutoff) : connection.nodes
    return {
      items: fresh.length,
      next:
        connection.pageInfo.hasNextPage && fresh.length === connection.nodes.length
          ? connection.pageInfo.endCursor
          : null,
      write: (tx, { deploymentContext }) =>
        writeDeployments(
          context,
          options,
          tx,
          fresh.map((node) => mapDeployment(deploymentFacts(node), deploymentContext)),
        ),
    }
  }
  if (phase.startsWith('workflow:')) {
    const cutoff = since ? new Date(since.getTime() - DEPLOYMENT_LOOKBACK_MS) : null
    const result = cursor.after
      ? await client.rest(`GET ${cursor.after}`, {}, workflowRunsSchema)
      : await client.rest(
          'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
          {
            owner,
            repo,
            workflow_id: phase.slice('workflow:'.length),
            status: 'completed',
            per_page: REST_PAGE,
            ...(repository.deployments.from === 'workflow_runs' && repository.deployments.branch
              ? { branch: repository.deployments.branch }
              : {}),
            ...(cutoff ? { created: `>=${cutoff.toISOString()}` } : {}),
          },
          workflowRunsSchema,
        )
    const data = requireOk(result, phase)
    return {
      items: data.workflow_runs.length,
      next: result.status === 'ok' ? result.next : null,
      write: (tx, { deploymentContext }) =>
        writeDeployments(
          context,
          options,
          tx,
          data.workflow_runs.map((run) => mapWorkflowRun(run, deploymentContext)),
        ),
    }
  }
  if (phase === 'releases') {
    const cutoff = since ? new Date(since.getTime() - DEPLOYMENT_LOOKBACK_MS) : null
    const result = cursor.after
      ? await client.rest(`GET ${cursor.after}`, {}, releasesSchema)
      : await client.rest('GET /repos/{owner}/{repo}/releases', { owner, repo, per_page: REST_PAGE }, releasesSchema)
    const releases = requireOk(result, phase)
    const fresh = cutoff ? releases.filter((release) => new Date(release.created_at) >= cutoff) : releases
    return {
      items: fresh.length,
      next: result.status === 'ok' && fresh.length === releases.length ? result.next : null,
      write: (tx, { deploymentContext }) =>
        writeDeployments(
          context,
          options,
          tx,
          fresh.filter((release) => !release.draft).map((release) => mapRelease(release, deploymentContext)),
        ),
    }
  }
  if (phase === 'issues') {
    const result = cursor.after
      ? await client.rest(`GET ${cursor.after}`, {}, issuesSchema)
      : await client.rest(
          'GET /repos/{owner}/{repo}/issues',
          {
            owner,
            repo,
            labels: options.config.incidentLabel,
            state: 'all',
            sort: 'updated',
            direction: 'desc',
            per_page: REST_PAGE,
            ...(since ? { since: since.toISOString() } : {}),
          },
          issuesSchema,
        )
    const issues = requireOk(result, phase).filter((issue) => issue.pull_request === undefined)
    return {
      items: issues.length,
      next: result.status === 'ok' ? result.next : null,
      async write(tx, { deploymentContext }) {
        const mapped = issues.map((issue) =>
          mapIssueIncident(issue, { serviceId: deploymentContext.serviceId, teamId: deploymentContext.teamId }),
        )
        const rows = keepPlausible(context, mapped, (row) => `${cursor.fullName} issue ${row.externalId}`)
        context.count(await upsertIncidents(tx, rows))
      },
    }
  }
  if (phase === 'link') return linkPage(context, options.client, cursor)
  throw new UpshotError('internal', `unknown phase ${phase}`)
}

async function writeDeployments(
  context: RunContext,
  options: GitHubCollectorOptions,
  tx: Db,
  mapped: NewDeployment[],
): Promise<void> {
  const rows = keepPlausible(context, mapped, (row) => `deployment ${row.externalId}`)
  const written = await upsertDeployments(tx, rows)
  context.count(written)
  // incidents stored before the deployment that caused them are linked now, in this page's transaction
  await linkPendingIncidents(tx, {
    deploymentIds: [...written.ids.values()],
    withinHours: options.linkIncidentsWithinHours ?? null,
  })
}
