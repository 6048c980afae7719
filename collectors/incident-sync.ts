// How the incident collectors (PagerDuty, Opsgenie) run: one pass per configured upstream service, each
// failing on its own (the run ends partial, naming it; all failing ends it failed); a pass reads from a week
// before the watermark, or from the oldest incident still open, so status changes are picked up; a pass
// begun in an earlier run is finished first, then the service is read once more for what changed since.
// Whatever was written is then linked to the deployments that caused it. The source's own paging lives in
// its collector (`runPass`).
import type { Database } from '@/db/client'
import { linkIncidents } from '@/db/queries/incident-links'
import { lookupService, oldestUnresolvedIncident, type MappedService } from '@/db/queries/incidents'
import { getSyncState } from '@/db/queries/sync'
import { DAY_MS } from '@/lib/dates'
import type { IncidentSource } from '@/lib/domain'
import { UpshotError } from '@/lib/errors'
import type { Clock } from './http'
import { earliest } from './incident-text'
import { RunAborted, runSync, type RunContext, type RunSummary } from './sync-run'

/** Incidents are read again this far behind the watermark, for status changes. */
const LOOKBACK_MS = 7 * DAY_MS
/** How far back a first run goes without `backfillSince`. */
const DEFAULT_BACKFILL_MS = 365 * DAY_MS
export const SCOPE = 'incidents'

/** What the PagerDuty and Opsgenie collectors take besides their source's config and credential. */
export interface IncidentCollectorOptions {
  /** Incidents that name no cause: the last deployment of their service within this many hours (null: off). */
  linkIncidentsWithinHours: number | null
  clock?: Clock
  timeoutMs?: number
  onProgress?: (message: string) => void
  /** Called after each page's transaction has committed (tests stop runs here). */
  afterPage?: (page: { scope: string; items: number }) => void | Promise<void>
}

export interface PassCursor {
  /** When the pass began: its watermark once it completes. */
  passStart: string
  /** The earliest opened_at this pass wrote, for linking incidents to deployments. */
  earliest: string | null
}

export interface ServiceRef {
  id: string
  service?: string
  team?: string
}

export interface IncidentSync<Cursor extends PassCursor> {
  source: IncidentSource
  /** "PagerDuty", for messages. */
  label: string
  services: ServiceRef[]
  backfillSince?: string
  linkIncidentsWithinHours: number | null
  onProgress?: (message: string) => void
  /** A new pass of one service reading incidents created from `from`. */
  beginPass(from: Date, passStart: Date): Cursor
  /** Reads a pass to its end, saving the cursor with each page; `track` gets the earliest opened_at written. */
  runPass(
    context: RunContext,
    scope: string,
    mapped: MappedService,
    cursor: Cursor,
    track: (at: Date | null) => void,
  ): Promise<void>
  /** Where a resumed pass stands, for the progress line. */
  describe(cursor: Cursor): string
  /** Requests made, for the last progress line. */
  stats(): string
}

export function runIncidentSync<Cursor extends PassCursor>(
  db: Database,
  sync: IncidentSync<Cursor>,
): Promise<RunSummary> {
  return runSync(
    db,
    { source: sync.source, scope: SCOPE },
    async (context) => {
      let synced = 0
      let written: Date | null = null
      const track = (at: Date | null) => void (written = earliest([written, at]))
      for (const service of sync.services) {
        try {
          await syncService(context, sync, service, track)
          synced++
        } catch (error) {
          if (error instanceof RunAborted) throw error
          context.fail(service.id, error)
        }
      }
      // whatever was written is real, a failed service's pages too: link it before the verdict
      if (written) await linkIncidents(context.db, { withinHours: sync.linkIncidentsWithinHours, since: written })
      if (synced === 0) {
        const last = context.failures.at(-1)
        throw new UpshotError(
          'unavailable',
          `${sync.label}: no service could be synced (${last?.item}: ${last?.error})`,
        )
      }
      context.progress(`${sync.label}: ${sync.stats()}`)
    },
    { onProgress: sync.onProgress },
  )
}

async function syncService<Cursor extends PassCursor>(
  context: RunContext,
  sync: IncidentSync<Cursor>,
  service: ServiceRef,
  track: (at: Date | null) => void,
): Promise<void> {
  const scope = service.id
  const state = await getSyncState(context.db, { source: sync.source, scope })
  const mapped = await lookupService(context.db, service)
  if (service.service && mapped.serviceId === null)
    context.progress(`${scope}: ${service.service} is not in the catalog; its incidents count for the team only`)
  let cursor = state.cursor as Cursor | null
  let resumed = cursor !== null
  let watermark = state.watermark
  for (;;) {
    if (cursor) {
      context.progress(`${scope}: resuming a pass begun ${cursor.passStart} ${sync.describe(cursor)}`)
      track(cursor.earliest ? new Date(cursor.earliest) : null)
    } else {
      cursor = sync.beginPass(await passFrom(context, sync, mapped, watermark), context.startedAt)
    }
    await sync.runPass(context, scope, mapped, cursor, track)
    watermark = new Date(cursor.passStart)
    // A pass begun in an earlier run: read once more what changed since it began.
    if (!resumed) return
    resumed = false
    cursor = null
  }
}

/** A week before the watermark, or the oldest incident still open if earlier; the first time, the backfill start. */
async function passFrom(
  context: RunContext,
  sync: IncidentSync<PassCursor>,
  mapped: MappedService,
  watermark: Date | null,
): Promise<Date> {
  if (watermark) {
    const open = await oldestUnresolvedIncident(context.db, sync.source, mapped)
    return earliest([new Date(watermark.getTime() - LOOKBACK_MS), open]) as Date
  }
  return sync.backfillSince
    ? new Date(`${sync.backfillSince}T00:00:00Z`)
    : new Date(context.startedAt.getTime() - DEFAULT_BACKFILL_MS)
}
