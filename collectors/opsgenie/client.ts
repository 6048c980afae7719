// HTTP to Opsgenie's Incident API and nothing else. Authentication is an API integration's key
// (`Authorization: GenieKey <key>`); the EU instance is https://api.eu.opsgenie.com. Rate limits: a throttled
// request answers 429 with `X-RateLimit-State: THROTTLED` and `X-RateLimit-Period-In-Sec`, the window that
// was exceeded (60 for the per-minute bucket, 1 for the per-second one), which is what we wait; a 429
// without it is backed off (collectors/http.ts). Every answer is parsed with zod.
import { JsonClient, secondsHeader, type Clock } from '@/collectors/http'
import { incidentsPageSchema, logsPageSchema, type IncidentsPage, type OpsgenieLog } from './api-types'

/** The most `limit` may be. */
export const PAGE_LIMIT = 100

export class OpsgenieClient {
  readonly http: JsonClient

  constructor({
    baseUrl,
    apiKey,
    clock,
    timeoutMs,
  }: {
    baseUrl: string
    apiKey: string
    clock?: Clock
    timeoutMs?: number
  }) {
    this.http = new JsonClient({
      name: 'Opsgenie',
      baseUrl,
      headers: { Authorization: `GenieKey ${apiKey}`, Accept: 'application/json' },
      clock,
      timeoutMs,
      rateLimitWait: (headers) => secondsHeader(headers, 'x-ratelimit-period-in-sec'),
    })
  }

  get stats() {
    return this.http.stats
  }

  /** One page of the incidents that impact a service, newest first. */
  listIncidents({ serviceId, offset }: { serviceId: string; offset: number }): Promise<IncidentsPage> {
    return this.http.get(
      '/v1/incidents',
      { query: `impactedServices:${serviceId}`, offset, limit: PAGE_LIMIT, sort: 'createdAt', order: 'desc' },
      incidentsPageSchema,
    )
  }

  /** An incident's latest log entries, newest first (one page: the resolve is among them). */
  async listLogs(incidentId: string): Promise<OpsgenieLog[]> {
    const answer = await this.http.get(
      `/v1/incidents/${encodeURIComponent(incidentId)}/logs`,
      { identifierType: 'id', order: 'desc', limit: PAGE_LIMIT },
      logsPageSchema,
    )
    return answer.data
  }
}
