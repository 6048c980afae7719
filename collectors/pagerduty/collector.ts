// The PagerDuty sync: each configured service's incidents, with when they were acknowledged and resolved,
// then the deployments that caused them.
//
// Per service (its sync_state scope is the PagerDuty service id) it is incremental and crash-safe:
// - a pass reads the incidents created since a start point, in windows of 30 days (PagerDuty allows at most
//   6 months per request), oldest first, 100 at a time. A first pass starts at backfillSince (else a year
//   back); later ones 7 days before the watermark, or at the oldest incident still open in the database if
//   that is earlier, so that acknowledgements and resolves of older incidents are picked up;
// - PagerDuty refuses offset + limit > 10,000 (400). A window that holds more goes on from the creation time
//   of the last incident read, at offset 0, so no request ever passes the limit and nothing is read twice
//   but the incidents of that one instant;
// - each page's rows and the cursor after it (window and offset) are written in one transaction, so a
//   killed run resumes at the next page; the watermark advances only when the service's pass completes. A
//   failing service is named in the run (partial) and keeps its old watermark; the others go on.
// The first acknowledgement is on the incident while it is acknowledged; once resolved, PagerDuty lists no
// acknowledgements, so it is read from the incident's log (one request), and only for an incident seen
// resolved for the first time without a known acknowledgement: each incident costs at most one such request
// in its life.
import type { Database } from '@/db/client'
import { upsertIncidents } from '@/db/queries/delivery'
import { storedIncidents, type MappedService } from '@/db/queries/incidents'
import { completeSyncScope, saveSyncCursor } from '@/db/queries/sync'
import type { NewIncident } from '@/db/schema'
import { DAY_MS } from '@/lib/dates'
import { UpshotError } from '@/lib/errors'
import type { Sources } from '@/collectors/config'
import { runIncidentSync, type IncidentCollectorOptions } from '@/collectors/incident-sync'
import type { RunContext, RunSummary } from '@/collectors/sync-run'
import { MAX_OFFSET_PLUS_LIMIT, PAGE_LIMIT, PagerDutyClient } from './client'
import { earliest } from '@/collectors/incident-text'
import { keepPlausible } from '@/collectors/plausible'
import { firstAcknowledgement, firstAcknowledgementInLog, mapIncident } from './mapper'

export const SOURCE = 'pagerduty'
const WINDOW_MS = 30 * DAY_MS

export type PagerDutySource = NonNullable<Sources['pagerduty']>

export interface PagerDutyCollectorOptions extends IncidentCollectorOptions {
  config: PagerDutySource
  token: string
}

/** Where a service's pass has got to; saved with every page. */
interface ServiceCursor {
  /** When the pass began: its watermark once it completes, and the end of its last window. */
  passStart: string
  windowStart: string
  windowEnd: string
  offset: number
  /** Creation time of the last incident read in this window: where it goes on past 10,000. */
  lastCreatedAt: string | null
  /** The earliest opened_at this pass wrote, for linking incidents to deployments. */
  earliest: string | null
}

export function collectPagerDuty(db: Database, options: PagerDutyCollectorOptions): Promise<RunSummary> {
  const client = new PagerDutyClient({
    baseUrl: options.config.baseUrl,
    token: options.token,
    clock: options.clock,
    timeoutMs: options.timeoutMs,
  })
  return runIncidentSync<ServiceCursor>(db, {
    source: SOURCE,
    label: 'PagerDuty',
    services: options.config.services,
    backfillSince: options.config.backfillSince,
    linkIncidentsWithinHours: options.linkIncidentsWithinHours,
    onProgress: options.onProgress,
    beginPass: (from, passStart) => firstWindow(from, passStart),
    runPass: (context, scope, mapped, cursor, track) => runPass(context, client, options, scope, mapped, cursor, track),
    describe: (cursor) => `at ${cursor.windowStart}, offset ${cursor.offset}`,
    stats: () => `${client.stats.requests} requests, ${client.stats.retries} retries`,
  })
}

/** The first window of a pass: from `from`, at most WINDOW_MS long, never past the pass's start. */
function firstWindow(from: Date, passStart: Date): ServiceCursor {
  const windowStart = from.getTime() < passStart.getTime() ? from : passStart
  return {
    passStart: passStart.toISOString(),
    windowStart: windowStart.toISOString(),
    windowEnd: new Date(Math.min(windowStart.getTime() + WINDOW_MS, passStart.getTime())).toISOString(),
    offset: 0,
    lastCreatedAt: null,
    earliest: null,
  }
}

