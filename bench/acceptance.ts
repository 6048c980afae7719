// The acceptance checks of issue 8 (warm pages, ingest, GitHub, rollups) and issue 17 (what a user waits for:
// cold pages, concurrent misses, standing pages after a change, the embedded demo), worked out from the figures.
import type { Check, Embedded, Measured } from './results'

const LIMITS = {
  p95Ms: 300,
  p95Growth: 1.5,
  ingestShare: 0.5,
  requestsRatio: 1.2,
  refreshMs: 1000,
  healthP99Ms: 50,
  freshStoredMs: 10_000,
  embeddedRatio: 2,
} as const

export function acceptance(results: Measured): Check[] {
  return [...warmChecks(results), ...coldChecks(results)]
}

/** Issue 8: the warm pages, ingest, the GitHub collector and the rollup refresh (each when measured). */
function warmChecks(results: Measured): Check[] {
  const checks: Check[] = []
  const pages = results.pages
  if (pages) {
    const slow = pages.filter((page) => page.p95_ms > LIMITS.p95Ms)
    const grew = pages.filter((page) => page.p95_ms > LIMITS.p95Growth * page.p95_ms_scale1)
    const slowest = worst(pages, (page) => page.p95_ms)
    const mostGrown = worst(pages, (page) => page.p95_ms / page.p95_ms_scale1)
    checks.push(
      {
        issue: 8,
        check: `every page's p95 at scale ${results.scale} is within ${LIMITS.p95Ms} ms`,
        holds: slow.length === 0,
        figures: slow.length
          ? `over: ${slow.map((page) => `${page.path} ${page.p95_ms} ms`).join(', ')}`
          : `slowest ${slowest?.path} ${slowest?.p95_ms} ms`,
      },
      {
        issue: 8,
        check: `every page's p95 at scale ${results.scale} is within ${LIMITS.p95Growth}× its p95 at scale ${results.base_scale}`,
        holds: grew.length === 0,
        figures: grew.length
          ? `over: ${grew.map((page) => `${page.path} ${page.p95_ms} vs ${page.p95_ms_scale1} ms`).join(', ')}`
          : `largest ${mostGrown?.path} ${mostGrown?.p95_ms} vs ${mostGrown?.p95_ms_scale1} ms = ${((mostGrown?.p95_ms ?? 0) / (mostGrown?.p95_ms_scale1 ?? 1)).toFixed(2)}×`,
      },
    )
  }
  if (results.ingest) {
    const share = results.ingest.rows_per_s / results.ingest.ceiling_rows_per_s
    checks.push({
      issue: 8,
      check: `ingest reaches at least ${LIMITS.ingestShare * 100}% of the server-side INSERT … SELECT rate`,
      holds: share >= LIMITS.ingestShare,
      figures: `${results.ingest.rows_per_s.toLocaleString('en')} of ${results.ingest.ceiling_rows_per_s.toLocaleString('en')} rows/s = ${(share * 100).toFixed(0)}%`,
    })
  }
  if (results.github) {
    const ratio = results.github.requests / results.github.minimum_requests
    checks.push(
      {
        issue: 8,
        check: `a ${results.github.pull_requests.toLocaleString('en')}-PR backfill takes at most ${LIMITS.requestsRatio}× the minimum requests`,
        holds: ratio <= LIMITS.requestsRatio,
        figures: `${results.github.requests} requests for a minimum of ${results.github.minimum_requests} = ${ratio.toFixed(3)}×`,
      },
      {
        issue: 8,
        check: 'an unchanged incremental run spends 0 rate-limit points',
        holds: results.github.incremental_points === 0,
        figures: `${results.github.incremental_points} points over ${results.github.incremental_requests} requests`,
      },
    )
  }
  if (results.rollup_refresh_ms !== undefined && results.rollup_refresh)
    checks.push({
      issue: 8,
      check: `refreshing the rollups of one queued week takes under ${LIMITS.refreshMs} ms at scale ${results.scale}`,
      holds: results.rollup_refresh_ms < LIMITS.refreshMs,
      figures: `${results.rollup_refresh_ms} ms (median of 5; slowest ${results.rollup_refresh.max_ms} ms)`,
    })
  return checks
}

