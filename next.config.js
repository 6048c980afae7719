// @ts-check
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from 'next/constants.js'
import { accessMode } from './lib/auth/startup.mjs'

/**
 * Headers on every answer: no framing (clickjacking), no MIME sniffing, no referrer beyond the origin, HTTPS
 * remembered, no plugins. Pages get their script policy, with a fresh nonce per request, from proxy.ts;
 * API answers are never documents, so their policy allows nothing at all.
 */
const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
]

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // PGlite ships WebAssembly and must not be bundled; the web server reaches it over the wire anyway.
  // playwright-core renders the one-pager; it launches a browser and must not be bundled either. pg-boss (the
  // standing-answers worker, lib/data/standing.ts) loads its own Postgres driver and SQL plans at run time, and
  // piscina (lib/data/compute-pool.ts) starts worker threads from a file of ours.
  serverExternalPackages: ['@electric-sql/pglite', 'playwright-core', 'pg-boss', 'piscina'],
  // forbidden() and unauthorized(): a viewer on an admin page gets 403, a server action without a session 401.
  // Body limits: route handlers enforce their own (webhooks 25 MB, CSV uploads 20 MB) and the proxy, which
  // would cut a body at proxyClientMaxBodySize (10 MB), does not run on /api/ (proxy.ts). Server actions keep
  // Next's 1 MB serverActions.bodySizeLimit: their forms send a few fields, never a file (the CSV upload
  // posts to /api/imports), so the proxy's 10 MB never cuts an action body that could have been accepted.
  experimental: { authInterrupts: true },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ]
  },
}

/**
 * A server that would serve team metrics without sign-in, or sign sessions with a guessable secret, does not
 * start: the message says which variable to set. The build needs no secret.
 * @param {string} phase
 */
export default function config(phase) {
  if (phase === PHASE_PRODUCTION_SERVER || phase === PHASE_DEVELOPMENT_SERVER) {
    const access = accessMode(process.env)
    if (access.mode === 'open') console.warn(`⚠ ${access.warning}`)
    // the demo has no sign-in, so only `npm run demo`, which binds 127.0.0.1, may serve it
    if (access.mode === 'demo' && process.env.UPSHOT_DEMO_SERVER !== 'loopback') {
      const message =
        'Without DATABASE_URL, Upshot is the demo, which has no sign-in: start it with `npm run demo`, which serves only this machine (127.0.0.1). ' +
        'To serve other people, set DATABASE_URL and configure sign-in (README, "Sign-in and roles").'
      if (phase === PHASE_PRODUCTION_SERVER) throw new Error(`Upshot will not start: ${message}`)
      console.warn(`⚠ ${message} (next dev: make sure it listens on localhost only)`)
    }
  }
  return nextConfig
}
