// One project's pass over what was updated in its window, page by page, from its cursor to its watermark.
// Per project (its sync_state scope is the project's path) it is incremental and crash-safe:
// - a pass reads what was updated in [watermark, pass start], least recently updated first (GitLab's
//   updated_after / updated_before, order_by=updated_at). It pages by time, not by offset: the next page asks
//   from the last updated_at read (GitLab's page numbers are used only within one instant), so an item updated
//   while the pass runs cannot shift a later page and be skipped; it leaves this pass's window and the next
//   pass reads it;
// - each page's rows and the cursor after it are written in one transaction, so a killed run resumes at the
//   page it stopped on; the watermark advances only when the project's pass completes. A failing project is
//   named in the run (partial) and keeps its old watermark; the others go on.
import { upsertRepository } from '@/db/queries/delivery'
import { findService, type Attribution } from '@/db/queries/organisation'
import { completeSyncScope, getSyncState, saveSyncCursor } from '@/db/queries/sync'
import type { RunContext } from '@/collectors/sync-run'
import type { GitLabProject } from './api-types'
import type { GitLabClient } from './client'
import type { Phase, ProjectCursor } from './cursor'
import { mapProject } from './mapper'
import { SOURCE, type GitLabCollectorOptions } from './options'
import { fetchPage, type WriteContext } from './pages'

/** How far the next pass reaches back before the last one's start (clocks differ; a re-read changes nothing). */
const CLOCK_OVERLAP_MS = 5 * 60_000

export async function syncProject(
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
