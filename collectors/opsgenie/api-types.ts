// Opsgenie Incident API answers, as zod schemas: every response is parsed before use, so a changed or broken
// upstream fails the service it was asked about, by name. Only the fields Upshot reads are listed; others
// pass through unchecked. The official OpenAPI (github.com/opsgenie/opsgenie-oas, definitions/incident.yaml)
// lists id, tinyId, message, status, tags, createdAt, updatedAt, priority, ownerTeam, responders,
// extraProperties; the answers also carry impactedServices, impactStartDate, impactEndDate (once resolved)
// and links (recorded answers in port-labs/ocean integrations/opsgenie/.port/examples/incident), all read as
// optional here.
import { z } from 'zod'

const timestamp = z.string().datetime({ offset: true })

export const incidentSchema = z.object({
  id: z.string(),
  tinyId: z.string().nullish(),
  message: z.string(),
  description: z.string().nullish(),
  /** open | resolved | closed */
  status: z.string(),
  /** P1..P5 */
  priority: z.string().nullish(),
  createdAt: timestamp,
  updatedAt: timestamp.nullish(),
  /** The ids of the services the incident impacts. */
  impactedServices: z.array(z.string()).nullish(),
  /** The service it was created on (the Go SDK's field). */
  serviceId: z.string().nullish(),
  impactStartDate: timestamp.nullish(),
  /** When the impact ended: set when the incident is resolved. */
  impactEndDate: timestamp.nullish(),
  extraProperties: z.record(z.string(), z.unknown()).nullish(),
  links: z.object({ web: z.string().nullish() }).nullish(),
})
export type OpsgenieIncident = z.infer<typeof incidentSchema>

/** Offset paging: `paging.next` is there while there is more. */
export const incidentsPageSchema = z.object({
  data: z.array(incidentSchema),
  paging: z.object({ next: z.string().nullish() }).nullish(),
  took: z.number().nullish(),
  requestId: z.string().nullish(),
})
export type IncidentsPage = z.infer<typeof incidentsPageSchema>

const logSchema = z.object({
  log: z.string(),
  type: z.string().nullish(),
  owner: z.string().nullish(),
  createdAt: timestamp,
  offset: z.string().nullish(),
})
export type OpsgenieLog = z.infer<typeof logSchema>

export const logsPageSchema = z.object({
  data: z.array(logSchema),
  paging: z.object({ next: z.string().nullish() }).nullish(),
})
