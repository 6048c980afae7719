// The GitHub sync of one organisation: its teams and members, then each configured repository's pull
// requests, deployments (from the Deployments API, workflow runs or releases) and, optionally, issues
// labelled as incidents; then what each new deployment shipped.
//
// Per repository it is incremental and crash-safe:
// - a run first polls one-item REST listings with the ETags the last successful run left; a 304 means
//   nothing changed and costs no rate limit, so an unchanged repository costs nothing;
// - whatever changed is paged newest-updated first and stops at the watermark (the start of the last
//   completed pass); each page's rows and the cursor after it are written in one transaction, so a killed run
//   resumes at the page it stopped on and never fetches a finished page again;
// - the watermark and ETags advance only when the repository's pass completes; a failing repository is named
//   in the run (partial) and keeps its old watermark, the others go on.
import type { ZodType } from 'zod'
import type { Database, Db } from '@/db/client'
import { upsertDeployments, upsertIncidents, upsertPullRequests, upsertRepository } from '@/db/queries/delivery'
import { linkLatePullRequests } from '@/db/queries/deployment-links'
import { linkIncidents, linkPendingIncidents } from '@/db/queries/incident-links'
import {
  ensurePeople,
  findService,
  findTeamIdBySlug,
  loadAttribution,
  teamOn,
  type Attribution,
} from '@/db/queries/organisation'
import { completeSyncScope, getSyncState, saveSyncCursor } from '@/db/queries/sync'
import type { NewDeployment } from '@/db/schema'
import { toIsoDate } from '@/lib/dates'
import { UpshotError } from '@/lib/errors'
import type { GitHubSource, RepositoryConfig } from '@/collectors/config'
import { keepPlausible } from '@/collectors/plausible'
import { RunAborted, runSync, type RunContext, type RunSummary } from '@/collectors/sync-run'
import {
  deploymentProbeSchema,
  deploymentsPageSchema,
  DEPLOYMENTS_QUERY,
  issuesSchema,
  pullProbeSchema,
  pullRequestsPageSchema,
  PULL_REQUESTS_QUERY,
  releasesSchema,
  repositorySchema,
  workflowRunsSchema,
} from './api-types'
import { GitHubError, REST_PAGE, requireOk, splitRepositoryName, type GitHubClient } from './client'
import { linkPage } from './link'
import { syncTeams } from './teams'
import {
  deploymentFacts,
  isPerson,
  mapDeployment,
  mapIssueIncident,
  mapPullRequest,
  mapRelease,
  mapRepository,
  mapWorkflowRun,
  type DeploymentContext,
} from './mapper'

export const SOURCE = 'github'
/** GraphQL page size: the most a page asks for, and where it starts. */
export const PAGE_SIZE = 50
const MIN_PAGE_SIZE = 5
/** Pages that succeed in a row before a halved page size doubles again. */
const GROW_AFTER = 3
/** Deployments are re-read this far behind the watermark, for statuses that arrived late. */
const DEPLOYMENT_LOOKBACK_MS = 24 * 3_600_000

export interface PageDone {
  repository: string
  phase: string
  /** Where this page started (null: at the top). */
  from: string | null
  /** Where the next page starts (null: the phase is done). */
  after: string | null
  items: number
}

export interface GitHubCollectorOptions {
  client: GitHubClient
  config: GitHubSource
  /** Incidents without an upstream link: the last deployment of their service within this many hours (null: off). */
  linkIncidentsWithinHours?: number | null
  pageSize?: number
  onProgress?: (message: string) => void
  /** Called after each page's transaction has committed (tests stop runs here). */
  afterPage?: (page: PageDone) => void | Promise<void>
  /** Called inside each page's transaction before it commits (tests stop runs here too: the page is undone). */
  beforeCommit?: (page: PageDone) => void | Promise<void>
  /** Today, for team moves (YYYY-MM-DD). */
  today?: string
}

/** Where a repository's pass has got to; saved with every page. */
interface RepositoryCursor {
  /** When the pass began: its watermark once it completes. */
  passStart: string
  /** The pass stops at items older than this (null: a full backfill). */
  since: string | null
  /**
   * Phases this repository has never completed (a workflow, releases or the incident label added to the
   * sources file later): they read from the backfill start, not from the watermark, or their history would
   * never be collected.
   */
  backfill?: { phases: string[]; since: string | null }
  /** The probes' ETags, saved as the repository's once the pass completes. */
  etags: Record<string, string>
  phases: string[]
  phase: number
  /** A GraphQL end cursor or a REST next-page URL. */
  after: string | null
  size: number
  successes: number
  repositoryId: number
  /** The repository's current owner/name (after a rename or transfer). */
  fullName: string
}

