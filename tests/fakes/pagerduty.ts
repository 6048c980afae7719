// A fake PagerDuty REST API v2 on 127.0.0.1 that answers the way api.pagerduty.com does, for the requests
// Upshot makes: GET /incidents (service_ids[], since/until at most 6 months apart, sort_by created_at,
// classic pagination with limit ≤ 100 and a 400 when offset + limit > 10,000, exactly PagerDuty's body) and
// GET /incidents/{id}/log_entries (newest first). It checks the Token authorization and the version-2 Accept
// header and sends ratelimit-* headers. Faults are scripted per request (429 with or without
// ratelimit-reset, 5xx, a hang, malformed JSON). Every request is logged with its query.
import http from 'node:http'
import { faults as scriptedFaults, type Fault } from './server'

export interface FakePagerDutyIncident {
  id: string
  number: number
  serviceId: string
  title: string
  description?: string
  status: 'triggered' | 'acknowledged' | 'resolved'
  urgency: 'high' | 'low'
  /** A priority name ("P1"), or null when none is set. */
  priority: string | null
  createdAt: string
  /** The first acknowledgement, if any. */
  acknowledgedAt: string | null
  resolvedAt: string | null
}

export interface FakePagerDuty {
  url: string
  token: string
  incidents: FakePagerDutyIncident[]
  log: { method: string; path: string; query: URLSearchParams; status: number }[]
  faults: Fault[]
  close(): Promise<void>
}

const RATE_LIMIT = 960
const SIX_MONTHS_MS = 183 * 86_400_000
const MAX_OFFSET_PLUS_LIMIT = 10_000

