// A fake Opsgenie Incident API on 127.0.0.1 that answers the way api.opsgenie.com does, for the requests
// Upshot makes: GET /v1/incidents (a search query on impactedServices or status, offset paging with limit ≤ 100,
// sort and order, paging.next while there is more, the BaseResponse envelope with took and requestId) and
// GET /v1/incidents/{id}/logs. It checks the GenieKey authorization and sends X-Request-ID and X-Response-Time
// on every answer. Faults are scripted per request (429 with or without X-RateLimit-State: THROTTLED and
// X-RateLimit-Period-In-Sec, 5xx, a hang, malformed JSON). Every request is logged with its query.
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import { faults as scriptedFaults, type Fault } from './server'

export interface FakeOpsgenieIncident {
  id: string
  tinyId: string
  serviceId: string
  message: string
  description?: string
  status: 'open' | 'resolved' | 'closed'
  priority: 'P1' | 'P2' | 'P3' | 'P4' | 'P5'
  createdAt: string
  updatedAt: string
  /** When it was resolved (its log says so); null while open. */
  resolvedAt: string | null
  /** Whether the incident's answer carries impactEndDate once resolved (default true). */
  reportsImpactEnd?: boolean
  extraProperties?: Record<string, string>
}

export interface FakeOpsgenie {
  url: string
  apiKey: string
  incidents: FakeOpsgenieIncident[]
  log: { method: string; path: string; query: URLSearchParams; status: number }[]
  faults: Fault[]
  close(): Promise<void>
}

