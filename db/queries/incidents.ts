// Lookups of the incident collectors (PagerDuty, Opsgenie): which catalog service and team an upstream
// service maps to, how far back open incidents reach, and what is stored of incidents already seen.
import { sql } from 'drizzle-orm'
import type { IncidentSource, IncidentStatus } from '@/lib/domain'
import type { Db } from '@/db/client'

export interface MappedService {
  serviceId: number | null
  teamId: number | null
}

/** The catalog service of a configured upstream service, and its team: the service's owner, else the configured team. */
export async function lookupService(db: Db, service: { service?: string; team?: string }): Promise<MappedService> {
  const [row] = await db.execute<{
    service_id: number | null
    owner_team_id: number | null
    team_id: number | null
  }>(sql`
    select (select id::int from services where entity_ref = ${service.service ?? null}) as service_id,
      (select owner_team_id::int from services where entity_ref = ${service.service ?? null}) as owner_team_id,
      (select id::int from teams where slug = ${service.team ?? null}) as team_id`)
  return { serviceId: row?.service_id ?? null, teamId: row?.owner_team_id ?? row?.team_id ?? null }
}

/**
 * When the oldest incident still open in the database for this service and team was opened. Conservative:
 * upstream services mapped to the same catalog service and team share it, which only re-reads more.
 */
export async function oldestUnresolvedIncident(
  db: Db,
  source: IncidentSource,
  mapped: MappedService,
): Promise<Date | null> {
  const [row] = await db.execute<{ at: string | null }>(sql`
    select min(opened_at) as at from incidents
    where source = ${source}::incident_source and status <> 'resolved'
      and service_id is not distinct from ${mapped.serviceId}::bigint and team_id is not distinct from ${mapped.teamId}::bigint`)
  return row?.at ? new Date(row.at) : null
}

export interface StoredIncident {
  status: IncidentStatus
  acknowledgedAt: Date | null
  resolvedAt: Date | null
}

/** What is stored of these upstream incidents: what need not be asked again. */
export async function storedIncidents(
  db: Db,
  source: IncidentSource,
  externalIds: string[],
): Promise<Map<string, StoredIncident>> {
  if (externalIds.length === 0) return new Map()
  const rows = await db.execute<{
    external_id: string
    status: IncidentStatus
    acknowledged_at: string | null
    resolved_at: string | null
  }>(sql`
    select external_id, status::text as status, acknowledged_at, resolved_at from incidents
    where source = ${source}::incident_source and external_id = any(${sql.param(externalIds)}::text[])`)
  return new Map(
    rows.map((row) => [
      row.external_id,
      {
        status: row.status,
        acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at) : null,
        resolvedAt: row.resolved_at ? new Date(row.resolved_at) : null,
      },
    ]),
  )
}