async function runPass(
  context: RunContext,
  client: PagerDutyClient,
  options: PagerDutyCollectorOptions,
  scope: string,
  mapped: MappedService,
  start: ServiceCursor,
  track: (at: Date | null) => void,
): Promise<void> {
  let cursor = start
  const passEnd = Date.parse(cursor.passStart)
  let incidents = 0
  let logLookups = 0
  if (Date.parse(cursor.windowStart) >= passEnd) {
    // nothing to read (a backfillSince in the future)
    await completeSyncScope(context.db, { source: SOURCE, scope, watermark: new Date(cursor.passStart) })
    return
  }
  for (;;) {
    if (cursor.offset + PAGE_LIMIT > MAX_OFFSET_PLUS_LIMIT) {
      // PagerDuty would answer 400: go on in a window that starts at the last incident read
      const last = cursor.lastCreatedAt
      if (!last || Date.parse(last) <= Date.parse(cursor.windowStart)) {
        throw new UpshotError(
          'unavailable',
          `PagerDuty: more than ${MAX_OFFSET_PLUS_LIMIT} incidents created at ${cursor.windowStart}; no window can page past them`,
        )
      }
      context.progress(
        `${scope}: more than ${MAX_OFFSET_PLUS_LIMIT} incidents between ${cursor.windowStart} and ${cursor.windowEnd}; going on from ${last}`,
      )
      cursor = { ...cursor, windowStart: last, offset: 0, lastCreatedAt: null }
    }
    const page = await client.listIncidents({
      serviceId: scope,
      since: new Date(cursor.windowStart),
      until: new Date(cursor.windowEnd),
      offset: cursor.offset,
    })
    const stored = await storedIncidents(
      context.db,
      SOURCE,
      page.incidents.map((incident) => incident.id),
    )
    const mappedRows: NewIncident[] = []
    for (const incident of page.incidents) {
      const known = stored.get(incident.id)
      let acknowledgedAt = earliest([known?.acknowledgedAt, firstAcknowledgement(incident)])
      // the log is read once: when the incident is first seen past "triggered" without a known acknowledgement
      if (!acknowledgedAt && incident.status !== 'triggered' && known?.status !== 'resolved') {
        acknowledgedAt = firstAcknowledgementInLog(await client.listLogEntries(incident.id))
        logLookups++
      }
      mappedRows.push(mapIncident(incident, { serviceId: mapped.serviceId, teamId: mapped.teamId, acknowledgedAt }))
    }
    const rows = keepPlausible(context, mappedRows, (row) => `incident ${row.externalId}`)
    incidents += rows.length
    const pageEarliest = earliest([
      cursor.earliest ? new Date(cursor.earliest) : null,
      ...rows.map((row) => row.openedAt as Date),
    ])
    const windowEnd = Date.parse(cursor.windowEnd)
    const next: ServiceCursor | null =
      page.more && page.incidents.length > 0
        ? {
            ...cursor,
            offset: cursor.offset + page.incidents.length,
            lastCreatedAt: page.incidents.at(-1)?.created_at ?? cursor.lastCreatedAt,
          }
        : windowEnd >= passEnd
          ? null
          : {
              ...cursor,
              windowStart: cursor.windowEnd,
              windowEnd: new Date(Math.min(windowEnd + WINDOW_MS, passEnd)).toISOString(),
              offset: 0,
              lastCreatedAt: null,
            }
    await context.db.transaction(async (tx) => {
      context.count(await upsertIncidents(tx, rows))
      if (next)
        await saveSyncCursor(tx, {
          source: SOURCE,
          scope,
          cursor: { ...next, earliest: pageEarliest?.toISOString() ?? null },
        })
      else await completeSyncScope(tx, { source: SOURCE, scope, watermark: new Date(cursor.passStart) })
    })
    track(pageEarliest)
    await options.afterPage?.({ scope, items: rows.length })
    if (!next) break
    cursor = { ...next, earliest: pageEarliest?.toISOString() ?? null }
  }
  context.progress(
    `${scope}: ${incidents} incidents since ${start.windowStart}, ${logLookups} log lookups for acknowledgements`,
  )
}

// Lookups ----------------------------------------------------------------------------------------------
