// npm run bench [-- --fresh] [--no-build] [--seconds 8] [--connections 4] [--scales 1,20] [--months 36]
//   [--combos 15] [--only cold,concurrency,standing,embedded,warm,ingest,github,refresh]
//
// Upshot at enterprise scale, against a real Postgres: DATABASE_URL names a server the benchmark may create
// databases on (it makes upshot_bench_* and touches nothing else). It seeds the demo organisation at scale 1
// and scale 20 (≈5,000 engineers, over a million pull requests, 3 years; kept between runs, --fresh seeds
// again), then measures, in one run: ingest against the server's own insert rate, the GitHub collector's
// requests against the fake GitHub, a one-week rollup refresh, and every page under load at both scales with
// its floor, and the PDF (issue 8); then what a user waits for (issue 17: cold.ts, concurrency.ts, standing.ts,
// embedded-comparison.ts): each dashboard page under filters not in the read-model cache at both scales,
// concurrent misses, the standing pages after a data change, and the cold pages on the demo's embedded engine.
// It prints the tables and writes bench/results.json and bench/RESULTS.md; with --only (some parts alone, for
// development) it writes bench/results.partial.json instead.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Command } from 'commander'
import { startOfUtcWeek, toIsoDate } from '@/lib/dates'
import { acceptance } from './acceptance'
import { measureCold } from './cold'
import { measureConcurrency } from './concurrency'
import { countFacts, seededDatabase, withServer, type Log } from './databases'
import { measureEmbedded } from './embedded-comparison'
import { measureGitHub } from './github'
import { measureIngest } from './ingest'
import { measurePages, type PagesResult } from './pages'
import { coldPages, describeMachine, loadAverage, type Measured, type Results } from './results'
import { resultsMarkdown } from './results-markdown'
import { measureRefresh } from './rollups'
import { measureStanding } from './standing'
import { startTargets, stopTargets } from './targets'

const root = path.resolve(import.meta.dirname, '..')

const PARTS = ['warm', 'ingest', 'github', 'refresh', 'cold', 'concurrency', 'standing', 'embedded'] as const
type Part = (typeof PARTS)[number]

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
  .option('--port <n>', 'first of the four ports of the web servers under test', Number, 3300)
  .option('--combos <n>', 'distinct filter combinations per cold page', Number, 15)
  .option(
    '--only <parts>',
    `run only these parts, comma-separated (${PARTS.join(',')}); writes bench/results.partial.json, not results.json`,
  )
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
  combos: number
  only?: string
}>()
const log: Log = (message) => process.stderr.write(`${message}\n`)

