// What the benchmark found, as bench/results.json (for machines) and bench/RESULTS.md (for people), with the
// acceptance checks of issue 8 (warm pages, ingest, GitHub, rollups) and issue 17 (what a user waits for: cold
// pages, concurrent misses, standing pages after a change, the embedded demo) worked out from the figures.
// Pure: the run hands everything in.
import os from 'node:os'
import type { ColdTiming, ConcurrencyLevel, StandingResult } from './cold'
import type { EmbeddedResult } from './embedded'
import type { GitHubResult } from './github'
import type { IngestResult } from './ingest'
import type { PageTiming } from './pages'
import type { RefreshResult } from './rollups'

export interface Results {
  date: string
  machine: string
  /** The large scale; every page figure without a suffix is at this scale. */
  scale: number
  /** The small scale the pages are compared with. */
  base_scale: number
  settings: { months: number; seed: number; seconds_per_page: number; connections: number; combos: number }
  /**
   * os.loadavg() when the run began and when it ended (an object, not an array, so results.json stays as the
   * formatter writes it), and the processors: other load on the machine shows here.
   */
  load: { cpus: number; start: LoadAverage; end: LoadAverage }
  data: Record<string, Record<string, number>>
  pages: (PageTiming & {
    p50_ms_scale1: number
    p95_ms_scale1: number
    cold_ms_scale1: number
    floor_ms_scale1: number
  })[]
  ingest: IngestResult
  rollup_refresh_ms: number
  rollup_refresh: RefreshResult
  github: GitHubResult
  pdf_ms: number
  pdf_ms_scale1: number
  /** Each dashboard page under filters not in the read-model cache, at both scales (cold.ts). */
  cold: ColdPage[]
  /** Distinct misses fired together at the large scale, /api/health polled meanwhile. */
  concurrency: { scale: number; levels: ConcurrencyLevel[] }
  /** The standing pages right after a data change at the large scale. */
  standing: StandingResult
  /** The cold pages at the small scale on the demo's embedded engine next to Postgres; null figures when skipped. */
  embedded: Embedded
  acceptance: Check[]
}

export interface LoadAverage {
  min_1: number
  min_5: number
  min_15: number
}

/** os.loadavg() as results.json records it. */
export function loadAverage([min_1 = 0, min_5 = 0, min_15 = 0]: number[]): LoadAverage {
  return { min_1, min_5, min_15 }
}

const showLoad = (load: LoadAverage) => [load.min_1, load.min_5, load.min_15].map((n) => n.toFixed(2)).join(', ')

export interface Check {
  /** The issue whose acceptance this is: 8 (warm pages, ingest, GitHub, rollups) or 17 (what a user waits for). */
  issue: 8 | 17
  check: string
  holds: boolean
  figures: string
}

export type ColdPage = ColdTiming & {
  combos_scale1: number
  stored_answers_scale1: number
  p50_ms_scale1: number
  p95_ms_scale1: number
  max_ms_scale1: number
  floor_all_ms_scale1: number
}

export type Embedded =
  | (EmbeddedResult & { skipped: null })
  | { p95_ms: null; postgres_p95_ms: null; requests: 0; pages: []; skipped: string }

/** What a run measured; with --only, some sections are missing and so are their checks. */
export type Measured = Pick<Results, 'scale' | 'base_scale'> & Partial<Omit<Results, 'acceptance'>>

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

/** The machine, in one line: processor, cores, memory, system, Node and Postgres. */
export function describeMachine(postgresVersion: string): string {
  const cpus = os.cpus()
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()} (${os.arch()}), Node ${process.version}, PostgreSQL ${postgresVersion}`
}

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

const checkList = (results: Results, issue: Check['issue']) =>
  results.acceptance
    .filter((item) => item.issue === issue)
    .map((item) => `- ${item.holds ? '✅' : '❌'} ${item.check}: ${item.figures}`)
    .join('\n')

const count = (n: number | undefined) => (n === undefined ? '–' : n.toLocaleString('en'))

export function resultsMarkdown(results: Results): string {
  const { scale, base_scale: base } = results
  const data = (key: string) =>
    `| ${key.replaceAll('_', ' ')} | ${count(results.data[String(base)]?.[key])} | ${count(results.data[String(scale)]?.[key])} |`
  return `# Benchmark results

Written by \`npm run bench\` on ${results.date}. Machine: ${results.machine}.

Every figure below comes from one run: both organisations, the ingest ceiling, the fake GitHub and the PDF
were measured together, so ratios compare like with like. How to run it and what each figure means: the
[README](../README.md#performance).

Load on the machine (os.loadavg(), 1, 5 and 15 min, ${results.load.cpus} processors): ${showLoad(results.load.start)} when the run began, ${showLoad(results.load.end)} when it ended.

## Acceptance (issue 8)

${checkList(results, 8)}

## Acceptance (issue 17: what a user waits for)

${checkList(results, 17)}

## The organisations

Demo organisations (seed ${results.settings.seed}, ${results.settings.months} months), each in its own database.

| | scale ${base} | scale ${scale} |
|---|---:|---:|
${['teams', 'people', 'pull_requests', 'deployments', 'incidents', 'portal_events', 'survey_responses', 'team_weeks', 'years'].map(data).join('\n')}

## Pages

Server response time of \`next start\` (production build) to a signed-in admin, ${results.settings.connections} concurrent
clients on loopback for ${results.settings.seconds_per_page} s per page (autocannon), p50 and p95 of every request.
"First" is the first request after the server started, which computes the page's read model (or, on a standing
page, serves its stored answer while the current one computes; the load starts once the page is current); later
requests find it in the read-model cache until the data changes. "Floor" is the bare query the page's read model runs
on the rollups (or its main table), timed alone (median of 7).

| page | p50 ms | p95 ms | p95 ms at scale ${base} | ×  | first ms | first ms at scale ${base} | floor ms | requests |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${results.pages
  .map(
    (page) =>
      `| \`${page.path}\` | ${page.p50_ms} | ${page.p95_ms} | ${page.p95_ms_scale1} | ${(page.p95_ms / page.p95_ms_scale1).toFixed(2)} | ${page.cold_ms} | ${page.cold_ms_scale1} | ${page.floor_ms} | ${page.requests.toLocaleString('en')} |`,
  )
  .join('\n')}

