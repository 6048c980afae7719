// HTTP to PagerDuty's REST API v2 and nothing else. Authentication is a read-only REST API key
// (`Authorization: Token token=<key>`); the Accept header pins version 2. Rate limits: a 429 carries
// `ratelimit-reset`, the seconds until the window resets (a delta, not an epoch), which is what we wait;
// a 429 without it is backed off (collectors/http.ts). Every answer is parsed with zod.
import { JsonClient, secondsHeader, type Clock } from '@/collectors/http'
import { incidentsPageSchema, logEntriesPageSchema, type IncidentsPage, type PagerDutyLogEntry } from './api-types'

/** The most `limit` may be (classic pagination). */
export const PAGE_LIMIT = 100
/** PagerDuty answers 400 when offset + limit exceeds this. */
export const MAX_OFFSET_PLUS_LIMIT = 10_000
/** Log entries of one incident read at most (pages of 100): the first acknowledgement is near the start. */
const MAX_LOG_PAGES = 3

export class PagerDutyClient {
  readonly http: JsonClient

  constructor({
    baseUrl,
    token,
    clock,
    timeoutMs,
  }: {
    baseUrl: string
    token: string
    clock?: Clock
    timeoutMs?: number
  }) {
    this.http = new JsonClient({
      name: 'PagerDuty',
      baseUrl,
      headers: {
        Authorization: `Token token=${token}`,
        Accept: 'application/vnd.pagerduty+json;version=2',
        'Content-Type': 'application/json',
      },
      clock,
      timeoutMs,
      rateLimitWait: (headers) => secondsHeader(headers, 'ratelimit-reset'),
    })
  }

  get stats() {
    return this.http.stats
  }

  /** One page of a service's incidents created in [since, until), oldest first, dates in UTC. */
  listIncidents({
    serviceId,
    since,
    until,
    offset,
  }: {
    serviceId: string
    since: Date
    until: Date
    offset: number
  }): Promise<IncidentsPage> {
    return this.http.get(
      '/incidents',
      {
        'service_ids[]': [serviceId],
        since: since.toISOString(),
        until: until.toISOString(),
        time_zone: 'UTC',
        sort_by: 'created_at:asc',
        limit: PAGE_LIMIT,
        offset,
      },
      incidentsPageSchema,
    )
  }

  /** An incident's overview log entries (state changes only: trigger, acknowledge, resolve, …). */
  async listLogEntries(incidentId: string): Promise<PagerDutyLogEntry[]> {
    const entries: PagerDutyLogEntry[] = []
    for (let page = 0; page < MAX_LOG_PAGES; page++) {
      const answer = await this.http.get(
        `/incidents/${encodeURIComponent(incidentId)}/log_entries`,
        { is_overview: true, time_zone: 'UTC', limit: PAGE_LIMIT, offset: page * PAGE_LIMIT },
        logEntriesPageSchema,
      )
      entries.push(...answer.log_entries)
      if (!answer.more) break
    }
    return entries
  }
}
