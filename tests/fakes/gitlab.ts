// A fake GitLab REST API v4 on 127.0.0.1 that answers the way gitlab.com does, for the requests Upshot makes:
// groups (by id or URL-encoded path), descendant groups, members, a group's projects (include_subgroups), a
// project's merge requests with their commits and notes, deployments and the merge requests each shipped,
// and issues of type incident. Listings filter by updated_after / updated_before (both inclusive), order by
// updated_at, and page the way GitLab documents offset pagination: `page` and `per_page` (default 20, at most
// 100), with X-Page, X-Per-Page, X-Total, X-Total-Pages, X-Next-Page and X-Prev-Page (empty when there is none)
// and a Link header. Every answer carries RateLimit-Limit, RateLimit-Observed, RateLimit-Remaining and
// RateLimit-Reset (epoch seconds). The token is checked (PRIVATE-TOKEN or Authorization: Bearer): anything
// else is 401 {"message":"401 Unauthorized"}. Faults are scripted per request (429 with Retry-After, 5xx, a
// hang, malformed JSON). Every request is logged.
import http from 'node:http'
import { faults as scriptedFaults, type Fault } from './server'

export interface FakeGroup {
  id: number
  name: string
  path: string
  fullPath: string
  parentId: number | null
  members: { username: string; bot?: boolean }[]
}

export interface FakeProject {
  id: number
  path: string
  /** The full path of the group it is in. */
  namespace: string
  namespaceId: number
  createdAt: string
}

export interface FakeNote {
  id: number
  author: string
  body: string
  system: boolean
  createdAt: string
}

export interface FakeMergeRequest {
  id: number
  iid: number
  projectId: number
  title: string
  author: string
  authorIsBot: boolean
  state: 'opened' | 'closed' | 'merged'
  createdAt: string
  updatedAt: string
  mergedAt: string | null
  closedAt: string | null
  sourceBranch: string
  sha: string
  mergeCommitSha: string | null
  squashCommitSha: string | null
  draft: boolean
  commits: { id: string; authoredAt: string }[]
  notes: FakeNote[]
}

export interface FakeDeployment {
  id: number
  iid: number
  projectId: number
  environment: string
  tier: string | null
  status: 'success' | 'failed' | 'canceled' | 'running' | 'created'
  sha: string
  ref: string
  createdAt: string
  updatedAt: string
  finishedAt: string | null
  /** The merge requests GitLab records it shipped (ids). */
  mergeRequestIds: number[]
  /** A redeploy of an earlier deployment's commit. */
  rollback: boolean
}

export interface FakeIncident {
  id: number
  iid: number
  projectId: number
  title: string
  state: 'opened' | 'closed'
  createdAt: string
  updatedAt: string
  closedAt: string | null
  labels: string[]
  severity: string | null
}

export interface FakeGitLabData {
  groups: FakeGroup[]
  projects: FakeProject[]
  mergeRequests: FakeMergeRequest[]
  deployments: FakeDeployment[]
  incidents: FakeIncident[]
}

export interface FakeGitLab extends FakeGitLabData {
  url: string
  token: string
  /** Requests left in the rate-limit window; the answer that spends the last says RateLimit-Remaining: 0, then the window resets. */
  remaining: number
  /** When the current window resets (epoch seconds). */
  resetAt: number
  log: {
    method: string
    path: string
    query: URLSearchParams
    status: number
    auth: 'private-token' | 'bearer' | 'none'
  }[]
  faults: Fault[]
  close(): Promise<void>
}

const RATE_LIMIT = 2000