The one-pager as PDF (\`/api/report.pdf\`, rendered by Chromium): ${results.pdf_ms} ms at scale ${scale}, ${results.pdf_ms_scale1} ms at scale ${base} (median of 3).

## Cold pages (issue 17)

What a user waits for when the page's read model is not in the web process's cache: each dashboard page
under ${results.settings.combos} distinct filter combinations (team subsets, the pilot or control teams, other week windows;
the unfiltered view, and the initiative's page, right after the data version moved and their stored answers
were removed), each URL requested once in the server's life, one at a time, until its last byte: every one a
miss, in memory and in \`read_models\` ("stored answers served" counts any answer that said otherwise). Each combination at scale ${base} and right after at scale ${scale}. "All reads" is
every query of the page's read model, together as it runs them, with the default filters, timed alone
(median of 5): the floor of a miss.

| page | combinations | p50 ms | p95 ms | max ms | p50 ms at scale ${base} | p95 ms at scale ${base} | max ms at scale ${base} | × (p95) | all reads ms | all reads ms at scale ${base} | stored answers served |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${results.cold
  .map(
    (page) =>
      `| \`${page.path}\` | ${page.combos} | ${page.p50_ms} | ${page.p95_ms} | ${page.max_ms} | ${page.p50_ms_scale1} | ${page.p95_ms_scale1} | ${page.max_ms_scale1} | ${(page.p95_ms / page.p95_ms_scale1).toFixed(2)} | ${page.floor_all_ms} | ${page.floor_all_ms_scale1} | ${page.stored_answers + page.stored_answers_scale1} |`,
  )
  .join('\n')}

## Concurrent misses

At scale ${results.concurrency.scale}, distinct \`/delivery\` and \`/flow\` filter URLs never asked for, fired together;
\`/api/health\` polled every 25 ms while they ran.

| misses at once | wall ms | each p50 ms | each p95 ms | each max ms | /api/health p99 ms | /api/health max ms | polls |
|---:|---:|---:|---:|---:|---:|---:|---:|
${results.concurrency.levels
  .map(
    (level) =>
      `| ${level.requests} | ${level.wall_ms} | ${level.p50_ms} | ${level.p95_ms} | ${level.max_ms} | ${level.health_p99_ms} | ${level.health_max_ms} | ${level.health_samples} |`,
  )
  .join('\n')}

## Standing pages after a data change

At scale ${scale}: ${results.standing.change}. Each standing page requested once ("answer": the stored answer, if
the page keeps one), then \`read_models\` polled every 100 ms until it held an answer for the new data version
(given up after 60 s).${results.standing.read_models ? '' : ' This database has no `read_models` table, so no answer is ever stored.'}

| page | answer ms | answer | fresh answer stored after ms |
|---|---:|---|---:|
${results.standing.pages
  .map(
    (page) =>
      `| \`${page.path}\` | ${page.stored_answer_ms} | ${page.served_stored ? 'the stored one' : 'computed'} | ${page.fresh_stored_ms ?? '–'} |`,
  )
  .join('\n')}

## The embedded demo

${
  results.embedded.p95_ms === null
    ? `Not measured: ${results.embedded.skipped}.`
    : `The cold pages at scale ${base} on the embedded engine the demo runs on (PGlite, served over loopback by its own process, as \`npm run demo\` does) and on Postgres, the same ${results.settings.combos} combinations each, side by side: p95 of every cold request ${results.embedded.p95_ms} ms embedded vs ${results.embedded.postgres_p95_ms} ms on Postgres (${results.embedded.requests} requests each).

| page | p95 ms embedded | p95 ms Postgres |
|---|---:|---:|
${results.embedded.pages.map((page) => `| \`${page.path}\` | ${page.p95_ms} | ${page.postgres_p95_ms} |`).join('\n')}`
}

## Ingest

${results.ingest.rows.toLocaleString('en')} pull requests into an empty \`pull_requests\` (all its indexes and foreign keys), best of 3:

| path | rows/s |
|---|---:|
| bulk upsert (\`db/queries/upsert.ts\`, what the collectors and imports call) | ${results.ingest.rows_per_s.toLocaleString('en')} |
| the same upsert, one collector page (50 rows) per call | ${results.ingest.page_rows_per_s.toLocaleString('en')} |
| server-side \`INSERT … SELECT\` of the same rows (the ceiling) | ${results.ingest.ceiling_rows_per_s.toLocaleString('en')} |

## Rollups

An incremental sync that wrote to one week: draining the rollup queue holding that week (its ${results.rollup_refresh.team_weeks} team-weeks) at scale ${scale} took
${results.rollup_refresh_ms} ms (median of 5, slowest ${results.rollup_refresh.max_ms} ms).

## GitHub

Against the fake GitHub (GitHub's REST and GraphQL wire format on 127.0.0.1), ${results.github.pull_requests.toLocaleString('en')} pull requests at ${results.github.page_size} per page:
the backfill made ${results.github.requests} requests (minimum ${results.github.minimum_requests}); a second, unchanged run made
${results.github.incremental_requests} requests and spent ${results.github.incremental_points} rate-limit points.
`
}
