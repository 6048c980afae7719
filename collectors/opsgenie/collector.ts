// The Opsgenie sync: the incidents that impact each configured Opsgenie service, with when they were resolved,
// then the deployments that caused them. (Opsgenie is at its end of life: end of sale June 4 2025, end of
// support April 5 2027; see docs/sources-incidents.md.)
//
// Incidents, not alerts: an incident names the services it impacts, which is how the sources file maps
// Opsgenie to the catalog, and it is what a person declared an incident; alerts carry no service and count
// every page. When it was resolved: the incident's impactEndDate, set on resolve; for a resolved incident
// without one, its log (one request, once in the incident's life), else its last update.
//
// Per service (its sync_state scope is the Opsgenie service id) it is incremental and crash-safe:
// - a pass pages the service's incidents newest first, 100 at a time, and stops at its start point: the
//   backfillSince date (else a year back) on a first pass; later 7 days before the watermark, or the oldest
//   incident still open in the database if that is earlier, so that resolves of older incidents are picked up.
//   Newest first, an incident created during the pass only pushes the others down a place: one may be read
//   twice, none is missed;
// - each page's rows and the cursor after it are written in one transaction, so a killed run resumes at the
//   next page; the watermark advances only when the service's pass completes. A failing service is named in
//   the run (partial) and keeps its old watermark; the others go on.
import type { Database } from '@/db/client'
import { upsertIncidents } from '@/db/queries/delivery'
import { storedIncidents, type MappedService } from '@/db/queries/incidents'
import { completeSyncScope, saveSyncCursor } from '@/db/queries/sync'
import type { NewIncident } from '@/db/schema'
import type { Sources } from '@/collectors/config'
import { earliest } from '@/collectors/incident-text'
import { keepPlausible } from '@/collectors/plausible'
import { runIncidentSync, type IncidentCollectorOptions } from '@/collectors/incident-sync'
import type { RunContext, RunSummary } from '@/collectors/sync-run'
import { OpsgenieClient } from './client'
import { impacts, isResolved, mapIncident, resolutionInLogs, resolutionOf } from './mapper'

export const SOURCE = 'opsgenie'

export type OpsgenieSource = NonNullable<Sources['opsgenie']>

export interface OpsgenieCollectorOptions extends IncidentCollectorOptions {
  config: OpsgenieSource
  apiKey: string
}

/** Where a service's pass has got to; saved with every page. */
interface ServiceCursor {
  /** When the pass began: its watermark once it completes. */
  passStart: string
  /** The pass stops at incidents created before this. */
  from: string
  offset: number
  /** The earliest opened_at this pass wrote, for linking incidents to deployments. */
  earliest: string | null
}

export function collectOpsgenie(db: Database, options: OpsgenieCollectorOptions): Promise<RunSummary> {
  const client = new OpsgenieClient({
    baseUrl: options.config.baseUrl,
    apiKey: options.apiKey,
    clock: options.clock,
    timeoutMs: options.timeoutMs,
  })
  return runIncidentSync<ServiceCursor>(db, {
    source: SOURCE,
    label: 'Opsgenie',
    services: options.config.services,
    backfillSince: options.config.backfillSince,
    linkIncidentsWithinHours: options.linkIncidentsWithinHours,
    onProgress: options.onProgress,
    beginPass: (from, passStart) => ({
      passStart: passStart.toISOString(),
      from: from.toISOString(),
      offset: 0,
      earliest: null,
    }),
    runPass: (context, scope, mapped, cursor, track) => runPass(context, client, options, scope, mapped, cursor, track),
    describe: (cursor) => `at offset ${cursor.offset}`,
    stats: () => `${client.stats.requests} requests, ${client.stats.retries} retries`,
  })
}

async function runPass(
  context: RunContext,
  client: OpsgenieClient,
  options: OpsgenieCollectorOptions,
  scope: string,
  mapped: MappedService,
  start: ServiceCursor,
  track: (at: Date | null) => void,
): Promise<void> {
  let cursor = start
  const from = Date.parse(cursor.from)
  let incidents = 0
  let logLookups = 0
  for (;;) {
    const page = await client.listIncidents({ serviceId: scope, offset: cursor.offset })
    // the query asks for this service's incidents; keep only those that say so, created since the start point
    const fresh = page.data.filter((incident) => impacts(incident, scope) && Date.parse(incident.createdAt) >= from)
    const reachedStart = page.data.some((incident) => Date.parse(incident.createdAt) < from)
    const stored = await storedIncidents(
      context.db,
      SOURCE,
      fresh.map((incident) => incident.id),
    )
    const mappedRows: NewIncident[] = []
    for (const incident of fresh) {
      const known = stored.get(incident.id)
      let resolvedAt = resolutionOf(incident) ?? (isResolved(incident) ? (known?.resolvedAt ?? null) : null)
      // the log is read once: when the incident is first seen resolved without an end of impact
      if (!resolvedAt && isResolved(incident) && known?.status !== 'resolved') {
        resolvedAt = resolutionInLogs(await client.listLogs(incident.id))
        logLookups++
      }
      mappedRows.push(mapIncident(incident, { serviceId: mapped.serviceId, teamId: mapped.teamId, resolvedAt }))
    }
    const rows = keepPlausible(context, mappedRows, (row) => `incident ${row.externalId}`)
    incidents += rows.length
    const pageEarliest = earliest([
      cursor.earliest ? new Date(cursor.earliest) : null,
      ...rows.map((row) => row.openedAt as Date),
    ])
    const next: ServiceCursor | null =
      page.paging?.next && page.data.length > 0 && !reachedStart
        ? { ...cursor, offset: cursor.offset + page.data.length, earliest: pageEarliest?.toISOString() ?? null }
        : null
    await context.db.transaction(async (tx) => {
      context.count(await upsertIncidents(tx, rows))
      if (next) await saveSyncCursor(tx, { source: SOURCE, scope, cursor: { ...next } })
      else await completeSyncScope(tx, { source: SOURCE, scope, watermark: new Date(cursor.passStart) })
    })
    track(pageEarliest)
    await options.afterPage?.({ scope, items: rows.length })
    if (!next) break
    cursor = next
  }
  context.progress(`${scope}: ${incidents} incidents since ${start.from}, ${logLookups} log lookups for resolve times`)
}
