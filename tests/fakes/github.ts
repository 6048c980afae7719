// A fake GitHub on 127.0.0.1 that answers the way api.github.com does, for the requests Upshot makes:
// REST (repositories, the pull-request probe, deployments and statuses, workflow runs, releases, compare,
// teams and members) with Link pagination, ETags and 304, rate-limit headers and a 301 for a renamed
// repository; GraphQL for the pull-request query (cursor paging, rateLimit cost). Faults are scripted per
// request (403 with or without retry-after, 429, 502, a hang, malformed JSON). Every request is logged.
import { createHash } from 'node:crypto'
import http from 'node:http'
import { faults as scriptedFaults, type Fault } from './server'

export interface FakePullRequest {
  id: string
  number: number
  title: string
  state: 'OPEN' | 'CLOSED' | 'MERGED'
  author: string
  createdAt: string
  updatedAt: string
  mergedAt: string | null
  closedAt: string | null
  firstCommitAt: string
  commits: number
  reviews: { state: string; submittedAt: string; author: string }[]
  mergeCommit: string | null
  additions: number
  deletions: number
  changedFiles: number
  headRefName: string
}

export interface FakeDeployment {
  id: number
  sha: string
  ref: string
  environment: string
  description?: string
  createdAt: string
  statuses: { state: string; createdAt: string }[]
}

export interface FakeRepository {
  id: number
  nodeId: string
  owner: string
  name: string
  /** The name it used to have: requests to it answer 301. */
  formerName?: string
  createdAt: string
  pullRequests: FakePullRequest[]
  deployments: FakeDeployment[]
  workflowRuns: Record<
    string,
    {
      id: number
      headSha: string
      headBranch: string
      conclusion: string
      createdAt: string
      updatedAt: string
      title: string
    }[]
  >
  releases: { id: number; tag: string; createdAt: string; publishedAt: string; sha: string }[]
  /** Commits in order, for compare. */
  commits: string[]
  issues: {
    number: number
    title: string
    body: string | null
    labels: string[]
    createdAt: string
    closedAt: string | null
    updatedAt: string
  }[]
}

export interface FakeGitHub {
  url: string
  token: string
  repositories: FakeRepository[]
  teams: { id: number; nodeId: string; slug: string; name: string; members: string[] }[]
  log: {
    method: string
    path: string
    status: number
    graphqlFirst?: number
    graphqlAfter?: string | null
    graphqlRepository?: string
    graphqlKind?: 'pullRequests' | 'deployments'
  }[]
  faults: Fault[]
  /** Rate-limit points left; 304 answers do not spend any. */
  remaining: number
  close(): Promise<void>
}

const PER_PAGE_DEFAULT = 30