export async function startFakePagerDuty(
  setup: { incidents?: FakePagerDutyIncident[]; token?: string } = {},
): Promise<FakePagerDuty> {
  const fake: FakePagerDuty = {
    url: '',
    token: setup.token ?? 'u+fake_pagerduty_api_key_for_tests',
    incidents: setup.incidents ?? [],
    log: [],
    faults: [],
    close: async () => {},
  }
  const scripted = scriptedFaults()
  let remaining = RATE_LIMIT

  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const signature = `${req.method} ${url.pathname}${url.search ? `?${decodeURIComponent(url.search.slice(1))}` : ''}`
      const entry: FakePagerDuty['log'][number] = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        status: 0,
      }
      fake.log.push(entry)
      // a scripted fault sends only the headers it names (a 429 may come without any, as PagerDuty warns)
      const send = (status: number, data: unknown, headers: Record<string, string> = {}, bare = false) => {
        entry.status = status
        remaining = Math.max(0, remaining - 1)
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          ...(bare
            ? {}
            : {
                'ratelimit-limit': String(RATE_LIMIT),
                'ratelimit-remaining': String(remaining),
                'ratelimit-reset': '60',
              }),
          ...headers,
        })
        res.end(JSON.stringify(data))
      }
      if (req.headers.authorization !== `Token token=${fake.token}`) {
        send(401, { error: { message: 'Unauthorized', code: 2006 } })
        return
      }
      if (req.headers.accept !== 'application/vnd.pagerduty+json;version=2') {
        send(406, { error: { message: 'Not Acceptable', code: 2001 } })
        return
      }
      const fault = scripted.due(fake.faults, signature)
      if (fault) {
        if (
          scripted.answerBroken(res, entry, fault, {
            contentType: 'application/json; charset=utf-8',
            body: '{"incidents": [{"id": "PABC123", "incident_nu',
          })
        )
          return
        if (fault.answer.kind !== 'status') return
        send(fault.answer.status, fault.answer.body ?? { error: { message: 'fault' } }, fault.answer.headers, true)
        return
      }
      try {
        route(url, send)
      } catch (error) {
        send(500, { error: { message: (error as Error).message } })
      }
    })
  })

  function route(url: URL, send: (status: number, data: unknown, headers?: Record<string, string>) => void) {
    if (url.pathname === '/incidents') return listIncidents(url, send)
    const match = url.pathname.match(/^\/incidents\/([^/]+)\/log_entries$/)
    if (match) {
      const incident = fake.incidents.find((i) => i.id === decodeURIComponent(match[1] ?? ''))
      if (!incident) return send(404, { error: { message: 'Not Found', code: 2100 } })
      const { limit, offset, error } = paging(url)
      if (error) return send(400, error)
      const entries = logEntries(incident)
      return send(200, {
        log_entries: entries.slice(offset, offset + limit),
        limit,
        offset,
        more: offset + limit < entries.length,
        total: null,
      })
    }
    send(404, { error: { message: 'Not Found', code: 2100 } })
  }

  function paging(url: URL): { limit: number; offset: number; error?: unknown } {
    const limit = Number(url.searchParams.get('limit') ?? 25)
    const offset = Number(url.searchParams.get('offset') ?? 0)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return {
        limit,
        offset,
        error: {
          error: { message: 'Invalid Input Provided', code: 2001, errors: ['Limit must be between 1 and 100.'] },
        },
      }
    if (offset + limit > MAX_OFFSET_PLUS_LIMIT) {
      return {
        limit,
        offset,
        error: {
          error: {
            message: 'Arguments Caused Error',
            code: 2002,
            errors: [
              'Offset+limit exceeds maximum allowed value of 10000. Please try to refine your search to reduce the returned set of records below this number, like adding a date range.',
            ],
          },
        },
      }
    }
    return { limit, offset }
  }

  function listIncidents(url: URL, send: (status: number, data: unknown, headers?: Record<string, string>) => void) {
    const { limit, offset, error } = paging(url)
    if (error) return send(400, error)
    const services = url.searchParams.getAll('service_ids[]')
    // without since/until PagerDuty answers the last 30 days
    const until = Date.parse(url.searchParams.get('until') ?? new Date().toISOString())
    const since = Date.parse(url.searchParams.get('since') ?? new Date(until - 30 * 86_400_000).toISOString())
    if (!Number.isFinite(since) || !Number.isFinite(until))
      return send(400, {
        error: { message: 'Invalid Input Provided', code: 2001, errors: ['Since is not a valid date.'] },
      })
    if (until - since > SIX_MONTHS_MS)
      return send(400, {
        error: {
          message: 'Invalid Input Provided',
          code: 2001,
          errors: ['The date range must be less than 6 months.'],
        },
      })
    if (url.searchParams.get('time_zone') !== 'UTC')
      return send(400, { error: { message: 'the fake only renders UTC', code: 2001 } })
    if (url.searchParams.get('sort_by') !== 'created_at:asc')
      return send(400, { error: { message: 'the fake only sorts by created_at:asc', code: 2001 } })
    const list = fake.incidents
      .filter((i) => services.length === 0 || services.includes(i.serviceId))
      .filter((i) => Date.parse(i.createdAt) >= since && Date.parse(i.createdAt) < until)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.number - b.number)
    const page = list.slice(offset, offset + limit)
    send(200, {
      incidents: page.map(render),
      limit,
      offset,
      more: offset + limit < list.length,
      total: url.searchParams.get('total') === 'true' ? list.length : null,
    })
  }

  const self = (path: string) => `https://api.pagerduty.com${path}`
  const web = (path: string) => `https://acme.pagerduty.com${path}`

  function render(i: FakePagerDutyIncident) {
    const lastChange = i.resolvedAt ?? (i.status === 'acknowledged' ? i.acknowledgedAt : null) ?? i.createdAt
    return {
      id: i.id,
      type: 'incident',
      summary: `[#${i.number}] ${i.title}`,
      self: self(`/incidents/${i.id}`),
      html_url: web(`/incidents/${i.id}`),
      incident_number: i.number,
      title: i.title,
      description: i.description ?? i.title,
      created_at: i.createdAt,
      updated_at: lastChange,
      status: i.status,
      incident_key: `key-${i.id}`,
      service: {
        id: i.serviceId,
        type: 'service_reference',
        summary: `Service ${i.serviceId}`,
        self: self(`/services/${i.serviceId}`),
        html_url: web(`/service-directory/${i.serviceId}`),
      },
      assignments:
        i.status === 'resolved'
          ? []
          : [
              {
                at: i.createdAt,
                assignee: {
                  id: 'PUSER01',
                  type: 'user_reference',
                  summary: 'Ada',
                  self: self('/users/PUSER01'),
                  html_url: web('/users/PUSER01'),
                },
              },
            ],
      // PagerDuty lists the current acknowledgements only while the incident is acknowledged
      acknowledgements:
        i.status === 'acknowledged' && i.acknowledgedAt
          ? [
              {
                at: i.acknowledgedAt,
                acknowledger: {
                  id: 'PUSER01',
                  type: 'user_reference',
                  summary: 'Ada',
                  self: self('/users/PUSER01'),
                  html_url: web('/users/PUSER01'),
                },
              },
            ]
          : [],
      last_status_change_at: lastChange,
      last_status_change_by: {
        id: i.serviceId,
        type: 'service_reference',
        summary: `Service ${i.serviceId}`,
        self: self(`/services/${i.serviceId}`),
        html_url: web(`/service-directory/${i.serviceId}`),
      },
      first_trigger_log_entry: {
        id: `R${i.id}T`,
        type: 'trigger_log_entry_reference',
        summary: 'Triggered through the API',
        self: self(`/log_entries/R${i.id}T`),
        html_url: web(`/incidents/${i.id}/log_entries/R${i.id}T`),
      },
      escalation_policy: {
        id: 'PESC01',
        type: 'escalation_policy_reference',
        summary: 'Default',
        self: self('/escalation_policies/PESC01'),
        html_url: web('/escalation_policies/PESC01'),
      },
      teams: [
        {
          id: 'PTEAM01',
          type: 'team_reference',
          summary: 'Engineering',
          self: self('/teams/PTEAM01'),
          html_url: web('/teams/PTEAM01'),
        },
      ],
      priority: i.priority
        ? {
            id: `PPRI${i.priority}`,
            type: 'priority_reference',
            summary: i.priority,
            self: self(`/priorities/PPRI${i.priority}`),
          }
        : null,
      urgency: i.urgency,
      resolved_at: i.resolvedAt,
      resolve_reason: null,
      alert_counts: { all: 1, triggered: i.status === 'resolved' ? 0 : 1, resolved: i.status === 'resolved' ? 1 : 0 },
      pending_actions: [],
      is_mergeable: true,
      conference_bridge: null,
    }
  }

  function logEntries(i: FakePagerDutyIncident) {
    const entry = (type: string, at: string, suffix: string) => ({
      id: `R${i.id}${suffix}`,
      type,
      summary: type.replace(/_log_entry$/, ''),
      self: self(`/log_entries/R${i.id}${suffix}`),
      html_url: web(`/incidents/${i.id}/log_entries/R${i.id}${suffix}`),
      created_at: at,
      agent: { id: 'PUSER01', type: 'user_reference', summary: 'Ada' },
      channel: { type: 'api' },
      incident: { id: i.id, type: 'incident_reference' },
      service: { id: i.serviceId, type: 'service_reference' },
      teams: [],
      contexts: [],
    })
    const entries = [entry('trigger_log_entry', i.createdAt, 'T')]
    if (i.acknowledgedAt) {
      entries.push(entry('acknowledge_log_entry', i.acknowledgedAt, 'A'))
      // a second acknowledgement later on (after an unacknowledge): the first one counts
      entries.push(
        entry('acknowledge_log_entry', new Date(Date.parse(i.acknowledgedAt) + 5 * 60_000).toISOString(), 'A2'),
      )
    }
    if (i.resolvedAt) entries.push(entry('resolve_log_entry', i.resolvedAt, 'R'))
    // newest first
    return entries.sort((a, b) => b.created_at.localeCompare(a.created_at))
  }

  Object.assign(fake, await scripted.listen(server))
  return fake
}

