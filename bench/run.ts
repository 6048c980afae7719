// npm run bench [-- --fresh] [--no-build] [--seconds 8] [--connections 4] [--scales 1,20] [--months 36]
//
// Upshot at enterprise scale, against a real Postgres: DATABASE_URL names a server the benchmark may create
// databases on (it makes upshot_bench_* and touches nothing else). It seeds the demo organisation at scale 1
// and scale 20 (≈5,000 engineers, over a million pull requests, 3 years; kept between runs, --fresh seeds
// again), then measures, in one run: ingest against the server's own insert rate, the GitHub collector's
// requests against the fake GitHub, a one-week rollup refresh, and every page under load at both scales with
// its floor, and the PDF. It prints the table and writes bench/results.json and bench/RESULTS.md.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import { startOfUtcWeek, toIsoDate } from '@/lib/dates'
import { countFacts, seededDatabase, withServer, type Log } from './databases'
import { measureGitHub } from './github'
import { measureIngest } from './ingest'
import { measurePages, type PagesResult } from './pages'
import { acceptance, describeMachine, resultsMarkdown, type Results } from './results'
import { measureRefresh } from './rollups'

const root = path.resolve(import.meta.dirname, '..')

const program = new Command()
  .name('npm run bench')
  .description('Measures Upshot at scale 1 and scale 20 against the Postgres server in DATABASE_URL.')
  .option('--scales <small,large>', 'the two organisation sizes compared', '1,20')
  .option('--months <n>', 'months of history', Number, 36)
  .option('--seed <n>', 'random seed of the demo organisation', Number, 42)
  .option('--fresh', 'seed the organisations again even if an earlier run left them', false)
  .option('--no-build', 'use the existing production build (.next) instead of running next build')
  .option('--seconds <n>', 'seconds of load per page', Number, 8)
  .option('--connections <n>', 'concurrent clients per page', Number, 4)
  .option('--port <n>', 'port of the web server under test', Number, 3300)
  .parse()

const options = program.opts<{
  scales: string
  months: number
  seed: number
  fresh: boolean
  build: boolean
  seconds: number
  connections: number
  port: number
}>()
const log: Log = (message) => process.stderr.write(`${message}\n`)

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL
  if (!server)
    throw new Error(
      'npm run bench needs DATABASE_URL: a Postgres 15+ server on which it may create databases named upshot_bench_* (e.g. postgres://postgres@127.0.0.1:5432/postgres).',
    )
  const [base, scale] = options.scales.split(',').map(Number)
  if (!base || !scale || !(base < scale))
    throw new Error(`--scales must be two sizes, small first (e.g. 1,20), not "${options.scales}"`)
  const started = performance.now()
  const date = new Date()
  const end = toIsoDate(startOfUtcWeek(date))

  if (options.build) {
    log('building the production server (next build)…')
    const build = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    })
    if (build.status !== 0) throw new Error(`next build failed (exit ${build.status})`)
  }

  const small = await seededDatabase(
    server,
    { scale: base, months: options.months, seed: options.seed, end },
    { fresh: options.fresh, log },
  )
  const large = await seededDatabase(
    server,
    { scale, months: options.months, seed: options.seed, end },
    { fresh: options.fresh, log },
  )
  const data = { [String(base)]: await countFacts(small.url), [String(scale)]: await countFacts(large.url) }
  log(`scale ${scale}: ${JSON.stringify(data[String(scale)])}`)

  const ingest = await measureIngest(server, log)
  const github = await measureGitHub(server, log)
  const refresh = await measureRefresh(large.url, log)
  const load = { port: options.port, seconds: options.seconds, connections: options.connections }
  log(`pages: ${options.connections} clients, ${options.seconds} s per page`)
  const [pagesSmall, pagesLarge] = (await measurePages(
    [
      { label: `scale ${base}`, databaseUrl: small.url },
      { label: `scale ${scale}`, databaseUrl: large.url },
    ],
    { ...load, log },
  )) as [PagesResult, PagesResult]

  const [{ version } = { version: 'unknown' }] = await withServer(
    server,
    (sql) => sql<{ version: string }[]>`select current_setting('server_version') as version`,
  )
  const measured: Omit<Results, 'acceptance'> = {
    date: date.toISOString(),
    machine: describeMachine(version),
    scale,
    base_scale: base,
    settings: {
      months: options.months,
      seed: options.seed,
      seconds_per_page: options.seconds,
      connections: options.connections,
    },
    data,
    pages: pagesLarge.pages.map((page) => {
      const same = pagesSmall.pages.find((other) => other.path === page.path)
      if (!same) throw new Error(`${page.path} was measured at scale ${scale} only`)
      return {
        ...page,
        p50_ms_scale1: same.p50_ms,
        p95_ms_scale1: same.p95_ms,
        cold_ms_scale1: same.cold_ms,
        floor_ms_scale1: same.floor_ms,
      }
    }),
    ingest,
    rollup_refresh_ms: refresh.median_ms,
    rollup_refresh: refresh,
    github,
    pdf_ms: pagesLarge.pdf_ms,
    pdf_ms_scale1: pagesSmall.pdf_ms,
  }
  const results: Results = { ...measured, acceptance: acceptance(measured) }
  writeFileSync(path.join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(path.join(root, 'bench', 'RESULTS.md'), resultsMarkdown(results))

  console.log(`\npage                   p50 ms   p95 ms   p95 ms @${base}   first ms   floor ms`)
  for (const page of results.pages) {
    console.log(
      `${page.path.padEnd(20)} ${String(page.p50_ms).padStart(8)} ${String(page.p95_ms).padStart(8)} ${String(page.p95_ms_scale1).padStart(11)} ${String(page.cold_ms).padStart(10)} ${String(page.floor_ms).padStart(10)}`,
    )
  }
  console.log(
    `\ningest ${ingest.rows_per_s.toLocaleString('en')} rows/s (ceiling ${ingest.ceiling_rows_per_s.toLocaleString('en')}) · one-week refresh ${refresh.median_ms} ms · GitHub ${github.requests}/${github.minimum_requests} requests, ${github.incremental_points} points incremental · PDF ${results.pdf_ms} ms`,
  )
  for (const item of results.acceptance)
    console.log(`${item.holds ? 'holds ' : 'FAILS '} ${item.check}: ${item.figures}`)
  console.log(
    `\nbench/results.json and bench/RESULTS.md written in ${((performance.now() - started) / 60_000).toFixed(1)} min`,
  )
  if (results.acceptance.some((item) => !item.holds)) process.exitCode = 1
}

main().catch((error: unknown) => {
  log(`npm run bench: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
