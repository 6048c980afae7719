// PagerDuty's incidents → Upshot's rows. Pure: the collector looks up ids and what is already stored, and
// passes them in.
import type { NewIncident } from '@/db/schema'
import type { IncidentPriority } from '@/lib/domain'
import { causedBy, earliest } from '@/collectors/incident-text'
import type { PagerDutyIncident, PagerDutyLogEntry } from './api-types'

/** Priority names as accounts spell them: "P1", "p2", "SEV1", "Sev-2", "Severity 3". */
const PRIORITY = /^(?:p|sev(?:erity)?[ :-]?)([1-5])$/i
/**
 * What the incident names as its cause (as for GitHub incident issues): "caused by a1b2c3d", "caused by: commit
 * a1b2c3d4…" (a commit SHA: 7–40 hex digits, at least one of them a digit, so "caused by defaced" is no SHA),
 * "caused by deployment 4711" or "caused by DE_kwDO…" (an upstream deployment id: with a digit or an underscore,
 * so "caused by deployment of the config" names nothing).
 */

export interface IncidentContext {
  serviceId: number | null
  teamId: number | null
  /** The first acknowledgement, as far as it is known (stored, from the incident, or from its log). */
  acknowledgedAt: Date | null
}

export function mapIncident(incident: PagerDutyIncident, context: IncidentContext): NewIncident {
  const openedAt = new Date(incident.created_at)
  const resolved = incident.status === 'resolved'
  // resolved_at is documented; last_status_change_at is the resolve when the former is missing
  const resolvedAt = resolved
    ? new Date(incident.resolved_at ?? incident.last_status_change_at ?? incident.created_at)
    : null
  return {
    source: 'pagerduty',
    externalId: incident.id,
    serviceId: context.serviceId,
    teamId: context.teamId,
    title: incident.title,
    priority: priorityOf(incident.priority),
    urgency: incident.urgency === 'high' || incident.urgency === 'low' ? incident.urgency : null,
    status: incident.status,
    openedAt,
    // an acknowledgement never precedes the trigger; a resolve without one leaves it null
    acknowledgedAt: context.acknowledgedAt ? laterOf(context.acknowledgedAt, openedAt) : null,
    resolvedAt: resolvedAt ? laterOf(resolvedAt, openedAt) : null,
    deploymentRef: causedBy([incident.title, incident.description, bodyText(incident.body?.details)]),
    url: incident.html_url ?? null,
  }
}

/** "P1".."P5" from the priority's name, else null (no priorities in the account, none set, or a custom name). */
export function priorityOf(priority: PagerDutyIncident['priority']): IncidentPriority | null {
  const name = priority?.summary ?? priority?.name
  const level = name?.trim().match(PRIORITY)?.[1]
  return level ? (`P${level}` as IncidentPriority) : null
}

/** The earliest current acknowledgement listed on the incident (empty once it is resolved). */
export function firstAcknowledgement(incident: PagerDutyIncident): Date | null {
  return earliest((incident.acknowledgements ?? []).map((ack) => new Date(ack.at)))
}

/** The first acknowledge_log_entry, whatever order the log came in. */
export function firstAcknowledgementInLog(entries: PagerDutyLogEntry[]): Date | null {
  return earliest(
    entries.filter((entry) => entry.type === 'acknowledge_log_entry').map((entry) => new Date(entry.created_at)),
  )
}

/** The deployment or commit named as the cause in any of these texts, else null. */
function laterOf(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b
}

function bodyText(details: unknown): string | null {
  if (typeof details === 'string') return details
  if (details && typeof details === 'object') return JSON.stringify(details)
  return null
}
