// The Backstage sync of one portal, in two phases that fail independently (a failing one is named and the run
// ends partial; both failing ends it failed):
// - catalog: every entity of the configured kinds (by-query, 500 a page, cursor paging) → services, their
//   owner teams, docs, template origin and repository. The catalog says nothing about what changed when, so
//   each run reads it whole; unchanged rows are left alone.
// - scaffolder: template runs, newest first (100 a page, offset paging), down to a day before the last
//   completed pass began, or further back to the oldest run still open then, so runs that finished since are
//   read again. New tasks arriving meanwhile push older ones down a page: some are read twice, none missed.
// Each page's rows and the cursor after it are written in one transaction, so a killed run resumes at the next
// page; a phase's watermark moves only when the phase completes.
import type { ZodType } from 'zod'
import type { Database, Db } from '@/db/client'
import {
  dateServicesFromRuns,
  findTemplateServices,
  oldestUnfinishedScaffolderRun,
  repositoryIdsByFullName,
  resolveOwnerTeams,
  upsertScaffolderRuns,
  upsertServices,
} from '@/db/queries/catalog'
import { loadAttribution, teamOn, type Attribution } from '@/db/queries/organisation'
import { completeSyncScope, getSyncState, saveSyncCursor } from '@/db/queries/sync'
import { DAY_MS, toIsoDate } from '@/lib/dates'
import { UpshotError } from '@/lib/errors'
import type { Sources } from '@/collectors/config'
import type { Clock } from '@/collectors/http'
import { keepPlausible } from '@/collectors/plausible'
import { RunAborted, runSync, type RunContext, type RunSummary } from '@/collectors/sync-run'
import { ENTITY_FIELDS, entitiesPageSchema, entitySchema, taskSchema, tasksPageSchema } from './api-types'
import { BackstageClient, BackstageError } from './client'
import {
  mapEntity,
  mapService,
  mapTask,
  stringifyEntityRef,
  type CatalogEntry,
  type MappedTask,
  type TaskContext,
} from './mapper'

export const SOURCE = 'backstage'
const CATALOG_PAGE_SIZE = 500
const TASK_PAGE_SIZE = 100
/** Runs are read again this far behind the watermark, for statuses that changed late. */
const TASK_LOOKBACK_MS = DAY_MS
/** A run still open at the last sync is read again until it finishes, for at most this long. */
const OPEN_TASK_LOOKBACK_MS = 7 * DAY_MS

export type BackstageSource = NonNullable<Sources['backstage']>

export interface BackstageCollectorOptions {
  config: BackstageSource
  /** The static external access token (null: the portal lets anyone read). */
  token: string | null
  clock?: Clock
  timeoutMs?: number
  onProgress?: (message: string) => void
  /** Called after each page's transaction has committed (tests stop runs here). */
  afterPage?: (page: { phase: string; items: number }) => void | Promise<void>
}

type Phase = 'catalog' | 'scaffolder'

interface PhaseRun {
  client: BackstageClient
  options: BackstageCollectorOptions
  /** sync_state scope of the phase: `<host>:<phase>`. */
  scope: string
}

export function collectBackstage(db: Database, options: BackstageCollectorOptions): Promise<RunSummary> {
  const host = new URL(options.config.baseUrl).host
  const client = new BackstageClient({
    baseUrl: options.config.baseUrl,
    token: options.token,
    clock: options.clock,
    timeoutMs: options.timeoutMs,
  })
  const phases: [Phase, (context: RunContext, run: PhaseRun) => Promise<void>][] = [
    ['catalog', syncCatalog],
    ['scaffolder', syncScaffolder],
  ]
  return runSync(
    db,
    { source: SOURCE, scope: host },
    async (context) => {
      let completed = 0
      for (const [phase, sync] of phases) {
        try {
          await sync(context, { client, options, scope: `${host}:${phase}` })
          completed++
        } catch (error) {
          if (error instanceof RunAborted) throw error
          context.fail(phase, error)
        }
      }
      if (completed === 0) {
        const reasons = context.failures
          .filter((f) => f.item === 'catalog' || f.item === 'scaffolder')
          .map((f) => `${f.item}: ${f.error}`)
        throw new UpshotError(
          'unavailable',
          `Backstage at ${host}: neither the catalog nor the scaffolder could be read (${reasons.join('; ')})`,
        )
      }
    },
    { onProgress: options.onProgress },
  )
}

// Catalog ----------------------------------------------------------------------------------------------

interface CatalogCursor {
  /** When the pass began: its watermark once it completes. */
  passStart: string
  /** The catalog's cursor for the next page (it carries the filter: later pages send only the cursor). */
  next: string | null
}

