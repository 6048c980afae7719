'use client'

export default function DashboardError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="section" role="alert">
      <h2>This page could not be loaded</h2>
      <p className="lede">
        Usually the database is not reachable. <a href="/api/health">/api/health</a> says whether it answers; with the
        embedded database, <code>npm run demo</code> must be running. The server log has the details.
      </p>
      <button type="button" onClick={() => reset()}>
        Try again
      </button>
    </section>
  )
}