export async function startFakeGitLab(setup: FakeGitLabData & { token?: string }): Promise<FakeGitLab> {
  const fake: FakeGitLab = {
    ...setup,
    url: '',
    token: setup.token ?? 'glpat-fake-gitlab-token-for-tests',
    remaining: RATE_LIMIT,
    resetAt: Math.floor(Date.now() / 1000) + 60,
    log: [],
    faults: [],
    close: async () => {},
  }
  const scripted = scriptedFaults()
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const signature = `${req.method} ${url.pathname}`
      const entry: FakeGitLab['log'][number] = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        status: 0,
        auth: req.headers['private-token'] ? 'private-token' : req.headers.authorization ? 'bearer' : 'none',
      }
      fake.log.push(entry)
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        entry.status = status
        fake.remaining = Math.max(0, fake.remaining - 1)
        const rateLimit = {
          'ratelimit-limit': String(RATE_LIMIT),
          'ratelimit-observed': String(RATE_LIMIT - fake.remaining),
          'ratelimit-remaining': String(fake.remaining),
          'ratelimit-reset': String(fake.resetAt),
          'ratelimit-resettime': new Date(fake.resetAt * 1000).toUTCString(),
        }
        // the window the last request was spent in resets: the client was told when
        if (fake.remaining === 0) {
          fake.remaining = RATE_LIMIT
          fake.resetAt += 60
        }
        res.writeHead(status, { 'content-type': 'application/json', ...rateLimit, ...headers })
        res.end(JSON.stringify(data))
      }
      const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, '')
      if (req.headers['private-token'] !== fake.token && bearer !== fake.token) {
        send(401, { message: '401 Unauthorized' })
        return
      }
      const fault = scripted.due(fake.faults, signature)
      if (fault) {
        if (scripted.answerBroken(res, entry, fault, { contentType: 'application/json', body: '[{"id": 1, "iid": ' }))
          return
        if (fault.answer.kind !== 'status') return
        send(fault.answer.status, fault.answer.body ?? { message: `${fault.answer.status}` }, fault.answer.headers)
        return
      }
      if (req.method !== 'GET') return send(405, { message: '405 Method Not Allowed' })
      try {
        route(url, send)
      } catch (error) {
        send(500, { message: `500 Internal Server Error: ${(error as Error).message}` })
      }
    })
  })

  type Send = (status: number, data: unknown, headers?: Record<string, string>) => void
  const notFound = (send: Send, what: string) => send(404, { message: `404 ${what} Not Found` })

  function route(url: URL, send: Send) {
    const parts = url.pathname
      .replace(/^\/api\/v4\//, '')
      .split('/')
      .map(decodeURIComponent)
    const [kind, id, sub, subId, leaf] = parts
    if (!url.pathname.startsWith('/api/v4/')) return notFound(send, 'Page')
    if (kind === 'groups' && id) {
      const group = fake.groups.find((g) => String(g.id) === id || g.fullPath === id)
      if (!group) return notFound(send, 'Group')
      if (!sub) return send(200, renderGroup(group))
      if (sub === 'descendant_groups') return list(url, send, descendants(group).map(renderGroup))
      if (sub === 'members') return list(url, send, group.members.map(renderUser))
      if (sub === 'projects') {
        const ids = new Set([
          group.id,
          ...(url.searchParams.get('include_subgroups') === 'true' ? descendants(group).map((g) => g.id) : []),
        ])
        return list(
          url,
          send,
          fake.projects
            .filter((p) => ids.has(p.namespaceId))
            .sort((a, b) => a.id - b.id)
            .map(renderProject),
        )
      }
      return notFound(send, 'Page')
    }
    if (kind === 'projects' && id) {
      const project = fake.projects.find((p) => String(p.id) === id || `${p.namespace}/${p.path}` === id)
      if (!project) return notFound(send, 'Project')
      if (sub === 'merge_requests' && !subId) {
        const state = url.searchParams.get('state') ?? 'all'
        const rows = updatedWindow(
          url,
          fake.mergeRequests.filter((mr) => mr.projectId === project.id && (state === 'all' || mr.state === state)),
        )
        return list(url, send, rows.map(renderMergeRequest))
      }
      if (sub === 'merge_requests' && subId) {
        const mr = fake.mergeRequests.find((m) => m.projectId === project.id && String(m.iid) === subId)
        if (!mr) return notFound(send, 'Merge Request')
        if (leaf === 'commits')
          // newest first, as GitLab lists them
          return list(
            url,
            send,
            [...mr.commits].reverse().map((c) => ({
              id: c.id,
              short_id: c.id.slice(0, 8),
              title: `Work on ${mr.title}`,
              author_name: mr.author,
              authored_date: c.authoredAt,
              committed_date: c.authoredAt,
              created_at: c.authoredAt,
            })),
          )
        if (leaf === 'notes') {
          const sort = url.searchParams.get('sort') === 'asc' ? 1 : -1
          const notes = [...mr.notes].sort(
            (a, b) => sort * (Date.parse(a.createdAt) - Date.parse(b.createdAt)) || a.id - b.id,
          )
          return list(
            url,
            send,
            notes.map((n) => ({
              id: n.id,
              body: n.body,
              author: renderUser({ username: n.author }),
              created_at: n.createdAt,
              updated_at: n.createdAt,
              system: n.system,
              noteable_type: 'MergeRequest',
              noteable_iid: mr.iid,
            })),
          )
        }
        return notFound(send, 'Page')
      }
      if (sub === 'deployments' && !subId) {
        const rows = updatedWindow(
          url,
          fake.deployments.filter((d) => d.projectId === project.id),
        )
        return list(url, send, rows.map(renderDeployment))
      }
      if (sub === 'deployments' && subId && leaf === 'merge_requests') {
        const deployment = fake.deployments.find((d) => d.projectId === project.id && String(d.id) === subId)
        if (!deployment) return notFound(send, 'Deployment')
        const rows = fake.mergeRequests.filter((mr) => deployment.mergeRequestIds.includes(mr.id))
        return list(url, send, rows.map(renderMergeRequest))
      }
      if (sub === 'issues' && !subId) {
        const type = url.searchParams.get('issue_type')
        const rows = updatedWindow(
          url,
          fake.incidents.filter((i) => i.projectId === project.id && (type === null || type === 'incident')),
        )
        return list(url, send, rows.map(renderIncident))
      }
    }
    notFound(send, 'Page')
  }

  function descendants(group: FakeGroup): FakeGroup[] {
    const children = fake.groups.filter((g) => g.parentId === group.id)
    return children.flatMap((child) => [child, ...descendants(child)])
  }

  /** updated_after / updated_before (inclusive), ordered by order_by and sort (GitLab's default: created_at desc). */
  function updatedWindow<T extends { updatedAt: string; createdAt: string; id: number }>(url: URL, rows: T[]): T[] {
    const after = url.searchParams.get('updated_after')
    const before = url.searchParams.get('updated_before')
    const orderBy = url.searchParams.get('order_by') === 'updated_at' ? 'updatedAt' : 'createdAt'
    const direction = url.searchParams.get('sort') === 'asc' ? 1 : -1
    return rows
      .filter(
        (row) =>
          (after === null || Date.parse(row.updatedAt) >= Date.parse(after)) &&
          (before === null || Date.parse(row.updatedAt) <= Date.parse(before)),
      )
      .sort((a, b) => direction * (Date.parse(a[orderBy]) - Date.parse(b[orderBy]) || a.id - b.id))
  }

  /** One page of `rows`, with GitLab's pagination headers. */
  function list(url: URL, send: Send, rows: unknown[]) {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 20) || 20))
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1)
    const totalPages = Math.max(1, Math.ceil(rows.length / perPage))
    const link = (p: number) => {
      const next = new URL(`${fake.url}${url.pathname}${url.search}`)
      next.searchParams.set('page', String(p))
      next.searchParams.set('per_page', String(perPage))
      return next.toString()
    }
    const links = [
      ...(page < totalPages ? [`<${link(page + 1)}>; rel="next"`] : []),
      ...(page > 1 ? [`<${link(page - 1)}>; rel="prev"`] : []),
      `<${link(1)}>; rel="first"`,
      `<${link(totalPages)}>; rel="last"`,
    ]
    send(200, rows.slice((page - 1) * perPage, page * perPage), {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-total': String(rows.length),
      'x-total-pages': String(totalPages),
      'x-next-page': page < totalPages ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
      link: links.join(', '),
    })
  }

  const renderUser = (user: { username: string; bot?: boolean }) => ({
    id: hash(user.username),
    username: user.username,
    name: user.username,
    state: 'active',
    bot: user.bot ?? false,
    web_url: `${fake.url}/${user.username}`,
    access_level: 20,
  })
  const renderGroup = (g: FakeGroup) => ({
    id: g.id,
    name: g.name,
    path: g.path,
    full_path: g.fullPath,
    full_name: g.name,
    parent_id: g.parentId,
    visibility: 'private',
    web_url: `${fake.url}/groups/${g.fullPath}`,
  })
  const renderProject = (p: FakeProject) => ({
    id: p.id,
    name: p.path,
    path: p.path,
    path_with_namespace: `${p.namespace}/${p.path}`,
    namespace: { id: p.namespaceId, kind: 'group', full_path: p.namespace, path: p.namespace.split('/').pop() },
    default_branch: 'main',
    archived: false,
    created_at: p.createdAt,
    web_url: `${fake.url}/${p.namespace}/${p.path}`,
  })
  const renderMergeRequest = (mr: FakeMergeRequest) => ({
    id: mr.id,
    iid: mr.iid,
    project_id: mr.projectId,
    title: mr.title,
    state: mr.state,
    created_at: mr.createdAt,
    updated_at: mr.updatedAt,
    merged_at: mr.mergedAt,
    closed_at: mr.closedAt,
    author: renderUser({ username: mr.author, bot: mr.authorIsBot }),
    draft: mr.draft,
    work_in_progress: mr.draft,
    source_branch: mr.sourceBranch,
    target_branch: 'main',
    sha: mr.sha,
    merge_commit_sha: mr.mergeCommitSha,
    squash_commit_sha: mr.squashCommitSha,
    web_url: `${fake.url}/-/merge_requests/${mr.iid}`,
  })
  const renderDeployment = (d: FakeDeployment) => ({
    id: d.id,
    iid: d.iid,
    ref: d.ref,
    sha: d.sha,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    status: d.status,
    user: renderUser({ username: 'deployer' }),
    environment: { id: hash(d.environment), name: d.environment, tier: d.tier, external_url: null },
    deployable: {
      id: d.id * 10,
      status: d.status,
      created_at: d.createdAt,
      started_at: d.createdAt,
      finished_at: d.finishedAt,
      commit: { id: d.sha, title: d.rollback ? 'Redeploy' : 'Deploy' },
    },
  })
  const renderIncident = (i: FakeIncident) => ({
    id: i.id,
    iid: i.iid,
    project_id: i.projectId,
    title: i.title,
    description: null,
    state: i.state,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    labels: i.labels,
    issue_type: 'incident',
    type: 'INCIDENT',
    severity: i.severity ?? 'UNKNOWN',
    web_url: `${fake.url}/-/issues/${i.iid}`,
  })

  const listening = await scripted.listen(server)
  fake.url = listening.url
  fake.close = listening.close
  return fake
}