export async function startFakeOpsgenie(
  setup: { incidents?: FakeOpsgenieIncident[]; apiKey?: string } = {},
): Promise<FakeOpsgenie> {
  const fake: FakeOpsgenie = {
    url: '',
    apiKey: setup.apiKey ?? 'eb243592-faa2-4ba2-a551-1afdf565c889',
    incidents: setup.incidents ?? [],
    log: [],
    faults: [],
    close: async () => {},
  }
  const scripted = scriptedFaults()

  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const started = process.hrtime.bigint()
      const url = new URL(req.url ?? '/', 'http://fake')
      const signature = `${req.method} ${url.pathname}${url.search ? `?${decodeURIComponent(url.search.slice(1).replace(/\+/g, ' '))}` : ''}`
      const entry: FakeOpsgenie['log'][number] = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        status: 0,
      }
      fake.log.push(entry)
      const requestId = randomUUID()
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        entry.status = status
        const took = Number(process.hrtime.bigint() - started) / 1e9
        res.writeHead(status, {
          'content-type': 'application/json;charset=UTF-8',
          'x-request-id': requestId,
          'x-response-time': took.toFixed(3),
          ...headers,
        })
        res.end(
          JSON.stringify(
            data && typeof data === 'object' && !Array.isArray(data)
              ? { ...data, took: Number(took.toFixed(3)), requestId }
              : data,
          ),
        )
      }
      if (req.headers.authorization !== `GenieKey ${fake.apiKey}`) {
        send(401, { message: 'Could not authenticate' })
        return
      }
      const fault = scripted.due(fake.faults, signature)
      if (fault) {
        if (
          scripted.answerBroken(res, entry, fault, {
            contentType: 'application/json;charset=UTF-8',
            body: '{"data":[{"id":"8743a1b2-11da-480e-8493-744660987bef","tinyId":"1","mess',
          })
        )
          return
        if (fault.answer.kind !== 'status') return
        send(fault.answer.status, fault.answer.body ?? { message: 'fault' }, fault.answer.headers)
        return
      }
      try {
        route(url, send)
      } catch (error) {
        send(500, { message: (error as Error).message })
      }
    })
  })

  const web = (id: string) => `https://acme.app.opsgenie.com/incident/detail/${id}`

  function render(i: FakeOpsgenieIncident) {
    const resolved = i.status !== 'open'
    return {
      id: i.id,
      description: i.description ?? '',
      impactedServices: [i.serviceId],
      tinyId: i.tinyId,
      message: i.message,
      status: i.status,
      tags: [],
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
      priority: i.priority,
      ownerTeam: '',
      responders: [{ type: 'team', id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeee0012' }],
      extraProperties: i.extraProperties ?? {},
      links: { web: web(i.id), api: `https://api.opsgenie.com/v1/incidents/${i.id}` },
      impactStartDate: i.createdAt,
      ...(resolved && i.resolvedAt && i.reportsImpactEnd !== false ? { impactEndDate: i.resolvedAt } : {}),
      actions: [],
    }
  }

  function route(url: URL, send: (status: number, data: unknown, headers?: Record<string, string>) => void) {
    if (url.pathname === '/v1/incidents') {
      const query = url.searchParams.get('query')
      if (!query) return send(422, { message: 'Query is required' })
      const term = query.match(/^\s*(impactedServices|status)\s*:\s*"?([\w-]+)"?\s*$/)
      if (!term) return send(422, { message: `Invalid query: ${query}` })
      const [, field, value] = term
      const limit = Number(url.searchParams.get('limit') ?? 20)
      const offset = Number(url.searchParams.get('offset') ?? 0)
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        return send(422, { message: 'limit must be between 1 and 100' })
      const sort = url.searchParams.get('sort') ?? 'createdAt'
      const order = url.searchParams.get('order') ?? 'desc'
      if (sort !== 'createdAt') return send(422, { message: 'the fake sorts by createdAt only' })
      const list = fake.incidents
        .filter((i) => (field === 'status' ? i.status === value : i.serviceId === value))
        .sort(
          (a, b) =>
            (order === 'asc' ? 1 : -1) *
            (a.createdAt.localeCompare(b.createdAt) || Number(a.tinyId) - Number(b.tinyId)),
        )
      const page = list.slice(offset, offset + limit)
      const link = (at: number) => {
        const next = new URL(`${fake.url}/v1/incidents`)
        next.search = new URLSearchParams({ query, offset: String(at), limit: String(limit), sort, order }).toString()
        return next.toString()
      }
      const paging: Record<string, string> = {
        first: link(0),
        last: link(Math.max(0, Math.floor((list.length - 1) / limit) * limit)),
      }
      if (offset + limit < list.length) paging.next = link(offset + limit)
      if (offset > 0) paging.prev = link(Math.max(0, offset - limit))
      return send(
        200,
        { data: page.map(render), paging },
        Object.fromEntries(Object.entries(paging).map(([key, value]) => [`x-paging-${key}`, value])),
      )
    }
    const match = url.pathname.match(/^\/v1\/incidents\/([^/]+)\/logs$/)
    if (match) {
      const incident = fake.incidents.find((i) => i.id === decodeURIComponent(match[1] ?? ''))
      if (!incident) return send(404, { message: 'Incident with id [' + match[1] + '] does not exist' })
      const logs = [
        {
          log: `Incident created with message ${incident.message}`,
          type: 'system',
          owner: 'System',
          createdAt: incident.createdAt,
          offset: '1',
        },
      ]
      logs.push({
        log: 'Added responder team [payments]',
        type: 'system',
        owner: 'System',
        createdAt: incident.createdAt,
        offset: '2',
      })
      if (incident.resolvedAt)
        logs.push({
          log: 'Incident resolved by ada@acme.example',
          type: 'system',
          owner: 'ada@acme.example',
          createdAt: incident.resolvedAt,
          offset: '3',
        })
      if (incident.status === 'closed')
        logs.push({
          log: 'Incident closed by ada@acme.example',
          type: 'system',
          owner: 'ada@acme.example',
          createdAt: incident.updatedAt,
          offset: '4',
        })
      const ordered = url.searchParams.get('order') === 'asc' ? logs : [...logs].reverse()
      return send(200, { data: ordered, paging: {} })
    }
    send(404, { message: 'Not Found' })
  }

  Object.assign(fake, await scripted.listen(server))
  return fake
}

/**
 * `count` deterministic incidents of one service, one every `everyMinutes` from `start`: every third is still
 * open, the rest resolved 52 minutes after opening (every sixth of all then closed an hour later); priorities
 * cycle P1..P5.
 */
export function fakeOpsgenieIncidents(options: {
  serviceId: string
  count: number
  start: string
  everyMinutes?: number
  firstTinyId?: number
  status?: FakeOpsgenieIncident['status']
}): FakeOpsgenieIncident[] {
  const start = Date.parse(options.start)
  const every = (options.everyMinutes ?? 9 * 60) * 60_000
  const first = options.firstTinyId ?? 1
  const iso = (ms: number) => new Date(ms).toISOString()
  return Array.from({ length: options.count }, (_, i) => {
    const created = start + i * every
    const status = options.status ?? (i % 3 === 0 ? 'open' : i % 6 === 5 ? 'closed' : 'resolved')
    const resolved = status === 'open' ? null : created + 52 * 60_000
    const tiny = first + i
    return {
      id: `${options.serviceId.slice(0, 8)}-0000-4000-8000-${String(tiny).padStart(12, '0')}`,
      tinyId: String(tiny),
      serviceId: options.serviceId,
      message: `Incident ${tiny} on ${options.serviceId.slice(0, 8)}`,
      status,
      priority: (['P1', 'P2', 'P3', 'P4', 'P5'] as const)[i % 5] ?? 'P3',
      createdAt: iso(created),
      updatedAt: iso(status === 'closed' ? created + 112 * 60_000 : (resolved ?? created + 60_000)),
      resolvedAt: resolved === null ? null : iso(resolved),
    }
  })
}
