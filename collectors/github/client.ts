// HTTP to GitHub and nothing else: octokit for requests and authentication (a token, or a GitHub App
// installation), with GitHub's documented retry rules (rate-limit.ts) in place of octokit's throttling and
// retry plugins: those recognise a secondary rate limit only by its message and never back off past the
// first minute. Conditional requests (ETag → 304) cost no rate limit. Every response is parsed with zod.
import { App, Octokit, RequestError } from 'octokit'
import type { ZodType } from 'zod'
import { UpshotError } from '@/lib/errors'
import { realClock, redact, type Clock } from '@/collectors/http'
import { retryDelay } from './rate-limit'

export type { Clock }

export interface ClientStats {
  /** HTTP requests sent, retries included. */
  requests: number
  /** Rate-limit points spent: 1 per REST request answered with anything but 304; a GraphQL query's cost. */
  pointsSpent: number
  notModified: number
  retries: number
  /** Time spent waiting before retries. */
  waitedMs: number
}

export type RestResult<T> =
  | { status: 'ok'; data: T; etag: string | null; next: string | null }
  | { status: 'not_modified' }

/** A request that failed for good: status 0 means no answer (timeout, connection refused). */
export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'GitHubError'
  }
}

export type GitHubAuth = { token: string } | { appId: number; installationId: number; privateKey: string }

const BaseOctokit = Octokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } })

export class GitHubClient {
  readonly stats: ClientStats = { requests: 0, pointsSpent: 0, notModified: 0, retries: 0, waitedMs: 0 }

  private constructor(
    private readonly octokit: InstanceType<typeof Octokit>,
    readonly clock: Clock,
    /** Never repeated in an error, even when GitHub (or a proxy) echoes it. */
    private readonly secrets: string[],
  ) {
    octokit.hook.wrap('request', async (request, options) => {
      for (let attempt = 0; ; attempt++) {
        this.stats.requests++
        const isGraphql = String(options.url).endsWith('/graphql')
        try {
          const response = await request(options)
          if (!isGraphql) this.stats.pointsSpent++
          return response
        } catch (error) {
          const failed = describe(error)
          if (failed.status === 304) {
            this.stats.notModified++
            throw error
          }
          if (!isGraphql && failed.status !== 0) this.stats.pointsSpent++
          // A GraphQL query that times out or answers 5xx is too big: the collector asks again for fewer items.
          const delay =
            isGraphql && (failed.status >= 500 || failed.status === 0)
              ? null
              : retryDelay(failed, attempt, this.clock.now())
          if (delay === null) {
            const message =
              `${options.method} ${new URL(String(options.url), 'https://x').pathname}: ${failed.status || 'no answer'} ${failed.message ?? ''}`.trim()
            throw new GitHubError(redact(message, this.secrets), failed.status)
          }
          this.stats.retries++
          this.stats.waitedMs += delay
          await this.clock.sleep(delay)
        }
      }
    })
  }

  static async connect({
    baseUrl,
    auth,
    clock = realClock,
    timeoutMs = 30_000,
  }: {
    baseUrl: string
    auth: GitHubAuth
    clock?: Clock
    timeoutMs?: number
  }): Promise<GitHubClient> {
    // every request gives up after `timeoutMs` (octokit passes no per-request signal through its hooks)
    const request = {
      fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    }
    if ('token' in auth)
      return new GitHubClient(new BaseOctokit({ auth: auth.token, baseUrl, request }), clock, [auth.token])
    const app = new App({
      appId: auth.appId,
      privateKey: auth.privateKey,
      Octokit: BaseOctokit.defaults({ baseUrl, request }),
    })
    const octokit = (await app.getInstallationOctokit(auth.installationId)) as InstanceType<typeof Octokit>
    return new GitHubClient(octokit, clock, [auth.privateKey])
  }