function parseParts(list: string): Part[] {
  const named = list.split(',').map((part) => part.trim())
  const unknown = named.filter((part) => !(PARTS as readonly string[]).includes(part))
  if (unknown.length) throw new Error(`--only: no part called ${unknown.join(', ')} (parts: ${PARTS.join(', ')})`)
  return named as Part[]
}

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL
  if (!server)
    throw new Error(
      'npm run bench needs DATABASE_URL: a Postgres 15+ server on which it may create databases named upshot_bench_* (e.g. postgres://postgres@127.0.0.1:5432/postgres).',
    )
  const [base, scale] = options.scales.split(',').map(Number)
  if (!base || !scale || !(base < scale))
    throw new Error(`--scales must be two sizes, small first (e.g. 1,20), not "${options.scales}"`)
  const parts = new Set<Part>(options.only ? parseParts(options.only) : PARTS)
  const loadStart = os.loadavg()
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

  // only the organisations the parts asked for (ingest and GitHub make their own databases)
  const needsLarge = (['warm', 'refresh', 'cold', 'concurrency', 'standing'] as const).some((part) => parts.has(part))
  const needsSmall = needsLarge || parts.has('embedded')
  const seeded = (size: number) =>
    seededDatabase(
      server,
      { scale: size, months: options.months, seed: options.seed, end },
      { fresh: options.fresh, log },
    )
  const small = needsSmall ? await seeded(base) : { url: '' }
  const large = needsLarge ? await seeded(scale) : { url: '' }
  const data: Record<string, Record<string, number>> = {}
  if (needsSmall) data[String(base)] = await countFacts(small.url)
  if (needsLarge) {
    data[String(scale)] = await countFacts(large.url)
    log(`scale ${scale}: ${JSON.stringify(data[String(scale)])}`)
  }

  const measured: Measured = {
    date: date.toISOString(),
    machine: describeMachine(await serverVersion(server)),
    scale,
    base_scale: base,
    settings: {
      months: options.months,
      seed: options.seed,
      seconds_per_page: options.seconds,
      connections: options.connections,
      combos: options.combos,
    },
    data,
  }
  if (parts.has('ingest')) measured.ingest = await measureIngest(server, log)
  if (parts.has('github')) measured.github = await measureGitHub(server, log)
  if (parts.has('refresh')) {
    const refresh = await measureRefresh(large.url, log)
    measured.rollup_refresh_ms = refresh.median_ms
    measured.rollup_refresh = refresh
  }
  if (parts.has('warm')) {
    const load = { port: options.port, seconds: options.seconds, connections: options.connections }
    log(`pages: ${options.connections} clients, ${options.seconds} s per page`)
    const [pagesSmall, pagesLarge] = (await measurePages(
      [
        { label: `scale ${base}`, databaseUrl: small.url },
        { label: `scale ${scale}`, databaseUrl: large.url },
      ],
      { ...load, log },
    )) as [PagesResult, PagesResult]
    measured.pages = pagesLarge.pages.map((page) => {
      const same = pagesSmall.pages.find((other) => other.path === page.path)
      if (!same) throw new Error(`${page.path} was measured at scale ${scale} only`)
      return {
        ...page,
        p50_ms_scale1: same.p50_ms,
        p95_ms_scale1: same.p95_ms,
        cold_ms_scale1: same.cold_ms,
        floor_ms_scale1: same.floor_ms,
      }
    })
    measured.pdf_ms = pagesLarge.pdf_ms
    measured.pdf_ms_scale1 = pagesSmall.pdf_ms
  }

  // Issue 17: fresh servers, so that no URL below was asked for before in their life.
  if (parts.has('cold') || parts.has('concurrency') || parts.has('standing')) {
    const running = await startTargets(
      [
        { label: `scale ${base}`, databaseUrl: small.url },
        { label: `scale ${scale}`, databaseUrl: large.url },
      ],
      options.port,
    )
    try {
      const largeServer = running[1] as (typeof running)[1] & object
      if (parts.has('cold')) {
        log(`cold pages: ${options.combos} filter combinations each, one request at a time`)
        const cold = await measureCold(running, { combos: options.combos, floors: true, log })
        measured.cold = coldPages(cold)
      }
      if (parts.has('concurrency')) {
        log(`concurrent misses at scale ${scale}`)
        measured.concurrency = { scale, levels: await measureConcurrency(largeServer, { log }) }
      }
      if (parts.has('standing')) {
        log(`standing pages after a data change at scale ${scale}`)
        measured.standing = await measureStanding(largeServer, { log })
      }
    } finally {
      await stopTargets(running)
    }
  }
  if (parts.has('embedded'))
    measured.embedded = await measureEmbedded(
      { scale: base, months: options.months, seed: options.seed, end },
      small.url,
      { port: options.port, combos: options.combos, log },
    )
  measured.load = { cpus: os.cpus().length, start: loadAverage(loadStart), end: loadAverage(os.loadavg()) }

  const checks = acceptance(measured)
  const everything = PARTS.every((part) => parts.has(part))
  if (everything) {
    const results = { ...measured, acceptance: checks } as Results
    writeFileSync(path.join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
    writeFileSync(path.join(root, 'bench', 'RESULTS.md'), resultsMarkdown(results))
  } else {
    writeFileSync(
      path.join(root, 'bench', 'results.partial.json'),
      `${JSON.stringify({ ...measured, parts: [...parts], acceptance: checks }, null, 2)}\n`,
    )
  }

  if (measured.pages) {
    console.log(`\npage                   p50 ms   p95 ms   p95 ms @${base}   first ms   floor ms`)
    for (const page of measured.pages) {
      console.log(
        `${page.path.padEnd(20)} ${String(page.p50_ms).padStart(8)} ${String(page.p95_ms).padStart(8)} ${String(page.p95_ms_scale1).padStart(11)} ${String(page.cold_ms).padStart(10)} ${String(page.floor_ms).padStart(10)}`,
      )
    }
  }
  if (measured.cold) {
    console.log(
      `\ncold page          p50 ms  p95 ms  max ms  p50 @${base}  p95 @${base}  max @${base}  all reads ms  all reads @${base}`,
    )
    for (const page of measured.cold)
      console.log(
        `${page.path.padEnd(16)} ${[page.p50_ms, page.p95_ms, page.max_ms].map((n) => String(n).padStart(7)).join(' ')} ${[page.p50_ms_scale1, page.p95_ms_scale1, page.max_ms_scale1].map((n) => String(n).padStart(7)).join(' ')} ${String(page.floor_all_ms).padStart(13)} ${String(page.floor_all_ms_scale1).padStart(13)}`,
      )
  }
  if (measured.concurrency)
    for (const level of measured.concurrency.levels)
      console.log(
        `${level.requests} misses at once at scale ${scale}: wall ${level.wall_ms} ms, each p50 ${level.p50_ms} / p95 ${level.p95_ms} / max ${level.max_ms} ms; /api/health p99 ${level.health_p99_ms} ms, max ${level.health_max_ms} ms`,
      )
  if (measured.standing)
    for (const page of measured.standing.pages)
      console.log(
        `after a data change at scale ${scale}: ${page.path} answered in ${page.stored_answer_ms} ms; fresh answer stored ${page.fresh_stored_ms === null ? (measured.standing.read_models ? 'not within 60 s' : 'never (no read_models table)') : `after ${page.fresh_stored_ms} ms`}`,
      )
  if (measured.embedded)
    console.log(
      measured.embedded.p95_ms === null
        ? `embedded demo: not measured (${measured.embedded.skipped})`
        : `embedded demo at scale ${base}: cold p95 ${measured.embedded.p95_ms} ms vs ${measured.embedded.postgres_p95_ms} ms on Postgres`,
    )
  if (measured.ingest && measured.github && measured.rollup_refresh)
    console.log(
      `\ningest ${measured.ingest.rows_per_s.toLocaleString('en')} rows/s (ceiling ${measured.ingest.ceiling_rows_per_s.toLocaleString('en')}) · one-week refresh ${measured.rollup_refresh.median_ms} ms · GitHub ${measured.github.requests}/${measured.github.minimum_requests} requests, ${measured.github.incremental_points} points incremental · PDF ${measured.pdf_ms} ms`,
    )
  console.log(
    `\nload average ${loadStart.map((n) => n.toFixed(2)).join(' ')} at the start, ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')} at the end (${measured.load.cpus} processors)`,
  )
  for (const item of checks) console.log(`${item.holds ? 'holds ' : 'FAILS '} ${item.check}: ${item.figures}`)
  console.log(
    `\n${everything ? 'bench/results.json and bench/RESULTS.md' : `bench/results.partial.json (only ${[...parts].join(', ')})`} written in ${((performance.now() - started) / 60_000).toFixed(1)} min`,
  )
  if (checks.some((item) => !item.holds)) process.exitCode = 1
}

async function serverVersion(server: string): Promise<string> {
  const [{ version } = { version: 'unknown' }] = await withServer(
    server,
    (sql) => sql<{ version: string }[]>`select current_setting('server_version') as version`,
  )
  return version
}

main().catch((error: unknown) => {
  log(`npm run bench: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
