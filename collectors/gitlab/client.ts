// HTTP to GitLab's REST API v4 (gitlab.com or a self-managed instance) and nothing else. Authentication is a
// personal, group or project access token with the read_api scope, sent as `PRIVATE-TOKEN` (an OAuth 2 token
// as `Authorization: Bearer`). Pagination is
// GitLab's offset pagination: `page` and `per_page` (at most 100), the next page in `X-Next-Page` (empty on
// the last page), else in the `Link` header's rel="next". Rate limits (docs.gitlab.com, "Rate limits"):
// - every answer may carry `RateLimit-Remaining` and `RateLimit-Reset` (epoch seconds): when nothing remains,
//   the next request waits for the reset instead of running into a 429;
// - a 429 carries `Retry-After` (seconds), waited as asked; else until `RateLimit-Reset`; else backed off
//   (collectors/http.ts, which also retries 5xx and timeouts and never retries a 401, 403 or 404).
// Every answer is parsed with zod.
import type { ZodType } from 'zod'
import { UpshotError } from '@/lib/errors'
import { JsonClient, secondsHeader, UpstreamError, type Clock, type Query } from '@/collectors/http'
import {
  commitsSchema,
  deploymentsSchema,
  groupSchema,
  groupsSchema,
  issuesSchema,
  membersSchema,
  mergeRequestsSchema,
  notesSchema,
  projectsSchema,
  type GitLabCommit,
  type GitLabNote,
} from './api-types'

/** The most `per_page` may be. */
export const PER_PAGE = 100
/** Pages of one merge request's commits or notes read at most: the first commit and first review are early. */
const MAX_DETAIL_PAGES = 5

export interface Page<T> {
  items: T[]
  /** The next page's number; null on the last page. */
  next: number | null
}

