// Opsgenie's incidents → Upshot's rows. Pure: the collector looks up ids and what is already stored, and
// passes them in.
import type { NewIncident } from '@/db/schema'
import { incidentPriorities, type IncidentPriority } from '@/lib/domain'
// one rule for what an incident names as its cause, whatever tool it comes from
import { causedBy } from '@/collectors/incident-text'
import type { OpsgenieIncident, OpsgenieLog } from './api-types'

export interface IncidentContext {
  serviceId: number | null
  teamId: number | null
  /** When it was resolved, as far as it is known (the incident, what is stored, its log); null while open. */
  resolvedAt: Date | null
}

/** Opsgenie incidents are open, resolved or closed; a closed one was resolved first. */
export function isResolved(incident: OpsgenieIncident): boolean {
  return incident.status === 'resolved' || incident.status === 'closed'
}

/** Whether the incident impacts this Opsgenie service. */
export function impacts(incident: OpsgenieIncident, serviceId: string): boolean {
  return (incident.impactedServices ?? []).includes(serviceId) || incident.serviceId === serviceId
}

/** The end of the impact, for a resolved incident that says so. */
export function resolutionOf(incident: OpsgenieIncident): Date | null {
  return isResolved(incident) && incident.impactEndDate ? new Date(incident.impactEndDate) : null
}

/** From an incident's log (any order): the last "resolved" entry, else the last "closed" one. */
export function resolutionInLogs(logs: OpsgenieLog[]): Date | null {
  const last = (pattern: RegExp) =>
    logs
      .filter((entry) => pattern.test(entry.log))
      .map((entry) => new Date(entry.createdAt))
      .reduce<Date | null>((latest, at) => (latest === null || at.getTime() > latest.getTime() ? at : latest), null)
  return last(/\bresolved\b/i) ?? last(/\bclosed\b/i)
}

export function mapIncident(incident: OpsgenieIncident, context: IncidentContext): NewIncident {
  const openedAt = new Date(incident.createdAt)
  const resolved = isResolved(incident)
  const resolvedAt = resolved ? (context.resolvedAt ?? new Date(incident.updatedAt ?? incident.createdAt)) : null
  return {
    source: 'opsgenie',
    externalId: incident.id,
    serviceId: context.serviceId,
    teamId: context.teamId,
    title: incident.message,
    priority: incidentPriorities.includes(incident.priority as IncidentPriority)
      ? (incident.priority as IncidentPriority)
      : null,
    // Opsgenie incidents have a priority, no urgency
    urgency: null,
    status: resolved ? 'resolved' : 'triggered',
    openedAt,
    // incidents are not acknowledged in Opsgenie (their alerts are)
    acknowledgedAt: null,
    resolvedAt: resolvedAt && resolvedAt.getTime() < openedAt.getTime() ? openedAt : resolvedAt,
    deploymentRef: causedByProperty(incident) ?? causedBy([incident.message, incident.description]),
    url: incident.links?.web ?? null,
  }
}

/** A `caused_by` extra property (a commit SHA or a deployment id), as a responder or an integration sets it. */
function causedByProperty(incident: OpsgenieIncident): string | null {
  const value = incident.extraProperties?.caused_by
  return typeof value === 'string' && /^[\w.:-]+$/.test(value.trim()) ? value.trim() : null
}