/** Issue 17: what a user waits for (each when measured). */
function coldChecks(results: Measured): Check[] {
  const checks: Check[] = []
  const { scale, base_scale: base } = results
  if (results.cold) {
    const cold = results.cold
    const slow = cold.filter((page) => !(page.p95_ms <= LIMITS.p95Ms))
    const grew = cold.filter((page) => !(page.p95_ms <= LIMITS.p95Growth * page.p95_ms_scale1))
    const slowest = worst(cold, (page) => page.p95_ms)
    const mostGrown = worst(cold, (page) => page.p95_ms / page.p95_ms_scale1)
    checks.push(
      {
        issue: 17,
        check: `every cold page's p95 at scale ${scale} is within ${LIMITS.p95Ms} ms`,
        holds: slow.length === 0,
        figures: slow.length
          ? `over: ${slow.map((page) => `${page.path} ${page.p95_ms} ms`).join(', ')}`
          : `slowest ${slowest?.path} ${slowest?.p95_ms} ms`,
      },
      {
        issue: 17,
        check: `every cold page's p95 at scale ${scale} is within ${LIMITS.p95Growth}× its cold p95 at scale ${base}`,
        holds: grew.length === 0,
        figures: grew.length
          ? `over: ${grew.map((page) => `${page.path} ${page.p95_ms} vs ${page.p95_ms_scale1} ms = ${(page.p95_ms / page.p95_ms_scale1).toFixed(2)}×`).join(', ')}`
          : `largest ${mostGrown?.path} ${mostGrown?.p95_ms} vs ${mostGrown?.p95_ms_scale1} ms = ${((mostGrown?.p95_ms ?? 0) / (mostGrown?.p95_ms_scale1 ?? 1)).toFixed(2)}×`,
      },
    )
  }
  if (results.concurrency) {
    const level = results.concurrency.levels.find((one) => one.requests === 16) ?? results.concurrency.levels.at(-1)
    checks.push({
      issue: 17,
      check: `/api/health's p99 is within ${LIMITS.healthP99Ms} ms while ${level?.requests ?? 16} misses run at scale ${results.concurrency.scale}`,
      holds: level !== undefined && level.health_p99_ms <= LIMITS.healthP99Ms,
      figures: level
        ? `p99 ${level.health_p99_ms} ms, max ${level.health_max_ms} ms over ${level.health_samples} polls; the misses took ${level.wall_ms} ms`
        : 'not measured',
    })
  }
  if (results.standing) {
    const standing = results.standing
    const late = standing.pages.filter(
      (page) => page.fresh_stored_ms === null || page.fresh_stored_ms > LIMITS.freshStoredMs,
    )
    checks.push({
      issue: 17,
      check: `a standing page's fresh answer is stored within ${LIMITS.freshStoredMs / 1000} s of a data change at scale ${scale}`,
      holds: standing.pages.length > 0 && late.length === 0,
      figures: !standing.read_models
        ? 'never: the database has no read_models table'
        : standing.pages
            .map(
              (page) =>
                `${page.path} ${page.fresh_stored_ms === null ? 'not within 60 s' : `${page.fresh_stored_ms} ms`}`,
            )
            .join(', '),
    })
  }
  if (results.embedded) {
    const { embedded } = results
    const ratio = embedded.p95_ms !== null ? embedded.p95_ms / embedded.postgres_p95_ms : null
    checks.push({
      issue: 17,
      check: `the embedded demo's cold p95 at scale ${base} is within ${LIMITS.embeddedRatio}× Postgres's`,
      holds: ratio !== null && ratio <= LIMITS.embeddedRatio,
      figures:
        embedded.p95_ms === null
          ? `not measured: ${embedded.skipped}`
          : `${embedded.p95_ms} vs ${embedded.postgres_p95_ms} ms = ${ratio?.toFixed(2)}× (${embedded.requests} requests each)${pageRatio(embedded.pages)}`,
    })
  }
  return checks
}

/** The page furthest behind Postgres on the embedded engine, as a clause; nothing without pages. */
function pageRatio(pages: Embedded['pages']): string {
  const page = worst(
    pages as { path: string; p95_ms: number; postgres_p95_ms: number }[],
    (one) => one.p95_ms / one.postgres_p95_ms,
  )
  return page
    ? `; furthest behind: ${page.path} ${page.p95_ms} vs ${page.postgres_p95_ms} ms = ${(page.p95_ms / page.postgres_p95_ms).toFixed(2)}×`
    : ''
}

function worst<T>(list: readonly T[], figure: (item: T) => number): T | undefined {
  return [...list].sort((a, b) => figure(b) - figure(a))[0]
}
