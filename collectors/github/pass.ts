// One repository's pass: probe, begin (its current name and row), run its phases page by page, complete.
// Per repository it is incremental and crash-safe:
// - a run first polls one-item REST listings with the ETags the last successful run left; a 304 means
//   nothing changed and costs no rate limit, so an unchanged repository costs nothing;
// - whatever changed is paged newest-updated first and stops at the watermark (the start of the last
//   completed pass); each page's rows and the cursor after it are written in one transaction, so a killed run
//   resumes at the page it stopped on and never fetches a finished page again;
// - the watermark and ETags advance only when the repository's pass completes; a failing repository is named
//   in the run (partial) and keeps its old watermark, the others go on.
import type { Db } from '@/db/client'
import { upsertRepository } from '@/db/queries/delivery'
import { findService, findTeamIdBySlug, type Attribution } from '@/db/queries/organisation'
import { completeSyncScope, getSyncState, saveSyncCursor } from '@/db/queries/sync'
import type { RepositoryConfig } from '@/collectors/config'
import type { RunContext } from '@/collectors/sync-run'
import { repositorySchema } from './api-types'
import { requireOk, splitRepositoryName } from './client'
import type { RepositoryCursor } from './cursor'
import { mapRepository, type DeploymentContext } from './mapper'
import { PAGE_SIZE, SOURCE, type GitHubCollectorOptions, type PageDone } from './options'
import { fetchPage } from './pages'
import { probeRepository } from './probe'

export async function syncRepository(
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

const serviceIdByRef = async (db: Db, ref: string | undefined) => (ref ? findService(db, { entityRef: ref }) : null)