/**
 * `count` deterministic incidents of one service, one every `everyMinutes` from `start`: every fourth is still
 * triggered, every fourth acknowledged, the rest resolved (half of those acknowledged first); priorities cycle
 * P1..P3 and none, urgencies high and low.
 */
export function fakeIncidents(options: {
  serviceId: string
  count: number
  start: string
  everyMinutes?: number
  firstNumber?: number
  prefix?: string
  status?: FakePagerDutyIncident['status']
}): FakePagerDutyIncident[] {
  const start = Date.parse(options.start)
  const every = (options.everyMinutes ?? 7 * 60) * 60_000
  const first = options.firstNumber ?? 1
  return Array.from({ length: options.count }, (_, i) => {
    const created = start + i * every
    const kind = options.status ?? (['triggered', 'acknowledged', 'resolved', 'resolved'] as const)[i % 4]
    const acknowledged = kind === 'acknowledged' || (kind === 'resolved' && i % 8 === 2)
    return {
      id: `${options.prefix ?? 'P'}${options.serviceId.slice(-2)}${String(first + i).padStart(5, '0')}`,
      number: first + i,
      serviceId: options.serviceId,
      title: `Incident ${first + i} on ${options.serviceId}`,
      status: kind as FakePagerDutyIncident['status'],
      urgency: i % 3 === 0 ? 'low' : 'high',
      priority: [null, 'P1', 'P2', 'P3'][i % 4] ?? null,
      createdAt: new Date(created).toISOString().replace('.000Z', 'Z'),
      acknowledgedAt: acknowledged ? new Date(created + 4 * 60_000).toISOString().replace('.000Z', 'Z') : null,
      resolvedAt: kind === 'resolved' ? new Date(created + 47 * 60_000).toISOString().replace('.000Z', 'Z') : null,
    }
  })
}
