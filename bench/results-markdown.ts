// bench/RESULTS.md: what the benchmark found, for people, written from the results.
import type { Check, LoadAverage, Results } from './results'

const showLoad = (load: LoadAverage) => [load.min_1, load.min_5, load.min_15].map((n) => n.toFixed(2)).join(', ')

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
