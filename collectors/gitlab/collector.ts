// The GitLab sync of the configured groups: the groups and subgroups as teams with their direct members, the
// groups' projects as repositories, then per project its merge requests (with their commits and notes),
// deployments, issues of type incident, and what each new successful production deployment shipped.
//
// Per project (its sync_state scope is the project's path) it is incremental and crash-safe:
// - a pass reads what was updated in [watermark, pass start], least recently updated first (GitLab's
//   updated_after / updated_before, order_by=updated_at). It pages by time, not by offset: the next page asks
//   from the last updated_at read (GitLab's page numbers are used only within one instant), so an item updated
//   while the pass runs cannot shift a later page and be skipped; it leaves this pass's window and the next
//   pass reads it;
// - each page's rows and the cursor after it are written in one transaction, so a killed run resumes at the
//   page it stopped on; the watermark advances only when the project's pass completes. A failing project is
//   named in the run (partial) and keeps its old watermark; the others go on.
// Pipelines are not read: deployments are GitLab's record of what reached an environment, and nothing the
// metrics use needs a pipeline.
import type { Database, Db } from '@/db/client'
import { upsertDeployments, upsertIncidents, upsertPullRequests, upsertRepository } from '@/db/queries/delivery'
import {
  linkDeploymentPullRequests,
  linkLatePullRequests,
  listUnlinkedDeployments,
} from '@/db/queries/deployment-links'
import { linkIncidents, linkPendingIncidents } from '@/db/queries/incident-links'
import {
  ensurePeople,
  findService,
  findTeamIdBySlug,
  loadAttribution,
  reconcileMemberships,
  reconcileTeams,
  teamOn,
  type Attribution,
} from '@/db/queries/organisation'
import { completeSyncScope, getSyncState, saveSyncCursor } from '@/db/queries/sync'
import { toIsoDate } from '@/lib/dates'
import { UpshotError } from '@/lib/errors'
import type { GitLabSource } from '@/collectors/config'
import type { Clock } from '@/collectors/http'
import { keepPlausible } from '@/collectors/plausible'
import { RunAborted, runSync, type RunContext, type RunSummary } from '@/collectors/sync-run'
import type { GitLabCommit, GitLabGroup, GitLabMergeRequest, GitLabNote, GitLabProject } from './api-types'
import { GitLabClient, PER_PAGE, type Page, type UpdatedWindow } from './client'
import { isPerson, mapDeployment, mapGroupTeam, mapIncident, mapMergeRequest, mapProject } from './mapper'

export const SOURCE = 'gitlab'
/** How far the next pass reaches back before the last one's start (clocks differ; a re-read changes nothing). */
const CLOCK_OVERLAP_MS = 5 * 60_000

export interface PageDone {
  project: string
  phase: Phase
  items: number
}

export interface GitLabCollectorOptions {
  config: GitLabSource
  token: string
  clock?: Clock
  timeoutMs?: number
  /** Incidents without an upstream link: the last deployment of their service within this many hours (null: off). */
  linkIncidentsWithinHours?: number | null
  onProgress?: (message: string) => void
  /** Called after each page's transaction has committed (tests and stop requests end runs here). */
  afterPage?: (page: PageDone) => void | Promise<void>
  /** Today, for team moves (YYYY-MM-DD). */
  today?: string
}

type Phase = 'merge_requests' | 'deployments' | 'incidents' | 'link'

/** Where a project's pass has got to; saved with every page. */
interface ProjectCursor {
  /** When the pass began: the end of its window, and its watermark once it completes. */
  passStart: string
  phases: Phase[]
  phase: number
  /** Where each phase starts: the watermark, else the backfill start (null: from the beginning). */
  since: string | null
  /** Read items updated at or after this (null: from the beginning). */
  after: string | null
  /** GitLab's page number among the items updated at `after` or later. */
  page: number
}

export function collectGitLab(db: Database, options: GitLabCollectorOptions): Promise<RunSummary> {
  const { config } = options
  const client = new GitLabClient({
    baseUrl: config.baseUrl,
    token: options.token,
    tokenHeader: config.tokenHeader,
    clock: options.clock,
    timeoutMs: options.timeoutMs,
  })
  return runSync(
    db,
    { source: SOURCE, scope: config.groups.join(',') },
    async (context) => {
      // the groups first: a bad token or address fails the run here, clearly, before anything is written
      const groups = await readGroups(client, config)
      if (config.teams) {
        try {
          await syncTeams(context, client, groups, options.today ?? toIsoDate(new Date()))
        } catch (error) {
          if (error instanceof RunAborted) throw error
          context.fail('teams', error)
        }
      }
      const projects = new Map<number, GitLabProject>()
      for (const group of groups.filter((group) => config.groups.includes(group.full_path)))
        for (const project of await client.projects(group.id)) projects.set(project.id, project)
      const teamIds = await teamIdsByPath(context.db, groups)
      const attribution = await loadAttribution(db)
      let synced = 0
      for (const project of projects.values()) {
        try {
          await syncProject(
            context,
            client,
            options,
            project,
            teamOf(teamIds, project.namespace.full_path),
            attribution,
          )
          synced++
        } catch (error) {
          if (error instanceof RunAborted) throw error
          context.fail(project.path_with_namespace, error)
        }
      }
      if (projects.size > 0 && synced === 0) {
        throw new UpshotError(
          'unavailable',
          `GitLab: no project could be synced (${context.failures.at(-1)?.item}: ${context.failures.at(-1)?.error})`,
        )
      }
      context.progress(
        `${synced} of ${projects.size} projects; ${client.stats.requests} requests, ${client.stats.retries} retries`,
      )
      await linkIncidents(db, { withinHours: options.linkIncidentsWithinHours ?? null })
    },
    { onProgress: options.onProgress },
  )
}

