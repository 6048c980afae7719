// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // PGlite ships WebAssembly and must not be bundled; the web server reaches it over the wire anyway.
  serverExternalPackages: ['@electric-sql/pglite'],
}

export default nextConfig
