// A fake Backstage backend on 127.0.0.1 that answers the way a real one does for the requests Upshot makes:
// the catalog's GET /api/catalog/entities/by-query (repeatable `filter`, `fields`, `limit`, an opaque cursor
// that carries the filter, so a later page ignores any filter sent with it; items ordered by uid; totalItems
// and pageInfo) and the scaffolder's GET /api/scaffolder/v2/tasks (limit, offset, order, createdBy, status;
// tasks with their secrets, as the real list returns them). A static token is required when one is set;
// errors come in Backstage's error shape. Faults are scripted per request (a status with headers, a hang,
// malformed JSON). Every request is logged.
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import { faults as scriptedFaults, type Fault } from './server'

export interface FakeEntity {
  apiVersion: string
  kind: string
  metadata: {
    uid: string
    etag: string
    name: string
    namespace: string
    title?: string
    annotations: Record<string, string>
    tags: string[]
  }
  spec: Record<string, unknown>
  relations: { type: string; targetRef: string }[]
}

export interface FakeTask {
  id: string
  spec: {
    apiVersion: string
    templateInfo?: { entityRef: string; baseUrl?: string }
    user?: { ref: string; entity?: Record<string, unknown> }
    parameters: Record<string, unknown>
    steps: { id: string; name: string; action: string; input?: Record<string, unknown> }[]
    output: Record<string, unknown>
  }
  status: 'open' | 'processing' | 'completed' | 'failed' | 'cancelled' | 'skipped'
  createdAt: string
  lastHeartbeatAt?: string
  createdBy?: string
  secrets?: Record<string, string>
}

export interface FakeBackstage {
  url: string
  /** The static external access token it requires (null: none). */
  token: string | null
  entities: FakeEntity[]
  tasks: FakeTask[]
  log: { method: string; path: string; params: URLSearchParams; status: number }[]
  faults: Fault[]
  close(): Promise<void>
}

/** A Component entity as the catalog serves it (relations computed from spec.owner, as the catalog does). */
export function fakeComponent(input: {
  name: string
  namespace?: string
  owner?: string | null
  /** false: no ownedBy relation (an older payload), so only spec.owner says who owns it. */
  relations?: boolean
  lifecycle?: string
  docs?: boolean
  template?: string | null
  repository?: string | null
  uid?: string
}): FakeEntity {
  const namespace = input.namespace ?? 'default'
  const owner = input.owner === undefined ? 'group:default/payments' : input.owner
  const annotations: Record<string, string> = {
    'backstage.io/managed-by-location': `url:https://github.com/acme/${input.name}/blob/main/catalog-info.yaml`,
  }
  if (input.docs) annotations['backstage.io/techdocs-ref'] = 'dir:.'
  if (input.template) annotations['backstage.io/source-template'] = input.template
  if (input.repository) {
    annotations['github.com/project-slug'] = input.repository
    annotations['backstage.io/source-location'] = `url:https://github.com/${input.repository}/`
  }
  const ownerRef = owner === null ? null : owner.includes(':') ? owner : `group:${namespace}/${owner}`
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      uid: input.uid ?? randomUUID(),
      etag: randomUUID().slice(0, 8),
      name: input.name,
      namespace,
      title: input.name.replace(/-/g, ' '),
      annotations,
      tags: [],
    },
    spec: {
      type: 'service',
      lifecycle: input.lifecycle ?? 'production',
      ...(owner === null ? {} : { owner }),
      system: 'shop',
    },
    relations: [
      ...(ownerRef && input.relations !== false ? [{ type: 'ownedBy', targetRef: ownerRef }] : []),
      { type: 'partOf', targetRef: 'system:default/shop' },
    ],
  }
}