  /** A REST GET (a route like "GET /repos/{owner}/{repo}", or the full URL of a next page). */
  async rest<T>(
    route: string,
    params: Record<string, unknown>,
    schema: ZodType<T>,
    { etag }: { etag?: string | null } = {},
  ): Promise<RestResult<T>> {
    let response
    try {
      response = await this.octokit.request(route, { ...params, headers: etag ? { 'if-none-match': etag } : {} })
    } catch (error) {
      if (error instanceof RequestError && error.status === 304) return { status: 'not_modified' }
      throw error
    }
    const parsed = schema.safeParse(response.data)
    if (!parsed.success)
      throw new GitHubError(
        `unexpected answer from ${route}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
        response.status,
      )
    const headers = response.headers as Record<string, string | undefined>
    const next = nextLink(headers.link)
    // The next page is fetched with our credentials: only ever from the API we were configured with.
    const origin = new URL(String(this.octokit.request.endpoint.DEFAULTS.baseUrl)).origin
    if (next && new URL(next, origin).origin !== origin)
      throw new GitHubError(`${route}: the next-page link points away from ${origin}; not followed`, response.status)
    return { status: 'ok', data: parsed.data, etag: headers.etag ?? null, next }
  }

  /**
   * A GraphQL query. A rate limit reported inside a 200 answer (errors of type RATE_LIMITED) is waited out
   * like a 403; a timeout, a 5xx or an unreadable answer throws a GitHubError with status 0 or 5xx, which the
   * caller may answer with a smaller query.
   */
  async graphql<T extends { rateLimit?: { cost: number } | null }>(
    query: string,
    variables: Record<string, unknown>,
    schema: ZodType<T>,
  ): Promise<T> {
    let data: unknown
    for (let attempt = 0; ; attempt++) {
      try {
        data = await this.octokit.graphql(query, variables)
        break
      } catch (error) {
        if (error instanceof GitHubError) throw error
        if (isGraphqlResponseError(error)) {
          const limited = error.errors?.some((e) => e.type === 'RATE_LIMITED')
          const delay = limited
            ? retryDelay(
                { status: 403, headers: error.headers as Record<string, string | undefined>, message: 'rate limit' },
                attempt,
                this.clock.now(),
              )
            : null
          if (delay === null)
            throw new GitHubError(
              redact(`GraphQL: ${error.errors?.map((e) => e.message).join('; ') ?? error.message}`, this.secrets),
              200,
            )
          this.stats.retries++
          this.stats.waitedMs += delay
          await this.clock.sleep(delay)
          continue
        }
        // octokit could not read the answer (malformed JSON): as good as no answer
        throw new GitHubError(`GraphQL: unreadable answer (${(error as Error).message.slice(0, 120)})`, 0)
      }
    }
    // octokit hands back an answer it could not parse as JSON (a truncated body) as no data at all
    if (data === undefined || data === null || typeof data !== 'object')
      throw new GitHubError('GraphQL: unreadable answer (not JSON)', 0)
    const parsed = schema.safeParse(data)
    this.stats.pointsSpent += parsed.success ? (parsed.data.rateLimit?.cost ?? 1) : 1
    if (!parsed.success)
      throw new GitHubError(
        `unexpected GraphQL answer: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
        200,
      )
    return parsed.data
  }
}

function describe(error: unknown): { status: number; headers: Record<string, string | undefined>; message?: string } {
  if (error instanceof RequestError) {
    const data = error.response?.data as { message?: string } | undefined
    return {
      status: error.response ? error.status : 0,
      headers: (error.response?.headers ?? {}) as Record<string, string | undefined>,
      message: data?.message ?? error.message,
    }
  }
  return { status: 0, headers: {}, message: error instanceof Error ? error.message : String(error) }
}

/** octokit's GraphqlResponseError (a 200 answer with `errors`), which octokit does not export. */
function isGraphqlResponseError(
  error: unknown,
): error is Error & { errors?: { type?: string; message: string }[]; headers: Record<string, unknown> } {
  return error instanceof Error && error.name === 'GraphqlResponseError'
}

function nextLink(link: string | undefined): string | null {
  if (!link) return null
  const match = link
    .split(',')
    .find((part) => /rel="next"/.test(part))
    ?.match(/<([^>]+)>/)
  return match?.[1] ?? null
}

/** The most items GitHub's REST listings give per page. */
export const REST_PAGE = 100

/** "owner/name" → its parts, for REST routes. */
export function splitRepositoryName(fullName: string): { owner: string; repo: string } {
  const [owner, repo] = fullName.split('/') as [string, string]
  return { owner, repo }
}

export function requireOk<T>(result: RestResult<T>, what: string): T {
  if (result.status !== 'ok') throw new UpshotError('internal', `${what}: not modified without an ETag`)
  return result.data
}
