// @ts-check

/**
 * Headers on every answer: no framing (clickjacking), no MIME sniffing, no referrer beyond the origin, HTTPS
 * remembered, no plugins, forms and <base> only to ourselves. A script policy with per-request nonces needs
 * the proxy that sign-in brings (issue 7); these directives do not touch scripts.
 */
const securityHeaders = [
  { key: 'Content-Security-Policy', value: "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'" },
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
  // playwright-core renders the one-pager; it launches a browser and must not be bundled either.
  serverExternalPackages: ['@electric-sql/pglite', 'playwright-core'],
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }]
  },
}

export default nextConfig
