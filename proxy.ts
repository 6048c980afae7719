// The proxy (Next 16's name for middleware) runs for pages only (see `config` below) and does three things:
// 1. refuses a server action posted from another site with 403 (Next would refuse it too, but with a 500);
// 2. gives every page a fresh script nonce and the Content-Security-Policy that requires it;
// 3. with sign-in on, sends a page request without a session cookie to /sign-in (a convenience: every page,
//    route handler and server action checks the session itself, in lib/auth/guard.ts).
import { getSessionCookie } from 'better-auth/cookies'
import { NextResponse, type NextRequest } from 'next/server'
import { sameOrigin } from './lib/auth/same-origin'
import { accessMode } from './lib/auth/startup.mjs'

const signInRequired = accessMode(process.env).mode === 'sign-in'

/** Where the sign-in form may send the browser: ourselves and the sign-in providers. */
const formTargets = [
  process.env.UPSHOT_GITHUB_CLIENT_ID ? process.env.UPSHOT_GITHUB_WEB_URL || 'https://github.com' : null,
  process.env.UPSHOT_OIDC_ISSUER || null,
]
  .flatMap((url) => {
    try {
      return url ? [new URL(url).origin] : []
    } catch {
      return []
    }
  })
  .filter((origin, index, all) => all.indexOf(origin) === index)
  .join(' ')

function contentSecurityPolicy(nonce: string, development = process.env.NODE_ENV === 'development'): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts Next loads from a nonced script may run; nothing injected without the nonce
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    // React renders style attributes (chart sizes, bars); styles cannot run code
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${formTargets ? ` ${formTargets}` : ''}`,
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Pages anyone may open: signing in, and a share link (its signed token is its credential: lib/data/snapshots.ts). */
const isPublicPage = (pathname: string) => pathname === '/sign-in' || pathname.startsWith('/share/')

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl
  // A POST to a page is a server action. Next checks its Origin against X-Forwarded-Host or Host and, on a
  // mismatch, throws, which answers 500; the same check here answers what it is: a refusal. First, so a
  // forged post is refused whether or not it carries a session cookie.
  if (request.method === 'POST' && !sameOrigin(request.headers)) {
    return new NextResponse('Refused: this request came from another site (its Origin is not this server).\n', {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    })
  }
  // a machine with an API token (npm run report) has no cookie: the page decides whether its token will do
  const credentials = getSessionCookie(request, { cookiePrefix: 'upshot' }) || request.headers.has('authorization')
  if (signInRequired && !isPublicPage(pathname) && !credentials) {
    const target = new URL('/sign-in', request.url)
    if (pathname !== '/') target.searchParams.set('next', `${pathname}${search}`)
    return NextResponse.redirect(target)
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString('base64')
  const policy = contentSecurityPolicy(nonce)
  const requestHeaders = new Headers(request.headers)
  // Next reads the nonce from the request's policy and puts it on its own scripts
  requestHeaders.set('x-nonce', nonce)
  requestHeaders.set('content-security-policy', policy)
  const response = NextResponse.next({ request: { headers: requestHeaders } })
  response.headers.set('content-security-policy', policy)
  return response
}

export const config = {
  // Not /api/: route handlers check their callers themselves, and answers there are never documents (their
  // policy comes from next.config.js). Above all, Next buffers the body of every request the proxy sees and
  // cuts it at experimental.proxyClientMaxBodySize (10 MB): a 12 MB webhook would arrive cut, fail its
  // signature check and be answered 401. Outside the proxy, each route's own limit is the one that applies
  // (webhooks 25 MB, CSV uploads 20 MB, both read with collectors/request-body.ts, 413 above).
  // Not the icons and robots.txt either: browsers and crawlers fetch them without a session, and a redirect to
  // /sign-in would answer them with a page.
  matcher: ['/((?!api/|_next/static|_next/image|icon.svg|favicon.ico|apple-touch-icon.png|robots.txt).*)'],
}