async function syncCatalog(context: RunContext, { client, options, scope }: PhaseRun): Promise<void> {
  const { db } = context
  const saved = (await getSyncState(db, { source: SOURCE, scope })).cursor as CatalogCursor | null
  const cursor: CatalogCursor = saved?.next ? { ...saved } : { passStart: context.startedAt.toISOString(), next: null }
  let resuming = cursor.next !== null
  if (resuming) context.progress(`catalog: resuming a pass begun ${cursor.passStart}`)
  const attribution = await loadAttribution(db)
  const kinds = options.config.kinds.length ? options.config.kinds : ['Component']
  let seen = 0
  for (;;) {
    const params: [string, string][] = cursor.next
      ? [['cursor', cursor.next]]
      : kinds.map((kind) => ['filter', `kind=${kind}`])
    params.push(['limit', String(CATALOG_PAGE_SIZE)], ['fields', ENTITY_FIELDS.join(',')])
    let page
    try {
      page = await client.get('/api/catalog/entities/by-query', params, entitiesPageSchema)
    } catch (error) {
      // a cursor saved before the portal was upgraded may not be understood any more: begin the pass again
      if (resuming && error instanceof BackstageError && error.status === 400) {
        context.progress('catalog: the saved cursor was refused; starting the pass again')
        Object.assign(cursor, { passStart: context.startedAt.toISOString(), next: null })
        resuming = false
        continue
      }
      throw error
    }
    resuming = false
    const entries = parseEach(context, page.items, entitySchema, entityLabel).map(mapEntity)
    const next = page.pageInfo.nextCursor && page.pageInfo.nextCursor !== cursor.next ? page.pageInfo.nextCursor : null
    await db.transaction(async (tx) => {
      await writeEntities(context, tx, entries, attribution)
      if (next) await saveSyncCursor(tx, { source: SOURCE, scope, cursor: { ...cursor, next } })
      else await completeSyncScope(tx, { source: SOURCE, scope, watermark: new Date(cursor.passStart) })
    })
    cursor.next = next
    seen += entries.length
    context.progress(`catalog: ${seen} of ${page.totalItems} entities`)
    await options.afterPage?.({ phase: 'catalog', items: entries.length })
    if (!next) return
  }
}

async function writeEntities(
  context: RunContext,
  tx: Db,
  list: CatalogEntry[],
  attribution: Attribution,
): Promise<void> {
  const entries = [...new Map(list.map((entry) => [entry.entityRef, entry])).values()]
  const groups = entries.flatMap((entry) =>
    entry.owner?.kind === 'group' ? [{ ref: stringifyEntityRef(entry.owner), name: entry.owner.name }] : [],
  )
  const teams = await resolveOwnerTeams(tx, groups)
  context.count({ created: teams.created, updated: 0, unchanged: 0 })
  const repositories = await repositoryIdsByFullName(
    tx,
    entries.flatMap((entry) => (entry.repositorySlug ? [entry.repositorySlug] : [])),
  )
  const logins = loginIndex(attribution)
  const today = toIsoDate(context.startedAt)
  const ownerTeamId = (entry: CatalogEntry): number | null => {
    if (!entry.owner) return null
    if (entry.owner.kind === 'group') return teams.ids.get(stringifyEntityRef(entry.owner)) ?? null
    // a service owned by a person counts for that person's current team
    if (entry.owner.kind === 'user') return teamOn(attribution, logins.get(entry.owner.name.toLowerCase()), today)
    return null
  }
  const rows = keepPlausible(
    context,
    entries.map((entry) =>
      mapService(entry, {
        ownerTeamId: ownerTeamId(entry),
        repositoryId: entry.repositorySlug ? (repositories.get(entry.repositorySlug.toLowerCase()) ?? null) : null,
      }),
    ),
    (row) => `catalog entity ${row.entityRef}`,
  )
  const result = await upsertServices(tx, rows, { firstSeenAt: context.startedAt })
  context.count(result)
}

// Scaffolder -------------------------------------------------------------------------------------------

interface TaskCursor {
  passStart: string
  /** The pass stops at tasks created before this (null: every task). */
  since: string | null
  offset: number
}