/** The API root of a GitLab address: https://gitlab.example.com → https://gitlab.example.com/api/v4/. */
export function apiRoot(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/\/api\/v4$/, '')}/api/v4/`
}

/** The next page a listing names: `X-Next-Page`, else the `page` of the Link header's rel="next". Pure. */
export function nextPage(headers: Headers): number | null {
  const header = headers.get('x-next-page')
  if (header !== null) return /^\d+$/.test(header.trim()) ? Number(header.trim()) : null
  const next = headers
    .get('link')
    ?.split(',')
    .find((part) => /rel="next"/.test(part))
  const page = next?.match(/[?&]page=(\d+)/)?.[1]
  return page ? Number(page) : null
}

/** How long a 429 asks us to wait: `Retry-After` seconds, else until `RateLimit-Reset`; null if neither says. Pure. */
export function rateLimitWait(headers: Headers, nowMs: number): number | null {
  const retryAfter = secondsHeader(headers, 'retry-after')
  if (retryAfter !== null) return retryAfter
  const reset = Number(headers.get('ratelimit-reset'))
  return headers.get('ratelimit-reset') && Number.isFinite(reset) ? Math.max(0, reset * 1000 - nowMs) : null
}

/** Before the next request, when an answer says no request remains in the window: until its reset. Pure. */
export function quotaWait(headers: Headers, nowMs: number): number {
  if (headers.get('ratelimit-remaining')?.trim() !== '0') return 0
  return rateLimitWait(new Headers({ 'ratelimit-reset': headers.get('ratelimit-reset') ?? '' }), nowMs) ?? 0
}

export class GitLabClient {
  readonly http: JsonClient
  /** Time spent waiting for a rate-limit window to reset before asking (not after a 429). */
  quotaWaitedMs = 0

  constructor({
    baseUrl,
    token,
    tokenHeader = 'private-token',
    clock,
    timeoutMs,
  }: {
    baseUrl: string
    token: string
    tokenHeader?: 'private-token' | 'bearer'
    clock?: Clock
    timeoutMs?: number
  }) {
    this.http = new JsonClient({
      name: 'GitLab',
      baseUrl: apiRoot(baseUrl),
      headers: {
        ...(tokenHeader === 'bearer' ? { Authorization: `Bearer ${token}` } : { 'PRIVATE-TOKEN': token }),
        Accept: 'application/json',
      },
      clock,
      timeoutMs,
      rateLimitWait: (headers) => rateLimitWait(headers, this.http.clock.now()),
    })
  }

  get stats() {
    return this.http.stats
  }

  get clock(): Clock {
    return this.http.clock
  }

  /** One page of a listing. A 401 says what to do about the token. */
  async page<T>(path: string, query: Query, schema: ZodType<T[]>): Promise<Page<T>> {
    try {
      const { data, headers } = await this.http.getWithHeaders(path, { per_page: PER_PAGE, ...query }, schema)
      await this.respectQuota(headers)
      return { items: data, next: data.length === 0 ? null : nextPage(headers) }
    } catch (error) {
      throw explain(error)
    }
  }

  /** Every page of a listing (for short ones: groups, members, projects, a merge request's commits). */
  async all<T>(path: string, query: Query, schema: ZodType<T[]>, maxPages = Infinity): Promise<T[]> {
    const out: T[] = []
    for (let page: number | null = 1, read = 0; page !== null && read < maxPages; read++) {
      const answer: Page<T> = await this.page(path, { ...query, page }, schema)
      out.push(...answer.items)
      page = answer.next
    }
    return out
  }

  async group(fullPath: string) {
    try {
      const { data, headers } = await this.http.getWithHeaders(
        `groups/${encodeURIComponent(fullPath)}`,
        {},
        groupSchema,
      )
      await this.respectQuota(headers)
      return data
    } catch (error) {
      throw explain(error)
    }
  }

  /** When an answer says no request remains in the window, the next one waits for its reset. */
  private async respectQuota(headers: Headers): Promise<void> {
    const wait = quotaWait(headers, this.clock.now())
    if (wait <= 0) return
    this.quotaWaitedMs += wait
    await this.clock.sleep(wait)
  }

  descendantGroups(groupId: number) {
    return this.all(`groups/${groupId}/descendant_groups`, {}, groupsSchema)
  }

  members(groupId: number) {
    return this.all(`groups/${groupId}/members`, {}, membersSchema)
  }

  /** The group's projects, its subgroups' too; archived ones left out. */
  projects(groupId: number) {
    return this.all(
      `groups/${groupId}/projects`,
      { include_subgroups: true, archived: false, order_by: 'id', sort: 'asc' },
      projectsSchema,
    )
  }

  /** Merge requests updated in [after, before), least recently updated first. */
  mergeRequests(projectId: number, window: UpdatedWindow, page: number) {
    return this.page(
      `projects/${projectId}/merge_requests`,
      { state: 'all', order_by: 'updated_at', sort: 'asc', ...updated(window), page },
      mergeRequestsSchema,
    )
  }

  commits(projectId: number, iid: number): Promise<GitLabCommit[]> {
    return this.all(`projects/${projectId}/merge_requests/${iid}/commits`, {}, commitsSchema, MAX_DETAIL_PAGES)
  }

  notes(projectId: number, iid: number): Promise<GitLabNote[]> {
    return this.all(
      `projects/${projectId}/merge_requests/${iid}/notes`,
      { order_by: 'created_at', sort: 'asc' },
      notesSchema,
      MAX_DETAIL_PAGES,
    )
  }

  /** Deployments updated in [after, before), least recently updated first. */
  deployments(projectId: number, window: UpdatedWindow, page: number) {
    return this.page(
      `projects/${projectId}/deployments`,
      { order_by: 'updated_at', sort: 'asc', ...updated(window), page },
      deploymentsSchema,
    )
  }

  /** The merge requests a deployment shipped (GitLab works them out when the deployment succeeds). */
  deploymentMergeRequests(projectId: number, deploymentId: number) {
    return this.all(`projects/${projectId}/deployments/${deploymentId}/merge_requests`, {}, mergeRequestsSchema)
  }

  /** Issues of type incident updated in [after, before), least recently updated first. */
  incidents(projectId: number, window: UpdatedWindow, page: number) {
    return this.page(
      `projects/${projectId}/issues`,
      { issue_type: 'incident', state: 'all', order_by: 'updated_at', sort: 'asc', ...updated(window), page },
      issuesSchema,
    )
  }
}

export interface UpdatedWindow {
  after: string | null
  before: string
}

const updated = ({ after, before }: UpdatedWindow) => ({ updated_after: after ?? undefined, updated_before: before })

/** A 401 means the token: say so, and what the token needs; other failures pass through. */
function explain(error: unknown): unknown {
  if (error instanceof UpstreamError && error.status === 401)
    return new UpshotError('unauthorized', `GitLab refused the token (401 Unauthorized): ${error.message}`, {
      cause: error,
      hint: 'Check the token in the environment variable the sources file names: it must be valid, unexpired and have the read_api scope.',
    })
  return error
}