/** A scaffolder task as GET /v2/tasks lists it, secrets included. */
export function fakeTask(input: {
  id?: string
  template: string
  user: string
  name: string
  status: FakeTask['status']
  createdAt: Date
  durationMs?: number
}): FakeTask {
  const finished = new Date(input.createdAt.getTime() + (input.durationMs ?? 90_000)).toISOString()
  return {
    id: input.id ?? randomUUID(),
    spec: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      templateInfo: { entityRef: input.template, baseUrl: 'https://github.com/acme/templates/blob/main/' },
      user: { ref: input.user, entity: { metadata: { name: input.user.split('/').pop() } } },
      parameters: {
        name: input.name,
        owner: 'group:default/payments',
        repoUrl: `github.com?owner=acme&repo=${input.name}`,
        apiKey: 'parameter-secret-do-not-store',
      },
      steps: [
        { id: 'fetch', name: 'Fetch', action: 'fetch:template' },
        { id: 'publish', name: 'Publish', action: 'publish:github' },
        { id: 'register', name: 'Register', action: 'catalog:register' },
      ],
      output: {
        links: [{ title: 'Open in catalog', icon: 'catalog', entityRef: '${{ steps.register.output.entityRef }}' }],
      },
    },
    status: input.status,
    createdAt: input.createdAt.toISOString(),
    lastHeartbeatAt: input.status === 'open' ? undefined : finished,
    createdBy: input.user,
    secrets: { backstageToken: 'eyJ-secret-user-token-do-not-store' },
  }
}

