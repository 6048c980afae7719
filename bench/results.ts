// What the benchmark found, as bench/results.json (for machines) and bench/RESULTS.md (for people), with the
// acceptance checks of issue 8 worked out from the figures. Pure: the run hands everything in.
import os from 'node:os'
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
  settings: { months: number; seed: number; seconds_per_page: number; connections: number }
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
  acceptance: { check: string; holds: boolean; figures: string }[]
}

const LIMITS = { p95Ms: 300, p95Growth: 1.5, ingestShare: 0.5, requestsRatio: 1.2, refreshMs: 1000 } as const

/** The machine, in one line: processor, cores, memory, system, Node and Postgres. */
export function describeMachine(postgresVersion: string): string {
  const cpus = os.cpus()
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()} (${os.arch()}), Node ${process.version}, PostgreSQL ${postgresVersion}`
}

export function acceptance(results: Omit<Results, 'acceptance'>): Results['acceptance'] {
  const slow = results.pages.filter((page) => page.p95_ms > LIMITS.p95Ms)
  const grew = results.pages.filter((page) => page.p95_ms > LIMITS.p95Growth * page.p95_ms_scale1)
  const worst = (list: Results['pages'], figure: (page: Results['pages'][number]) => number) =>
    [...list].sort((a, b) => figure(b) - figure(a))[0]
  const slowest = worst(results.pages, (page) => page.p95_ms)
  const mostGrown = worst(results.pages, (page) => page.p95_ms / page.p95_ms_scale1)
  const share = results.ingest.rows_per_s / results.ingest.ceiling_rows_per_s
  const ratio = results.github.requests / results.github.minimum_requests
  return [
    {
      check: `every page's p95 at scale ${results.scale} is within ${LIMITS.p95Ms} ms`,
      holds: slow.length === 0,
      figures: slow.length
        ? `over: ${slow.map((page) => `${page.path} ${page.p95_ms} ms`).join(', ')}`
        : `slowest ${slowest?.path} ${slowest?.p95_ms} ms`,
    },
    {
      check: `every page's p95 at scale ${results.scale} is within ${LIMITS.p95Growth}× its p95 at scale ${results.base_scale}`,
      holds: grew.length === 0,
      figures: grew.length
        ? `over: ${grew.map((page) => `${page.path} ${page.p95_ms} vs ${page.p95_ms_scale1} ms`).join(', ')}`
        : `largest ${mostGrown?.path} ${mostGrown?.p95_ms} vs ${mostGrown?.p95_ms_scale1} ms = ${((mostGrown?.p95_ms ?? 0) / (mostGrown?.p95_ms_scale1 ?? 1)).toFixed(2)}×`,
    },
    {
      check: `ingest reaches at least ${LIMITS.ingestShare * 100}% of the server-side INSERT … SELECT rate`,
      holds: share >= LIMITS.ingestShare,
      figures: `${results.ingest.rows_per_s.toLocaleString('en')} of ${results.ingest.ceiling_rows_per_s.toLocaleString('en')} rows/s = ${(share * 100).toFixed(0)}%`,
    },
    {
      check: `a ${results.github.pull_requests.toLocaleString('en')}-PR backfill takes at most ${LIMITS.requestsRatio}× the minimum requests`,
      holds: ratio <= LIMITS.requestsRatio,
      figures: `${results.github.requests} requests for a minimum of ${results.github.minimum_requests} = ${ratio.toFixed(3)}×`,
    },
    {
      check: 'an unchanged incremental run spends 0 rate-limit points',
      holds: results.github.incremental_points === 0,
      figures: `${results.github.incremental_points} points over ${results.github.incremental_requests} requests`,
    },
    {
      check: `refreshing the rollups of one queued week takes under ${LIMITS.refreshMs} ms at scale ${results.scale}`,
      holds: results.rollup_refresh_ms < LIMITS.refreshMs,
      figures: `${results.rollup_refresh_ms} ms (median of 5; slowest ${results.rollup_refresh.max_ms} ms)`,
    },
  ]
}

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

## Acceptance (issue 8)

${results.acceptance.map((item) => `- ${item.holds ? '✅' : '❌'} ${item.check}: ${item.figures}`).join('\n')}

## The organisations

Demo organisations (seed ${results.settings.seed}, ${results.settings.months} months), each in its own database.

| | scale ${base} | scale ${scale} |
|---|---:|---:|
${['teams', 'people', 'pull_requests', 'deployments', 'incidents', 'portal_events', 'survey_responses', 'team_weeks', 'years'].map(data).join('\n')}

## Pages

Server response time of \`next start\` (production build) to a signed-in admin, ${results.settings.connections} concurrent
clients on loopback for ${results.settings.seconds_per_page} s per page (autocannon), p50 and p95 of every request.
"First" is the first request after the server started, which computes the page's read model; later requests
find it in the read-model cache until the data changes. "Floor" is the bare query the page's read model runs
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