export async function startFakeGitHub(
  setup: {
    repositories?: FakeRepository[]
    teams?: FakeGitHub['teams']
    token?: string
    /** 401 and fault answers repeat the request's Authorization header, as careless upstreams do. */ echoCredentials?: boolean
  } = {},
): Promise<FakeGitHub> {
  const fake: FakeGitHub = {
    url: '',
    token: setup.token ?? 'ghp_fake_token_for_tests_0123456789',
    repositories: setup.repositories ?? [],
    teams: setup.teams ?? [],
    log: [],
    faults: [],
    remaining: 5000,
    close: async () => {},
  }
  const scripted = scriptedFaults()

  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const signature = `${req.method} ${url.pathname}`
      const entry: FakeGitHub['log'][number] = {
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        status: 0,
      }
      fake.log.push(entry)
      if (url.pathname === '/graphql') {
        try {
          const { query, variables } = JSON.parse(body) as {
            query: string
            variables: { owner: string; name: string; first: number; after?: string | null }
          }
          Object.assign(entry, {
            graphqlFirst: variables.first,
            graphqlAfter: variables.after ?? null,
            graphqlRepository: `${variables.owner}/${variables.name}`,
            graphqlKind: /deployments\(/.test(query) ? 'deployments' : 'pullRequests',
          })
        } catch {
          // not ours to judge here: the route answers it
        }
      }
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        entry.status = status
        const spends = status !== 304
        if (spends) fake.remaining = Math.max(0, fake.remaining - 1)
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': String(fake.remaining),
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
          'x-ratelimit-used': String(5000 - fake.remaining),
          'x-ratelimit-resource': url.pathname === '/graphql' ? 'graphql' : 'core',
          ...headers,
        })
        res.end(status === 304 ? undefined : JSON.stringify(data))
      }

      if (req.headers.authorization !== `token ${fake.token}` && req.headers.authorization !== `bearer ${fake.token}`) {
        send(401, {
          message: setup.echoCredentials
            ? `Bad credentials: ${req.headers.authorization ?? 'none'}`
            : 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
        })
        return
      }
      const fault = scripted.due(fake.faults, signature)
      if (fault) {
        if (
          scripted.answerBroken(res, entry, fault, {
            contentType: 'application/json; charset=utf-8',
            body: '{"data": {"repository": ',
          })
        )
          return
        if (fault.answer.kind !== 'status') return
        const body = fault.answer.body ?? { message: 'fault' }
        send(
          fault.answer.status,
          setup.echoCredentials
            ? {
                ...(body as object),
                message: `${(body as { message?: string }).message} (request: authorization ${req.headers.authorization})`,
              }
            : body,
          fault.answer.headers,
        )
        return
      }
      try {
        route(req.method ?? 'GET', url, body, req.headers['if-none-match'], send)
      } catch (error) {
        send(500, { message: (error as Error).message })
      }
    })
  })

  const repoByName = (owner: string, name: string) =>
    fake.repositories.find((r) => r.owner === owner && r.name === name)

  function withEtag(
    send: (status: number, data: unknown, headers?: Record<string, string>) => void,
    data: unknown,
    ifNoneMatch: string | string[] | undefined,
    headers: Record<string, string> = {},
  ) {
    const etag = `"${createHash('sha1').update(JSON.stringify(data)).digest('hex')}"`
    if (ifNoneMatch === etag) send(304, null, { etag })
    else send(200, data, { etag, ...headers })
  }

  function paged<T>(items: T[], url: URL): { page: T[]; link: Record<string, string> } {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? PER_PAGE_DEFAULT))
    const page = Number(url.searchParams.get('page') ?? 1)
    const slice = items.slice((page - 1) * perPage, page * perPage)
    if (page * perPage >= items.length) return { page: slice, link: {} }
    const next = new URL(url.toString())
    next.searchParams.set('page', String(page + 1))
    return { page: slice, link: { link: `<${fake.url}${next.pathname}${next.search}>; rel="next"` } }
  }

  function route(
    method: string,
    url: URL,
    body: string,
    ifNoneMatch: string | string[] | undefined,
    send: (status: number, data: unknown, headers?: Record<string, string>) => void,
  ) {
    const path = url.pathname
    if (method === 'POST' && path === '/graphql')
      return graphql(JSON.parse(body) as { query: string; variables: Record<string, unknown> }, send)
    let match = path.match(/^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/)
    if (match) {
      const [, owner, name, rest = ''] = match as [string, string, string, string?]
      const renamed = fake.repositories.find((r) => r.owner === owner && r.formerName === name)
      if (renamed)
        return send(
          301,
          { message: 'Moved Permanently', url: `${fake.url}/repositories/${renamed.id}${rest}${url.search}` },
          { location: `${fake.url}/repositories/${renamed.id}${rest}${url.search}` },
        )
      const repo = repoByName(owner, name)
      if (!repo) return send(404, { message: 'Not Found' })
      return repoRoute(repo, rest, url, ifNoneMatch, send)
    }
    match = path.match(/^\/repositories\/(\d+)(\/.*)?$/)
    if (match) {
      const repo = fake.repositories.find((r) => r.id === Number(match?.[1]))
      if (!repo) return send(404, { message: 'Not Found' })
      return repoRoute(repo, match[2] ?? '', url, ifNoneMatch, send)
    }
    match = path.match(/^\/orgs\/([^/]+)\/teams$/)
    if (match) {
      const { page, link } = paged(
        fake.teams.map((t) => ({ id: t.id, node_id: t.nodeId, slug: t.slug, name: t.name })),
        url,
      )
      return withEtag(send, page, ifNoneMatch, link)
    }
    match = path.match(/^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/)
    if (match) {
      const team = fake.teams.find((t) => t.slug === match?.[2])
      if (!team) return send(404, { message: 'Not Found' })
      const { page, link } = paged(
        team.members.map((login, i) => ({ id: 1000 + i, login })),
        url,
      )
      return withEtag(send, page, ifNoneMatch, link)
    }
    send(404, { message: 'Not Found' })
  }

  function repoRoute(
    repo: FakeRepository,
    rest: string,
    url: URL,
    ifNoneMatch: string | string[] | undefined,
    send: (status: number, data: unknown, headers?: Record<string, string>) => void,
  ) {
    if (rest === '') {
      return withEtag(
        send,
        {
          id: repo.id,
          node_id: repo.nodeId,
          name: repo.name,
          full_name: `${repo.owner}/${repo.name}`,
          owner: { login: repo.owner },
          default_branch: 'main',
          archived: false,
          created_at: repo.createdAt,
        },
        ifNoneMatch,
      )
    }
    if (rest === '/pulls') {
      const sorted = [...repo.pullRequests].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      const { page, link } = paged(
        sorted.map((pr) => ({ number: pr.number, updated_at: pr.updatedAt, base: { repo: { node_id: repo.nodeId } } })),
        url,
      )
      return withEtag(send, page, ifNoneMatch, link)
    }
    if (rest === '/deployments') {
      const environment = url.searchParams.get('environment')
      const list = [...repo.deployments]
        .filter((d) => !environment || d.environment === environment)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
      const { page, link } = paged(
        list.map((d) => ({
          id: d.id,
          node_id: `DE_${d.id}`,
          sha: d.sha,
          ref: d.ref,
          environment: d.environment,
          description: d.description ?? null,
          created_at: d.createdAt,
          updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
        })),
        url,
      )
      return withEtag(send, page, ifNoneMatch, link)
    }
    let match = rest.match(/^\/deployments\/(\d+)\/statuses$/)
    if (match) {
      const deployment = repo.deployments.find((d) => d.id === Number(match?.[1]))
      if (!deployment) return send(404, { message: 'Not Found' })
      const { page, link } = paged(
        [...deployment.statuses].reverse().map((s) => ({ state: s.state, created_at: s.createdAt })),
        url,
      )
      return withEtag(send, page, ifNoneMatch, link)
    }
    match = rest.match(/^\/actions\/workflows\/([^/]+)\/runs$/)
    if (match) {
      const created = url.searchParams.get('created')?.replace(/^>=/, '')
      const runs = [...(repo.workflowRuns[decodeURIComponent(match[1] ?? '')] ?? [])]
        .filter((r) => !created || r.createdAt >= created)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      const { page, link } = paged(
        runs.map((r) => ({
          id: r.id,
          name: 'deploy',
          head_sha: r.headSha,
          head_branch: r.headBranch,
          display_title: r.title,
          status: 'completed',
          conclusion: r.conclusion,
          run_started_at: r.createdAt,
          created_at: r.createdAt,
          updated_at: r.updatedAt,
        })),
        url,
      )
      return withEtag(send, { total_count: runs.length, workflow_runs: page }, ifNoneMatch, link)
    }
    if (rest === '/issues') {
      const label = url.searchParams.get('labels')
      const since = url.searchParams.get('since')
      const list = repo.issues
        .filter((i) => !label || i.labels.includes(label))
        .filter((i) => !since || i.updatedAt >= since)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      const { page, link } = paged(
        list.map((i) => ({
          id: i.number,
          node_id: `I_${repo.id}_${i.number}`,
          number: i.number,
          title: i.title,
          state: i.closedAt ? 'closed' : 'open',
          body: i.body,
          labels: i.labels.map((name) => ({ name })),
          created_at: i.createdAt,
          closed_at: i.closedAt,
          updated_at: i.updatedAt,
          html_url: `https://github.com/${repo.owner}/${repo.name}/issues/${i.number}`,
        })),
        url,
      )
      return withEtag(send, page, ifNoneMatch, link)
    }
    if (rest === '/releases') {
      const sorted = [...repo.releases].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      const { page, link } = paged(
        sorted.map((r) => ({
          id: r.id,
          tag_name: r.tag,
          name: r.tag,
          draft: false,
          prerelease: false,
          created_at: r.createdAt,
          published_at: r.publishedAt,
        })),
        url,
      )
      return withEtag(send, page, ifNoneMatch, link)
    }
    match = rest.match(/^\/compare\/(.+)\.\.\.(.+)$/)
    if (match) {
      const resolve = (ref: string) => repo.releases.find((r) => r.tag === ref)?.sha ?? ref
      const base = repo.commits.indexOf(resolve(decodeURIComponent(match[1] ?? '')))
      const head = repo.commits.indexOf(resolve(decodeURIComponent(match[2] ?? '')))
      if (base < 0 || head < 0) return send(404, { message: 'Not Found' })
      const commits = repo.commits.slice(base + 1, head + 1).map((sha) => ({ sha }))
      const perPage = Math.min(250, Number(url.searchParams.get('per_page') ?? 250))
      const page = Number(url.searchParams.get('page') ?? 1)
      const status = head === base ? 'identical' : head > base ? 'ahead' : 'behind'
      return send(200, {
        status,
        ahead_by: Math.max(0, head - base),
        behind_by: Math.max(0, base - head),
        total_commits: commits.length,
        commits: commits.slice((page - 1) * perPage, page * perPage),
      })
    }
    send(404, { message: 'Not Found' })
  }

  function graphql(
    request: { query: string; variables: Record<string, unknown> },
    send: (status: number, data: unknown, headers?: Record<string, string>) => void,
  ) {
    const { owner, name, first, after } = request.variables as {
      owner: string
      name: string
      first: number
      after: string | null
    }
    const repo = repoByName(owner, name) ?? fake.repositories.find((r) => r.owner === owner && r.formerName === name)
    if (!repo)
      return send(200, {
        data: { repository: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repository'],
            message: `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          },
        ],
      })
    if (first > 100)
      return send(200, {
        errors: [
          { message: `Requesting ${first} records on the connection exceeds the \`first\` limit of 100 records.` },
        ],
      })
    const start = after ? Number(Buffer.from(after, 'base64').toString().split(':')[1]) : 0
    const rateLimit = { cost: 1, remaining: fake.remaining, resetAt: new Date(Date.now() + 3_600_000).toISOString() }
    if (/deployments\(/.test(request.query)) {
      const environments = (request.variables.environments as string[] | null) ?? null
      const sorted = [...repo.deployments]
        .filter((d) => !environments || environments.includes(d.environment))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
      const nodes = sorted.slice(start, start + first)
      const end = start + nodes.length
      return send(200, {
        data: {
          rateLimit,
          repository: {
            id: repo.nodeId,
            deployments: {
              pageInfo: {
                hasNextPage: end < sorted.length,
                endCursor: nodes.length ? Buffer.from(`cursor:${end}`).toString('base64') : null,
              },
              nodes: nodes.map((d) => {
                const latest = d.statuses.at(-1)
                return {
                  id: `DE_${d.id}`,
                  commitOid: d.sha,
                  environment: d.environment,
                  description: d.description ?? null,
                  createdAt: d.createdAt,
                  updatedAt: latest?.createdAt ?? d.createdAt,
                  ref: { name: d.ref },
                  latestStatus: latest ? { state: latest.state.toUpperCase(), createdAt: latest.createdAt } : null,
                  statuses: {
                    nodes: [...d.statuses]
                      .reverse()
                      .map((s) => ({ state: s.state.toUpperCase(), createdAt: s.createdAt })),
                  },
                }
              }),
            },
          },
        },
      })
    }
    const sorted = [...repo.pullRequests].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.number - a.number)
    const nodes = sorted.slice(start, start + first)
    const end = start + nodes.length
    send(200, {
      data: {
        rateLimit,
        repository: {
          id: repo.nodeId,
          pullRequests: {
            pageInfo: {
              hasNextPage: end < sorted.length,
              endCursor: nodes.length ? Buffer.from(`cursor:${end}`).toString('base64') : null,
            },
            nodes: nodes.map((pr) => ({
              id: pr.id,
              number: pr.number,
              title: pr.title,
              state: pr.state,
              isDraft: false,
              createdAt: pr.createdAt,
              updatedAt: pr.updatedAt,
              mergedAt: pr.mergedAt,
              closedAt: pr.closedAt,
              additions: pr.additions,
              deletions: pr.deletions,
              changedFiles: pr.changedFiles,
              headRefName: pr.headRefName,
              author: pr.author.endsWith('[bot]')
                ? { login: pr.author.replace('[bot]', ''), __typename: 'Bot' }
                : { login: pr.author, __typename: 'User' },
              mergeCommit: pr.mergeCommit ? { oid: pr.mergeCommit } : null,
              commits: {
                totalCount: pr.commits,
                nodes: [{ commit: { authoredDate: pr.firstCommitAt, committedDate: pr.firstCommitAt } }],
              },
              reviews: {
                nodes: pr.reviews.map((r) => ({
                  state: r.state,
                  submittedAt: r.submittedAt,
                  author: { login: r.author },
                })),
              },
            })),
          },
        },
      },
    })
  }

  Object.assign(fake, await scripted.listen(server))
  return fake
}