export function collectGitHub(db: Database, options: GitHubCollectorOptions): Promise<RunSummary> {
  const { config } = options
  return runSync(
    db,
    { source: SOURCE, scope: config.organisation },
    async (context) => {
      if (config.teams !== false) {
        try {
          await syncTeams(context, { client: options.client, config, today: options.today })
        } catch (error) {
          if (error instanceof RunAborted) throw error
          context.fail('teams', error)
        }
      }
      const attribution = await loadAttribution(db)
      let synced = 0
      for (const repository of config.repositories) {
        try {
          await syncRepository(context, options, repository, attribution)
          synced++
        } catch (error) {
          if (error instanceof RunAborted) throw error
          context.fail(repository.name, error)
        }
      }
      if (synced === 0) {
        throw new UpshotError(
          'unavailable',
          `GitHub: no repository could be synced (${context.failures.at(-1)?.item}: ${context.failures.at(-1)?.error})`,
        )
      }
      await linkIncidents(db, { withinHours: options.linkIncidentsWithinHours ?? null })
    },
    { onProgress: options.onProgress },
  )
}

// Repositories -----------------------------------------------------------------------------------------

async function syncRepository(
  context: RunContext,
  options: GitHubCollectorOptions,
  repository: RepositoryConfig,
  attribution: Attribution,
): Promise<void> {
  const { client } = options
  const scope = repository.name
  const state = await getSyncState(context.db, { source: SOURCE, scope })
  let cursor = state.cursor as RepositoryCursor | null
  let resumedPass = cursor !== null
  let watermark = state.watermark
  let etags = state.etags
  for (;;) {
    if (!cursor) {
      const probe = await probeRepository(client, repository, options.config, etags)
      if (probe.changed.length === 0) {
        context.progress(`${repository.name}: unchanged`)
        await completeSyncScope(context.db, { source: SOURCE, scope, watermark: context.startedAt })
        return
      }
      cursor = await beginPass(context, options, repository, {
        since: watermark,
        etags: { ...etags, ...probe.etags },
        phases: probe.changed,
        known: Object.keys(etags),
      })
    } else {
      context.progress(
        `${repository.name}: resuming ${cursor.phases[cursor.phase] ?? 'the end'} of a pass begun ${cursor.passStart}`,
      )
    }
    await runPass(context, options, repository, attribution, cursor)
    watermark = new Date(cursor.passStart)
    etags = cursor.etags
    await completeSyncScope(context.db, { source: SOURCE, scope, watermark, etags })
    if (!resumedPass) return
    // The pass began in an earlier run: poll once more for what changed since it began.
    resumedPass = false
    cursor = null
  }
}

/** Starts a pass over what changed: the repository's current name and row first (a rename keeps its row). */
async function beginPass(
  context: RunContext,
  options: GitHubCollectorOptions,
  repository: RepositoryConfig,
  {
    since,
    etags,
    phases,
    known,
  }: { since: Date | null; etags: Record<string, string>; phases: string[]; known: string[] },
): Promise<RepositoryCursor> {
  const metadata = requireOk(
    await options.client.rest('GET /repos/{owner}/{repo}', splitRepositoryName(repository.name), repositorySchema),
    repository.name,
  )
  if (metadata.full_name !== repository.name)
    context.progress(`${repository.name} is now ${metadata.full_name}: the same repository (update the sources file)`)
  const { id, result } = await upsertRepository(
    context.db,
    mapRepository(metadata, await teamIdBySlug(context.db, repository.team)),
  )
  context.count(result)
  const backfillFrom = options.config.backfillSince ? new Date(`${options.config.backfillSince}T00:00:00Z`) : null
  const from = since ?? backfillFrom
  // a phase with no stored ETag has never completed here; on a first pass every phase is a backfill anyway
  const fresh = since ? phases.filter((phase) => !known.includes(phase)) : []
  const cursor: RepositoryCursor = {
    passStart: context.startedAt.toISOString(),
    since: from?.toISOString() ?? null,
    ...(fresh.length ? { backfill: { phases: fresh, since: backfillFrom?.toISOString() ?? null } } : {}),
    etags,
    phases: [...phases, ...(repository.deployments.from === 'none' ? [] : ['link'])],
    phase: 0,
    after: null,
    size: options.pageSize ?? PAGE_SIZE,
    successes: 0,
    repositoryId: id,
    fullName: metadata.full_name,
  }
  await saveSyncCursor(context.db, { source: SOURCE, scope: repository.name, cursor: { ...cursor } })
  return cursor
}

const teamIdBySlug = async (db: Db, slug: string | undefined) => (slug ? findTeamIdBySlug(db, { slug }) : null)

interface Probe {
  /** The phases whose listing changed. */
  changed: string[]
  etags: Record<string, string>
}

