// Whether a request comes from a page of this site: the one rule for every state-changing request, used by
// the route guard (lib/auth/guard.ts) for route handlers and by the proxy (proxy.ts) for server actions.
// Pure and free of server-only imports, so the proxy can use it.

/** The host name of a Host header ("127.0.0.1:3000" → "127.0.0.1", "[::1]:3000" → "[::1]"). */
export function hostName(host: string | null): string | null {
  if (!host) return null
  const match = host
    .trim()
    .toLowerCase()
    .match(/^(\[[^\]]+\]|[^:]+)(?::\d+)?$/)
  return match?.[1] ?? null
}

/**
 * A browser sends Origin on every cross-origin POST; one from elsewhere is a forged request riding on the
 * session cookie. The expected host is the one the request came to: the first X-Forwarded-Host (set by a
 * reverse proxy in front), else Host – the choice Next makes for server actions, so a server action this
 * lets through is one Next accepts too. (next.config sets no `serverActions.allowedOrigins`; if it ever
 * does, this must allow the same origins.) Without Origin, only a browser's own `Sec-Fetch-Site:
 * cross-site` refuses: scripts and CLIs send neither, and carry no one else's cookie.
 */
export function sameOrigin(headers: Headers): boolean {
  const origin = headers.get('origin')
  if (!origin) return headers.get('sec-fetch-site') !== 'cross-site'
  let originHost: string
  try {
    // "null" (a sandboxed frame, a redirect across sites) is not a URL: refused
    originHost = new URL(origin).host.toLowerCase()
  } catch {
    return false
  }
  const host = (headers.get('x-forwarded-host') ?? headers.get('host') ?? '').split(',')[0]?.trim().toLowerCase()
  return Boolean(host) && originHost === host && hostName(host) !== null
}