/** A deterministic repository with `count` pull requests (and commits for them), most updated last. */
export function fakeRepository(options: {
  id: number
  owner?: string
  name: string
  pullRequests: number
  start?: string
  authors?: string[]
  deployEvery?: number
}): FakeRepository {
  const start = Date.parse(options.start ?? '2026-01-05T09:00:00Z')
  const authors = options.authors ?? ['ada', 'ben', 'chen']
  const commits: string[] = ['c0']
  const pullRequests: FakePullRequest[] = Array.from({ length: options.pullRequests }, (_, i) => {
    const opened = start + i * 3_600_000
    const merged = i % 10 === 9 ? null : opened + 5 * 3_600_000
    const sha = `m${options.id}-${i + 1}`
    if (merged) commits.push(sha)
    return {
      id: `PR_${options.id}_${i + 1}`,
      number: i + 1,
      title: `Change ${i + 1}`,
      state: merged ? 'MERGED' : 'CLOSED',
      author: authors[i % authors.length] as string,
      createdAt: new Date(opened).toISOString(),
      updatedAt: new Date((merged ?? opened) + 60_000).toISOString(),
      mergedAt: merged ? new Date(merged).toISOString() : null,
      closedAt: new Date(merged ?? opened + 2 * 3_600_000).toISOString(),
      firstCommitAt: new Date(opened - 2 * 3_600_000).toISOString(),
      commits: 2,
      reviews: [{ state: 'APPROVED', submittedAt: new Date(opened + 3_600_000).toISOString(), author: 'reviewer' }],
      mergeCommit: merged ? sha : null,
      additions: 10 + i,
      deletions: 2,
      changedFiles: 3,
      headRefName: `feature-${i + 1}`,
    }
  })
  // a production deployment of the latest merge every `deployEvery` pull requests, finished 30 minutes after
  const deployments: FakeDeployment[] = []
  if (options.deployEvery) {
    for (let i = options.deployEvery; i <= options.pullRequests; i += options.deployEvery) {
      const shipped = pullRequests
        .slice(0, i)
        .reverse()
        .find((pr) => pr.mergeCommit)
      if (!shipped?.mergedAt) continue
      const created = Date.parse(shipped.mergedAt) + 60 * 60_000
      deployments.push({
        id: options.id * 100_000 + i,
        sha: shipped.mergeCommit as string,
        ref: 'main',
        environment: 'production',
        createdAt: new Date(created).toISOString(),
        statuses: [
          { state: 'in_progress', createdAt: new Date(created + 60_000).toISOString() },
          { state: 'success', createdAt: new Date(created + 30 * 60_000).toISOString() },
        ],
      })
    }
    // as GitHub does: a deployment's success makes the one before it in the environment inactive
    for (const [index, deployment] of deployments.entries()) {
      const next = deployments[index + 1]
      if (next) deployment.statuses.push({ state: 'inactive', createdAt: next.statuses[1]?.createdAt as string })
    }
  }
  return {
    id: options.id,
    nodeId: `R_${options.id}`,
    owner: options.owner ?? 'acme',
    name: options.name,
    createdAt: '2024-01-01T00:00:00Z',
    pullRequests,
    deployments,
    workflowRuns: {},
    releases: [],
    commits,
    issues: [],
  }
}