/** One-item listings with the stored ETags: 304 (free) means that listing has not changed. */
async function probeRepository(
  client: GitHubClient,
  repository: RepositoryConfig,
  config: GitHubSource,
  etags: Record<string, string>,
): Promise<Probe> {
  const params = splitRepositoryName(repository.name)
  const probes: { phase: string; route: string; params: Record<string, unknown>; schema: ZodType<unknown> }[] = [
    {
      phase: 'pulls',
      route: 'GET /repos/{owner}/{repo}/pulls',
      params: { ...params, state: 'all', sort: 'updated', direction: 'desc', per_page: 1 },
      schema: pullProbeSchema,
    },
  ]
  const deployments = repository.deployments
  if (deployments.from === 'deployments') {
    probes.push({
      phase: 'deployments',
      route: 'GET /repos/{owner}/{repo}/deployments',
      params: { ...params, environment: deployments.environment, per_page: 1 },
      schema: deploymentProbeSchema,
    })
  } else if (deployments.from === 'workflow_runs') {
    for (const workflow of deployments.workflows) {
      probes.push({
        phase: `workflow:${workflow}`,
        route: 'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
        params: { ...params, workflow_id: workflow, per_page: 1 },
        schema: workflowRunsSchema,
      })
    }
  } else if (deployments.from === 'releases') {
    probes.push({
      phase: 'releases',
      route: 'GET /repos/{owner}/{repo}/releases',
      params: { ...params, per_page: 1 },
      schema: releasesSchema,
    })
  }
  if (config.incidentLabel) {
    probes.push({
      phase: 'issues',
      route: 'GET /repos/{owner}/{repo}/issues',
      params: {
        ...params,
        labels: config.incidentLabel,
        state: 'all',
        sort: 'updated',
        direction: 'desc',
        per_page: 1,
      },
      schema: issuesSchema,
    })
  }
  const out: Probe = { changed: [], etags: {} }
  for (const probe of probes) {
    const result = await client.rest(probe.route, probe.params, probe.schema, { etag: etags[probe.phase] })
    if (result.status === 'not_modified') continue
    out.changed.push(probe.phase)
    if (result.etag) out.etags[probe.phase] = result.etag
  }
  return out
}

/** Runs the phases of a pass from where the cursor stands, saving the cursor with every page. */
async function runPass(
  context: RunContext,
  options: GitHubCollectorOptions,
  repository: RepositoryConfig,
  attribution: Attribution,
  cursor: RepositoryCursor,
): Promise<void> {
  const serviceId = await serviceIdByRef(context.db, repository.service)
  const repoTeamId = await teamIdBySlug(context.db, repository.team)
  const deploymentContext: DeploymentContext = {
    repositoryId: cursor.repositoryId,
    serviceId: serviceId?.id ?? null,
    teamId: serviceId?.ownerTeamId ?? repoTeamId,
    productionEnvironment:
      repository.deployments.from === 'deployments' ? repository.deployments.environment : 'production',
  }
  const date = (value: string | null) => (value ? new Date(value) : null)
  while (cursor.phase < cursor.phases.length) {
    const phase = cursor.phases[cursor.phase] as string
    const from = cursor.after
    const since = cursor.backfill?.phases.includes(phase) ? date(cursor.backfill.since) : date(cursor.since)
    const page = await fetchPage(context, options, repository, cursor, phase, since)
    const next = {
      ...cursor,
      ...(page.next === null ? { phase: cursor.phase + 1, after: null } : { after: page.next }),
    }
    const done: PageDone = { repository: repository.name, phase, from, after: next.after, items: page.items }
    await context.db.transaction(async (tx) => {
      await page.write(tx, { attribution, deploymentContext, repoTeamId })
      await saveSyncCursor(tx, { source: SOURCE, scope: repository.name, cursor: next })
      await options.beforeCommit?.(done)
    })
    Object.assign(cursor, next)
    await options.afterPage?.(done)
  }
}

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

const serviceIdByRef = async (db: Db, ref: string | undefined) => (ref ? findService(db, { entityRef: ref }) : null)

async function fetchPage(
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

/**
 * A GraphQL page whose size adapts: a timeout, a 5xx or an unreadable answer halves it and asks again; a few
 * good pages in a row double it again, up to the configured size.
 */
async function adaptive<T>(
  context: RunContext,
  options: GitHubCollectorOptions,
  cursor: RepositoryCursor,
  fetch: (first: number) => Promise<T>,
): Promise<T> {
  const max = options.pageSize ?? PAGE_SIZE
  for (let failures = 0; ;) {
    try {
      const data = await fetch(cursor.size)
      cursor.successes++
      if (cursor.size < max && cursor.successes >= GROW_AFTER) {
        cursor.size = Math.min(max, cursor.size * 2)
        cursor.successes = 0
      }
      return data
    } catch (error) {
      const transient = error instanceof GitHubError && (error.status === 0 || error.status >= 500)
      if (!transient || ++failures > 6) throw error
      cursor.successes = 0
      if (cursor.size > MIN_PAGE_SIZE) {
        cursor.size = Math.max(MIN_PAGE_SIZE, Math.floor(cursor.size / 2))
        context.progress(
          `GitHub answered ${(error as GitHubError).status || 'nothing'}; asking for ${cursor.size} at a time`,
        )
      } else {
        await options.client.clock.sleep(1000 * 2 ** Math.min(failures, 4))
      }
    }
  }
}