export async function startFakeBackstage(
  setup: { entities?: FakeEntity[]; tasks?: FakeTask[]; token?: string | null } = {},
): Promise<FakeBackstage> {
  const fake: FakeBackstage = {
    url: '',
    token: setup.token === undefined ? 'upshot-static-token-0123456789' : setup.token,
    entities: setup.entities ?? [],
    tasks: setup.tasks ?? [],
    log: [],
    faults: [],
    close: async () => {},
  }
  const scripted = scriptedFaults()

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const signature = `${req.method} ${url.pathname}`
    const entry: FakeBackstage['log'][number] = {
      method: req.method ?? 'GET',
      path: url.pathname,
      params: url.searchParams,
      status: 0,
    }
    fake.log.push(entry)
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      entry.status = status
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      res.end(JSON.stringify(data))
    }
    const error = (status: number, name: string, message: string, headers: Record<string, string> = {}) =>
      send(
        status,
        { error: { name, message }, request: { method: req.method, url: req.url }, response: { statusCode: status } },
        headers,
      )

    if (fake.token !== null && req.headers.authorization !== `Bearer ${fake.token}`) {
      return error(401, 'AuthenticationError', req.headers.authorization ? 'Illegal token' : 'Missing credentials')
    }
    const fault = scripted.due(fake.faults, signature)
    if (
      fault &&
      scripted.answerBroken(res, entry, fault, {
        contentType: 'application/json; charset=utf-8',
        body: '{"items": [{"kind": "Component", "metadata": ',
      })
    )
      return
    if (fault?.answer.kind === 'status') {
      if (fault.answer.body !== undefined) return send(fault.answer.status, fault.answer.body, fault.answer.headers)
      return error(
        fault.answer.status,
        fault.answer.status === 429 ? 'TooManyRequests' : 'Error',
        'scripted fault',
        fault.answer.headers,
      )
    }
    if (req.method === 'GET' && url.pathname === '/api/catalog/entities/by-query')
      return byQuery(url.searchParams, send, error)
    if (req.method === 'GET' && url.pathname === '/api/scaffolder/v2/tasks')
      return listTasks(url.searchParams, send, error)
    error(404, 'NotFoundError', `No route for ${signature}`)
  })

  type Send = (status: number, data: unknown, headers?: Record<string, string>) => void
  type Fail = (status: number, name: string, message: string) => void

  /** `filter` params: each is `key=value,key=value` (AND); several params are OR; keys and values without regard to case. */
  function matches(entity: FakeEntity, filters: string[]): boolean {
    if (filters.length === 0) return true
    return filters.some((filter) =>
      filter.split(',').every((condition) => {
        const [key = '', value] = condition.split('=')
        const actual = valueAt(entity, key.trim())
        if (value === undefined) return actual !== undefined
        return typeof actual === 'string' && actual.toLowerCase() === value.trim().toLowerCase()
      }),
    )
  }

  function byQuery(params: URLSearchParams, send: Send, fail: Fail) {
    const limit = Number(params.get('limit') ?? 20)
    if (!Number.isInteger(limit) || limit < 0) return fail(400, 'InputError', 'Invalid limit')
    let state: { filters: string[]; after: string | null; totalItems: number }
    const cursor = params.get('cursor')
    if (cursor) {
      try {
        state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof state
        if (!Array.isArray(state.filters)) throw new Error('bad cursor')
      } catch {
        return fail(400, 'InputError', 'Malformed cursor')
      }
    } else {
      state = { filters: params.getAll('filter'), after: null, totalItems: 0 }
    }
    const all = fake.entities
      .filter((entity) => matches(entity, state.filters))
      .sort((a, b) => a.metadata.uid.localeCompare(b.metadata.uid))
    const rest = state.after === null ? all : all.filter((entity) => entity.metadata.uid > (state.after as string))
    const page = rest.slice(0, limit)
    const last = page.at(-1)
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const pageInfo: { nextCursor?: string; prevCursor?: string } = {}
    if (rest.length > page.length && last)
      pageInfo.nextCursor = encode({ filters: state.filters, after: last.metadata.uid, totalItems: all.length })
    if (state.after !== null)
      pageInfo.prevCursor = encode({
        filters: state.filters,
        before: page[0]?.metadata.uid ?? null,
        totalItems: all.length,
      })
    const fields =
      params
        .get('fields')
        ?.split(',')
        .map((field) => field.trim())
        .filter(Boolean) ?? []
    send(200, { items: page.map((entity) => project(entity, fields)), totalItems: all.length, pageInfo })
  }

  function listTasks(params: URLSearchParams, send: Send, fail: Fail) {
    const orders = params.getAll('order').map((order) => order.split(':'))
    for (const [direction, field] of orders) {
      if (!['asc', 'desc'].includes(direction ?? '') || !['created_at', 'status', 'created_by'].includes(field ?? ''))
        return fail(400, 'InputError', `Invalid order ${direction}:${field}`)
    }
    const createdBy = params.getAll('createdBy')
    const statuses = params.getAll('status')
    const desc = orders[0]?.[0] === 'desc'
    const list = fake.tasks
      .filter(
        (task) =>
          (createdBy.length === 0 || createdBy.includes(task.createdBy ?? '')) &&
          (statuses.length === 0 || statuses.includes(task.status)),
      )
      .sort((a, b) =>
        desc
          ? b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)
          : a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
      )
    const offset = Number(params.get('offset') ?? 0)
    const limit = params.has('limit') ? Number(params.get('limit')) : list.length
    send(200, { tasks: list.slice(offset, offset + limit), totalTasks: list.length })
  }

  Object.assign(fake, await scripted.listen(server))
  return fake
}

function valueAt(entity: FakeEntity, path: string): unknown {
  let value: unknown = entity
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    const key = Object.keys(value).find((candidate) => candidate.toLowerCase() === part.toLowerCase())
    value = key === undefined ? undefined : (value as Record<string, unknown>)[key]
  }
  return value
}

/** The entity with only the `fields` JSON paths (all of it when none are asked for). */
function project(entity: FakeEntity, fields: string[]): unknown {
  if (fields.length === 0) return entity
  const out: Record<string, unknown> = {}
  for (const field of fields) {
    const value = valueAt(entity, field)
    if (value === undefined) continue
    const parts = field.split('.')
    let target = out
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>
    target[parts.at(-1) as string] = structuredClone(value)
  }
  return out
}