function hash(text: string): number {
  let h = 7
  for (const char of text) h = (h * 31 + char.charCodeAt(0)) % 1_000_003
  return h
}

// The organisation ---------------------------------------------------------------------------------------

/** A seeded generator: the same organisation every time. */
function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HOUR = 3_600_000
const iso = (ms: number) => new Date(Math.round(ms / 1000) * 1000).toISOString()
const sha = (next: () => number) => Array.from({ length: 40 }, () => Math.floor(next() * 16).toString(16)).join('')

/**
 * Two top-level groups (payments with a subgroup payments/mobile, and search), five projects, and per project
 * `mergeRequests` merge requests (opened every few hours from `start`, most merged after review and approval,
 * some closed, some open, some by a bot or by a member of the other group), production and staging deployments
 * (some failed or canceled, some rollbacks; one project's production environment is named "prod" and has no
 * tier), and incidents (most resolved, with severity labels).
 */
export function fakeGitLabOrganisation({
  mergeRequests = 110,
  start = '2026-03-02T08:00:00Z',
  seed = 18,
}: { mergeRequests?: number; start?: string; seed?: number } = {}): FakeGitLabData {
  const next = random(seed)
  const between = (low: number, high: number) => low + next() * (high - low)
  const groups: FakeGroup[] = [
    {
      id: 10,
      name: 'Payments',
      path: 'payments',
      fullPath: 'payments',
      parentId: null,
      members: [
        { username: 'ada' },
        { username: 'ben' },
        { username: 'cleo' },
        { username: 'group_10_bot', bot: true },
      ],
    },
    {
      id: 11,
      name: 'Mobile',
      path: 'mobile',
      fullPath: 'payments/mobile',
      parentId: 10,
      members: [{ username: 'dev' }],
    },
    {
      id: 20,
      name: 'Search',
      path: 'search',
      fullPath: 'search',
      parentId: null,
      members: [{ username: 'eli' }, { username: 'fay' }],
    },
  ]
  const projects: FakeProject[] = [
    { id: 101, path: 'api', namespace: 'payments', namespaceId: 10, createdAt: '2025-06-01T00:00:00.000Z' },
    { id: 102, path: 'web', namespace: 'payments', namespaceId: 10, createdAt: '2025-06-02T00:00:00.000Z' },
    { id: 103, path: 'app', namespace: 'payments/mobile', namespaceId: 11, createdAt: '2025-06-03T00:00:00.000Z' },
    { id: 201, path: 'indexer', namespace: 'search', namespaceId: 20, createdAt: '2025-06-04T00:00:00.000Z' },
    { id: 202, path: 'ui', namespace: 'search', namespaceId: 20, createdAt: '2025-06-05T00:00:00.000Z' },
  ]
  const people = (groupId: number) =>
    (groups.find((g) => g.id === groupId)?.members ?? []).filter((m) => !m.bot).map((m) => m.username)
  const everyone = groups.flatMap((g) => g.members.filter((m) => !m.bot).map((m) => m.username))
  const out: FakeGitLabData = { groups, projects, mergeRequests: [], deployments: [], incidents: [] }
  let mrId = 5000
  let noteId = 90_000
  let deploymentId = 700
  let incidentId = 30_000
  const t0 = Date.parse(start)
  for (const [index, project] of projects.entries()) {
    const team = people(project.namespaceId)
    const mrs: FakeMergeRequest[] = []
    for (let i = 0; i < mergeRequests; i++) {
      const created = t0 + index * 1.3 * HOUR + i * 5 * HOUR + between(0, 3 * HOUR)
      const roll = next()
      const bot = roll < 0.05
      const author = bot
        ? 'renovate-bot'
        : roll < 0.15
          ? (everyone[Math.floor(next() * everyone.length)] as string)
          : (team[Math.floor(next() * team.length)] as string)
      const reviewer = (everyone.filter((p) => p !== author)[Math.floor(next() * (everyone.length - 1))] ??
        'ada') as string
      const firstCommit = created - between(0.5 * HOUR, 48 * HOUR)
      const commits = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, k) => ({
        id: sha(next),
        authoredAt: iso(k === 0 ? firstCommit : between(firstCommit, created)),
      }))
      const notes: FakeNote[] = [
        { id: noteId++, author, body: 'added 1 commit', system: true, createdAt: iso(created + 0.1 * HOUR) },
      ]
      let last = created + 0.1 * HOUR
      if (next() < 0.3)
        notes.push({
          id: noteId++,
          author,
          body: 'Ready for a look',
          system: false,
          createdAt: iso(created + 0.2 * HOUR),
        })
      const reviewed = next() < 0.85
      if (reviewed) {
        const at = created + between(0.3 * HOUR, 30 * HOUR)
        // a first review by comment, or straight by approval
        if (next() < 0.7)
          notes.push({
            id: noteId++,
            author: reviewer,
            body: 'Looks reasonable; one question.',
            system: false,
            createdAt: iso(at),
          })
        last = at
        if (next() < 0.8) {
          const approved = at + between(0, 10 * HOUR)
          notes.push({
            id: noteId++,
            author: reviewer,
            body: 'approved this merge request',
            system: true,
            createdAt: iso(approved),
          })
          last = approved
        }
      }
      // the author approving their own merge request is no review
      if (next() < 0.1)
        notes.push({
          id: noteId++,
          author,
          body: 'approved this merge request',
          system: true,
          createdAt: iso(created + 0.15 * HOUR),
        })
      const outcome = next()
      const state = outcome < 0.8 ? 'merged' : outcome < 0.9 ? 'closed' : 'opened'
      const ended = last + between(0.2 * HOUR, 20 * HOUR)
      const squash = next() < 0.25
      const mr: FakeMergeRequest = {
        id: mrId++,
        iid: i + 1,
        projectId: project.id,
        title: `Change ${i + 1} of ${project.path}`,
        author,
        authorIsBot: bot,
        state,
        createdAt: iso(created),
        updatedAt: iso(state === 'opened' ? last + 0.5 * HOUR : ended + 60_000),
        mergedAt: state === 'merged' ? iso(ended) : null,
        closedAt: state === 'closed' ? iso(ended) : null,
        sourceBranch: `feature/${project.path}-${i + 1}`,
        sha: commits.at(-1)?.id as string,
        mergeCommitSha: state === 'merged' && !squash ? sha(next) : null,
        squashCommitSha: state === 'merged' && squash ? sha(next) : null,
        draft: state === 'opened' && next() < 0.3,
        commits,
        notes,
      }
      mrs.push(mr)
    }
    out.mergeRequests.push(...mrs)
    // deployments: staging then production about every 20 hours, from the first merge to a day after the last
    const merged = mrs
      .filter((mr) => mr.mergedAt)
      .sort((a, b) => Date.parse(a.mergedAt as string) - Date.parse(b.mergedAt as string))
    const production = project.id === 202 ? { name: 'prod', tier: null } : { name: 'production', tier: 'production' }
    const successes: FakeDeployment[] = []
    let lastShipping: number | null = null
    let iid = 1
    const end = Date.parse(merged.at(-1)?.mergedAt as string) + 24 * HOUR
    for (let at = Date.parse(merged[0]?.mergedAt as string) + 2 * HOUR; at < end; at += between(14 * HOUR, 26 * HOUR)) {
      const head = merged.filter((mr) => Date.parse(mr.mergedAt as string) <= at).at(-1)
      const headSha = (head?.mergeCommitSha ?? head?.squashCommitSha ?? sha(next)) as string
      const staging = at - between(0.5 * HOUR, 1.5 * HOUR)
      out.deployments.push({
        id: deploymentId++,
        iid: iid++,
        projectId: project.id,
        environment: 'staging',
        tier: 'staging',
        status: 'success',
        sha: headSha,
        ref: 'main',
        createdAt: iso(staging),
        updatedAt: iso(staging + 600_000),
        finishedAt: iso(staging + 600_000),
        mergeRequestIds: [],
        rollback: false,
      })
      const roll = next()
      const rollback = roll < 0.08 && successes.length >= 2 && successes.at(-2)?.sha !== successes.at(-1)?.sha
      const status = rollback ? 'success' : roll < 0.85 ? 'success' : roll < 0.95 ? 'failed' : 'canceled'
      const finished = at + between(5 * 60_000, 25 * 60_000)
      const deployment: FakeDeployment = {
        id: deploymentId++,
        iid: iid++,
        projectId: project.id,
        environment: production.name,
        tier: production.tier,
        status,
        sha: rollback ? (successes.at(-2)?.sha as string) : headSha,
        ref: 'main',
        createdAt: iso(at),
        updatedAt: iso(status === 'canceled' ? at + 60_000 : finished),
        finishedAt: status === 'canceled' ? null : iso(finished),
        mergeRequestIds: [],
        rollback,
      }
      if (status === 'success' && !rollback) {
        // what GitLab records it shipped: the merges since the last deployment that shipped anything
        deployment.mergeRequestIds = merged
          .filter(
            (mr) =>
              Date.parse(mr.mergedAt as string) <= at &&
              (lastShipping === null || Date.parse(mr.mergedAt as string) > lastShipping),
          )
          .map((mr) => mr.id)
        lastShipping = at
      }
      if (status === 'success') successes.push(deployment)
      out.deployments.push(deployment)
    }
    // incidents: about every three days, most resolved within hours
    for (let at = t0 + 20 * HOUR + index * HOUR, iid = 1; at < end; at += between(40 * HOUR, 110 * HOUR), iid++) {
      const resolved = next() < 0.85
      const closed = at + between(10 * 60_000, 300 * 60_000)
      const severity = next()
      out.incidents.push({
        id: incidentId++,
        iid,
        projectId: project.id,
        title: `${project.path} is slow`,
        state: resolved ? 'closed' : 'opened',
        createdAt: iso(at),
        updatedAt: iso(resolved ? closed : at + 60_000),
        closedAt: resolved ? iso(closed) : null,
        labels: severity < 0.5 ? ['incident', `severity::${1 + Math.floor(next() * 4)}`] : ['incident'],
        severity: severity >= 0.5 && severity < 0.8 ? 'HIGH' : null,
      })
    }
  }
  return out
}
