// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // PGlite ships WebAssembly and must not be bundled; the web server reaches it over the wire anyway.
  // playwright-core renders the one-pager; it launches a browser and must not be bundled either.
  serverExternalPackages: ['@electric-sql/pglite', 'playwright-core'],
}

export default nextConfig