// Groups and teams -------------------------------------------------------------------------------------

/** The configured groups and (when subgroups are teams) their descendants, each once. */
async function readGroups(client: GitLabClient, config: GitLabSource): Promise<GitLabGroup[]> {
  const out = new Map<number, GitLabGroup>()
  for (const path of config.groups) {
    const group = await client.group(path)
    if (group.full_path !== path)
      throw new UpshotError('config', `GitLab: the group ${path} is now ${group.full_path}: update the sources file`)
    out.set(group.id, group)
    if (config.subgroups) for (const sub of await client.descendantGroups(group.id)) out.set(sub.id, sub)
  }
  return [...out.values()]
}

/**
 * The groups as teams, with their direct members: a person in several counts for the smallest (the most
 * specific), ties by path. Read whole every run (a few requests per group) and reconciled in one transaction.
 */
async function syncTeams(context: RunContext, client: GitLabClient, groups: GitLabGroup[], today: string) {
  const members = new Map<number, string[]>()
  for (const group of groups)
    members.set(
      group.id,
      (await client.members(group.id)).filter((member) => isPerson(member)).map((member) => member.username),
    )
  await context.db.transaction(async (tx) => {
    const teams = await reconcileTeams(tx, groups.map(mapGroupTeam))
    context.count(teams)
    const personIds = await ensurePeople(tx, [...members.values()].flat())
    const bySize = [...groups].sort(
      (a, b) =>
        (members.get(a.id)?.length ?? 0) - (members.get(b.id)?.length ?? 0) || a.full_path.localeCompare(b.full_path),
    )
    const current = new Map<number, number>()
    for (const group of bySize) {
      const teamId = teams.ids.get(mapGroupTeam(group).externalId) as number
      for (const username of members.get(group.id) ?? []) {
        const personId = personIds.get(username) as number
        if (!current.has(personId)) current.set(personId, teamId)
      }
    }
    context.counts.updated += await reconcileMemberships(tx, { current, teamIds: [...teams.ids.values()], on: today })
  })
  context.progress(`teams: ${groups.length} groups, ${new Set([...members.values()].flat()).size} members`)
}

/** Each group's team id by the group's full path (by slug: the teams sync keeps it GitLab's; a roster's team of the same name otherwise). */
async function teamIdsByPath(db: Db, groups: GitLabGroup[]): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (const group of groups) {
    const id = await findTeamIdBySlug(db, { slug: mapGroupTeam(group).slug })
    if (id !== null) out.set(group.full_path, id)
  }
  return out
}

/** The team of a namespace: its own group's, else the nearest enclosing group's. */
function teamOf(teamIds: Map<string, number>, namespace: string): number | null {
  for (let path = namespace; path; path = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '') {
    const id = teamIds.get(path)
    if (id !== undefined) return id
  }
  return null
}

// Projects ---------------------------------------------------------------------------------------------

async function syncProject(
  context: RunContext,
  client: GitLabClient,
  options: GitLabCollectorOptions,
  project: GitLabProject,
  teamId: number | null,
  attribution: Attribution,
): Promise<void> {
  const scope = project.path_with_namespace
  const state = await getSyncState(context.db, { source: SOURCE, scope })
  const { id: repositoryId, result } = await upsertRepository(context.db, mapProject(project, teamId))
  context.count(result)
  let cursor = state.cursor as ProjectCursor | null
  if (cursor) {
    context.progress(
      `${scope}: resuming ${cursor.phases[cursor.phase] ?? 'the end'} of a pass begun ${cursor.passStart}`,
    )
  } else {
    const backfill = options.config.backfillSince ? `${options.config.backfillSince}T00:00:00.000Z` : null
    const since = state.watermark?.toISOString() ?? backfill
    cursor = {
      passStart: context.startedAt.toISOString(),
      phases: ['merge_requests', 'deployments', ...(options.config.incidents ? ['incidents' as const] : []), 'link'],
      phase: 0,
      since,
      after: since,
      page: 1,
    }
  }
  const serviceRef = options.config.services[scope]
  const service = serviceRef ? await findService(context.db, { entityRef: serviceRef }) : null
  const write: WriteContext = {
    project,
    repositoryId,
    repoTeamId: teamId,
    serviceId: service?.id ?? null,
    teamId: service?.ownerTeamId ?? teamId,
    attribution,
  }
  let items = 0
  while (cursor.phase < cursor.phases.length) {
    const phase = cursor.phases[cursor.phase] as Phase
    const page = await fetchPage(context, client, options, write, phase, cursor)
    const next: ProjectCursor = page.next
      ? { ...cursor, ...page.next }
      : { ...cursor, phase: cursor.phase + 1, after: cursor.since, page: 1 }
    const done = next.phase >= next.phases.length
    await context.db.transaction(async (tx) => {
      await page.write(tx)
      // the pass's start is this machine's clock, GitLab's updated_at its own: the next pass overlaps a little, so an
      // item updated just before the start on a GitLab clock behind ours is read again rather than missed
      if (done)
        await completeSyncScope(tx, {
          source: SOURCE,
          scope,
          watermark: new Date(Date.parse(next.passStart) - CLOCK_OVERLAP_MS),
        })
      else await saveSyncCursor(tx, { source: SOURCE, scope, cursor: { ...next } })
    })
    items += page.items
    cursor = next
    await options.afterPage?.({ project: scope, phase, items: page.items })
  }
  context.progress(`${scope}: ${items} items updated since ${cursor.since ?? 'the beginning'}`)
}

interface WriteContext {
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

async function fetchPage(
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