async function syncScaffolder(context: RunContext, { client, options, scope }: PhaseRun): Promise<void> {
  const { db } = context
  const state = await getSyncState(db, { source: SOURCE, scope })
  let cursor = state.cursor as TaskCursor | null
  if (cursor) context.progress(`scaffolder: resuming a pass begun ${cursor.passStart} at task ${cursor.offset}`)
  else
    cursor = {
      passStart: context.startedAt.toISOString(),
      since: (await tasksSince(db, state.watermark))?.toISOString() ?? null,
      offset: 0,
    }
  const since = cursor.since ? new Date(cursor.since) : null
  const attribution = await loadAttribution(db)
  const logins = loginIndex(attribution)
  const people: TaskContext = {
    personId: (login) => logins.get(login.toLowerCase()) ?? null,
    teamId: (personId, at) => teamOn(attribution, personId, toIsoDate(at)),
  }
  // a portal too old to sort (it ignores `order`) is read to the end: stopping early could miss runs
  let ordered = true
  let previous = Number.POSITIVE_INFINITY
  for (;;) {
    const page = await client.get(
      '/api/scaffolder/v2/tasks',
      [
        ['limit', String(TASK_PAGE_SIZE)],
        ['offset', String(cursor.offset)],
        ['order', 'desc:created_at'],
      ],
      tasksPageSchema,
    )
    const tasks = parseEach(context, page.tasks, taskSchema, taskLabel)
    for (const task of tasks) {
      const at = Date.parse(task.createdAt)
      if (at > previous) ordered = false
      previous = at
    }
    const fresh = since ? tasks.filter((task) => new Date(task.createdAt) >= since) : tasks
    const end =
      page.tasks.length < TASK_PAGE_SIZE ||
      (ordered && fresh.length < tasks.length) ||
      (page.totalTasks !== undefined && cursor.offset + page.tasks.length >= page.totalTasks)
    const mapped = fresh.flatMap((task) => mapTask(task, people) ?? [])
    if (mapped.length < fresh.length)
      context.progress(`scaffolder: ${fresh.length - mapped.length} tasks without a template ref left out`)
    const next: TaskCursor = { ...cursor, offset: cursor.offset + page.tasks.length }
    await db.transaction(async (tx) => {
      await writeTasks(context, tx, mapped)
      if (end) await completeSyncScope(tx, { source: SOURCE, scope, watermark: new Date(next.passStart) })
      else await saveSyncCursor(tx, { source: SOURCE, scope, cursor: { ...next } })
    })
    cursor = next
    context.progress(`scaffolder: ${cursor.offset} tasks read`)
    await options.afterPage?.({ phase: 'scaffolder', items: fresh.length })
    if (end) return
  }
}

/** Where an incremental pass stops: a day before the watermark, or the oldest run still open then. */
async function tasksSince(db: Db, watermark: Date | null): Promise<Date | null> {
  if (!watermark) return null
  const lookback = new Date(watermark.getTime() - TASK_LOOKBACK_MS)
  const open = await oldestUnfinishedScaffolderRun(db, {
    source: SOURCE,
    since: new Date(watermark.getTime() - OPEN_TASK_LOOKBACK_MS),
  })
  return open && open < lookback ? open : lookback
}

/**
 * Writes a page of runs and links each completed run to the service it created. Backstage records no link,
 * so it is inferred: the catalog's template-made entity (its source-template annotation equals the run's
 * template) whose name is the one the run's form gave (parameters name, componentId, …), when exactly one
 * entity fits. The service's requested_at and created_at then come from the earliest such run (see
 * dateServicesFromRuns).
 */
async function writeTasks(context: RunContext, tx: Db, list: MappedTask[]): Promise<void> {
  const mapped = [...new Map(list.map((task) => [task.row.externalId, task])).values()]
  const key = (task: MappedTask) => `${task.row.templateRef.toLowerCase()}|${task.createdName?.toLowerCase()}`
  const named = mapped.filter((task) => task.createdName !== null)
  const services = await findTemplateServices(
    tx,
    named.map((task) => ({ templateRef: task.row.templateRef, name: task.createdName as string })),
  )
  const rows = keepPlausible(
    context,
    mapped.map((task) => ({ ...task.row, serviceId: task.createdName ? (services.get(key(task)) ?? null) : null })),
    (row) => `scaffolder task ${row.externalId}`,
  )
  context.count(await upsertScaffolderRuns(tx, rows))
  context.counts.updated += await dateServicesFromRuns(
    tx,
    rows.flatMap((row) =>
      row.serviceId && row.finishedAt
        ? [{ serviceId: row.serviceId, startedAt: row.startedAt, finishedAt: row.finishedAt }]
        : [],
    ),
  )
}

// Helpers ----------------------------------------------------------------------------------------------

/** Each item parsed on its own: one that does not fit is named as a failure and left out. */
function parseEach<T>(
  context: RunContext,
  items: unknown[],
  schema: ZodType<T>,
  label: (item: unknown, index: number) => string,
): T[] {
  return items.flatMap((item, index) => {
    const parsed = schema.safeParse(item)
    if (parsed.success) return [parsed.data]
    const issue = parsed.error.issues[0]
    context.fail(
      label(item, index),
      new Error(`unexpected shape: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`),
    )
    return []
  })
}

function entityLabel(item: unknown, index: number): string {
  const entity = item as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null
  const name = entity?.metadata?.name
  return typeof name === 'string'
    ? `catalog entity ${String(entity?.kind ?? '?')}:${String(entity?.metadata?.namespace ?? 'default')}/${name}`
    : `catalog entity #${index + 1} of its page`
}

function taskLabel(item: unknown, index: number): string {
  const id = (item as { id?: unknown } | null)?.id
  return typeof id === 'string' ? `scaffolder task ${id}` : `scaffolder task #${index + 1} of its page`
}

/** People by login in lower case (Backstage user names and GitHub logins differ at most in case). */
function loginIndex(attribution: Attribution): Map<string, number> {
  return new Map([...attribution.personIds].map(([login, id]) => [login.toLowerCase(), id]))
}
