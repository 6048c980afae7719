// PagerDuty REST API v2 answers, as zod schemas (PagerDuty's OpenAPI spec, github.com/PagerDuty/api-schema,
// `listIncidents` and `listIncidentLogEntries`): every response is parsed before use, so a changed or broken
// upstream fails the service it was asked about, by name, instead of writing wrong numbers. Only the fields
// Upshot reads are listed; others pass through unchecked.
import { z } from 'zod'

const timestamp = z.string().datetime({ offset: true })

const reference = z.object({
  id: z.string(),
  type: z.string().optional(),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
})

export const incidentSchema = z.object({
  id: z.string(),
  incident_number: z.number().int(),
  title: z.string(),
  description: z.string().nullish(),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  /** high | low */
  urgency: z.string().nullish(),
  /** "The time the incident was first triggered." */
  created_at: timestamp,
  /** "The time the incident became 'resolved' or null if the incident is not resolved." */
  resolved_at: timestamp.nullish(),
  last_status_change_at: timestamp.nullish(),
  /** A priority reference: `summary` is its name ("P1"); null when the account has no priorities or none is set. */
  priority: z.object({ id: z.string(), summary: z.string().nullish(), name: z.string().nullish() }).nullish(),
  service: reference,
  teams: z.array(reference).nullish(),
  /** The current acknowledgements; empty once the incident is resolved (or triggered again). */
  acknowledgements: z.array(z.object({ at: timestamp })).nullish(),
  html_url: z.string().nullish(),
  /** Only with include[]=body; read when present. */
  body: z.object({ details: z.unknown().optional() }).nullish(),
})
export type PagerDutyIncident = z.infer<typeof incidentSchema>

/** Classic pagination: `more` says whether the next offset has anything. */
export const incidentsPageSchema = z.object({
  incidents: z.array(incidentSchema),
  limit: z.number().int(),
  offset: z.number().int(),
  more: z.boolean(),
  total: z.number().int().nullish(),
})
export type IncidentsPage = z.infer<typeof incidentsPageSchema>

const logEntrySchema = z.object({
  id: z.string(),
  /** acknowledge_log_entry, resolve_log_entry, trigger_log_entry, annotate_log_entry, … */
  type: z.string(),
  created_at: timestamp,
})
export type PagerDutyLogEntry = z.infer<typeof logEntrySchema>

export const logEntriesPageSchema = z.object({
  log_entries: z.array(logEntrySchema),
  limit: z.number().int(),
  offset: z.number().int(),
  more: z.boolean(),
})
