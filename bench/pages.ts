// Pages under load: `next start` on each scale's database, the servers side by side, signed in as an admin (a
// session made in the database and its cookie signed as better-auth signs it). Every dashboard page, the
// one-pager and its CSV are hit by a few concurrent clients on loopback (autocannon), page by page at one
// scale right after the other, each request's server response time kept for p50 and p95. Next to each page:
// its first request after the server started (it computes the read model, or a standing page serves its
// stored answer and computes the current one in the background, which the load waits for; later requests
// find it cached), and the floor, the bare rollup query the page's read model runs, timed on its own. Then the PDF export,
// rendered end to end through Chromium.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import path from 'node:path'
import autocannon from 'autocannon'
import { sql } from 'drizzle-orm'
import { connect, type Db } from '@/db/client'
import { listWaves, listAnswers } from '@/db/queries/experience'
import { listInitiatives, getInitiativeWithTeams } from '@/db/queries/initiatives'
import { listHires } from '@/db/queries/onboarding'
import { listTeams } from '@/db/queries/organisation'
import { listAssumptionHistory } from '@/db/queries/roi'
import { listTeamWeeks } from '@/db/queries/team-weeks'
import { listSyncRuns } from '@/db/queries/sync'
import { listUsers } from '@/db/queries/users'
import { addUtcDays, parseIsoDate, startOfUtcWeek } from '@/lib/dates'
import { quantile } from '@/lib/stats/summary'
import type { Log } from './databases'

export interface PageTiming {
  path: string
  p50_ms: number
  p95_ms: number
  /** The first request after the server started: the read model computed, not cached. */
  cold_ms: number
  floor_ms: number
  requests: number
}

export interface PagesResult {
  pages: PageTiming[]
  pdf_ms: number
  pdf_bytes: number
}

const root = path.resolve(import.meta.dirname, '..')
const COOKIE = 'upshot.session_token'

/** What a page reads from the rollups (or, for pages without them, its main query), with the page's default filters. */
type Floor = (db: Db, context: { now: Date; initiativeId: number }) => Promise<unknown>

const latest = (now: Date, weeks = 26) => ({
  from: addUtcDays(startOfUtcWeek(now), -7 * weeks),
  to: startOfUtcWeek(now),
})
const initiativeWeeks: Floor = async (db, { initiativeId }) => {
  const initiative = await getInitiativeWithTeams(db, initiativeId)
  if (!initiative) throw new Error(`no initiative ${initiativeId}`)
  return listTeamWeeks(db, {
    from: parseIsoDate(initiative.baselineStart),
    to: parseIsoDate(initiative.evaluationEnd),
    teamIds: initiative.teams.map((team) => team.teamId),
  })
}

/** Every dashboard page, the one-pager and its CSV export, with the floor of each. */
function pagesOf(initiativeId: number): { path: string; floor: Floor }[] {
  return [
    { path: '/', floor: (db, { now }) => listTeamWeeks(db, latest(now)) },
    { path: '/delivery', floor: (db, { now }) => listTeamWeeks(db, latest(now)) },
    { path: '/flow', floor: (db, { now }) => listTeamWeeks(db, latest(now)) },
    { path: '/onboarding', floor: (db, { now }) => listHires(db, latest(now)) },
    {
      path: '/experience',
      floor: async (db, { now }) =>
        listAnswers(db, { waveIds: (await listWaves(db, latest(now))).map((wave) => wave.id) }),
    },
    { path: '/adoption', floor: (db, { now }) => listTeamWeeks(db, latest(now), { values: false }) },
    { path: '/initiatives', floor: (db) => listInitiatives(db) },
    { path: `/initiatives/${initiativeId}`, floor: initiativeWeeks },
    { path: `/initiatives/${initiativeId}/edit`, floor: (db) => listTeams(db) },
    { path: '/initiatives/new', floor: (db) => listTeams(db) },
    { path: '/roi', floor: (db) => listAssumptionHistory(db) },
    { path: '/sources', floor: (db) => listSyncRuns(db) },
    { path: '/access', floor: (db) => listUsers(db) },
    { path: '/report', floor: initiativeWeeks },
    { path: '/api/report.csv', floor: initiativeWeeks },
  ]
}

export interface Target {
  label: string
  databaseUrl: string
}

/**
 * Every page at each target (a scale's database), the targets' servers running side by side and each page
 * measured at one target right after the other: a ratio between scales then compares two measurements taken
 * seconds apart, not minutes, on a machine whose other load comes and goes.
 */
export async function measurePages(
  targets: Target[],
  { port, seconds, connections, log }: { port: number; seconds: number; connections: number; log: Log },
): Promise<PagesResult[]> {
  const running = targets.map((target, i) => {
    const secret = randomBytes(48).toString('base64')
    return {
      ...target,
      port: port + i,
      secret,
      connection: connect(target.databaseUrl, { max: 2 }),
      server: startServer(target.databaseUrl, port + i, secret),
      cookie: '',
      initiativeId: 0,
    }
  })
  try {
    for (const target of running) {
      target.cookie = await signedInAdmin(target.connection.db, target.secret)
      await waitForServer(target.port, target.server)
      const [initiative] = await listInitiatives(target.connection.db)
      if (!initiative) throw new Error(`${target.label}: the benchmark database has no initiative`)
      target.initiativeId = initiative.id
    }
    const now = new Date()
    const results: PagesResult[] = running.map(() => ({ pages: [], pdf_ms: 0, pdf_bytes: 0 }))
    const pages = running.map((target) => pagesOf(target.initiativeId))
    for (let p = 0; p < (pages[0]?.length ?? 0); p++) {
      for (const [t, target] of running.entries()) {
        const page = pages[t]?.[p] as { path: string; floor: Floor }
        const url = `http://127.0.0.1:${target.port}${page.path}`
        const started = performance.now()
        const response = await fetch(url, { headers: { cookie: target.cookie }, redirect: 'manual' })
        const body = await response.text()
        const cold = performance.now() - started
        if (response.status !== 200)
          throw new Error(`${target.label} ${page.path} answered ${response.status}: ${body.slice(0, 300)}`)
        // A standing page may have served its stored answer while the current one computes in the background;
        // the load below measures the page once it is current, not that computation competing with it.
        await untilCurrent(url, target.cookie, body)
        const latencies = await load(url, { cookie: target.cookie, seconds, connections })
        const floor = await median(7, () =>
          page.floor(target.connection.db, { now, initiativeId: target.initiativeId }),
        )
        const timing = {
          path: page.path,
          p50_ms: round(percentile(latencies, 0.5)),
          p95_ms: round(percentile(latencies, 0.95)),
          cold_ms: round(cold),
          floor_ms: round(floor),
          requests: latencies.length,
        }
        log(
          `  ${target.label.padEnd(8)} ${page.path.padEnd(20)} p50 ${String(timing.p50_ms).padStart(6)} ms  p95 ${String(timing.p95_ms).padStart(6)} ms  first ${String(timing.cold_ms).padStart(6)} ms  floor ${String(timing.floor_ms).padStart(6)} ms  (${timing.requests} requests)`,
        )
        results[t]?.pages.push(timing)
      }
    }
    // The PDF: the one-pager rendered by Chromium, end to end (three in a row, the median counts).
    for (const [t, target] of running.entries()) {
      let bytes = 0
      const pdf = await median(3, async () => {
        const response = await fetch(`http://127.0.0.1:${target.port}/api/report.pdf`, {
          headers: { cookie: target.cookie },
        })
        const body = new Uint8Array(await response.arrayBuffer())
        if (response.status !== 200 || response.headers.get('content-type') !== 'application/pdf')
          throw new Error(
            `${target.label} /api/report.pdf answered ${response.status} ${response.headers.get('content-type')}`,
          )
        bytes = body.length
      })
      log(`  ${target.label.padEnd(8)} /api/report.pdf      ${round(pdf)} ms (${bytes.toLocaleString('en')} bytes)`)
      results[t] = { ...(results[t] as PagesResult), pdf_ms: round(pdf), pdf_bytes: bytes }
    }
    return results
  } finally {
    for (const target of running) {
      target.server.kill('SIGTERM')
      await new Promise((resolve) =>
        target.server.exitCode !== null ? resolve(null) : target.server.once('exit', resolve),
      )
      await target.connection.db.execute(sql`delete from users where id = 'bench-admin'`).catch(() => {})
      await target.connection.close()
    }
  }
}

/** Asks `url` again until it no longer says its figures are an earlier answer (the freshness note), up to 60 s. */
async function untilCurrent(url: string, cookie: string, body: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (body.includes('data-testid="freshness-note"')) {
    if (Date.now() > deadline) throw new Error(`${url} still served an earlier answer after 60 s`)
    await new Promise((resolve) => setTimeout(resolve, 200))
    body = await (await fetch(url, { headers: { cookie }, redirect: 'manual' })).text()
  }
}

/** An admin with a live session, made in the database; the cookie better-auth would have set for it. */
export async function signedInAdmin(db: Db, secret: string): Promise<string> {
  const token = randomBytes(24).toString('base64url')
  await db.execute(sql`delete from users where id = 'bench-admin'`)
  await db.execute(
    sql`insert into users (id, name, email, email_verified, role) values ('bench-admin', 'Benchmark', 'bench@upshot.invalid', true, 'admin')`,
  )
  await db.execute(
    sql`insert into user_sessions (id, token, user_id, expires_at) values (${randomBytes(12).toString('hex')}, ${token}, 'bench-admin', now() + interval '1 day')`,
  )
  const signature = createHmac('sha256', secret).update(token).digest('base64')
  return `${COOKIE}=${encodeURIComponent(`${token}.${signature}`)}`
}

export function startServer(databaseUrl: string, port: number, secret: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        DATABASE_URL: databaseUrl,
        UPSHOT_URL: `http://127.0.0.1:${port}`,
        UPSHOT_SESSION_SECRET: secret,
        // sign-in as a deployment has it; nobody signs in through it here (the session is made directly)
        UPSHOT_GITHUB_CLIENT_ID: 'upshot-bench',
        UPSHOT_GITHUB_CLIENT_SECRET: randomBytes(16).toString('hex'),
        UPSHOT_GITHUB_ORG: 'upshot-bench',
        UPSHOT_NO_SIGN_IN: '',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let errors = ''
  child.stderr?.on('data', (chunk) => (errors = (errors + String(chunk)).slice(-4000)))
  child.once('exit', (code) => {
    if (code && code !== 143) process.stderr.write(`next start exited with ${code}:\n${errors}\n`)
  })
  return child
}

export async function waitForServer(port: number, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(
        `next start exited with ${server.exitCode} (is there a build? npm run bench builds unless --no-build)`,
      )
    const ready = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`next start did not answer on port ${port} within 60 s`)
}

/** Each request's response time (ms) under `connections` concurrent clients for `seconds`. Any non-200 answer fails the run. */
async function load(
  url: string,
  { cookie, seconds, connections }: { cookie: string; seconds: number; connections: number },
): Promise<number[]> {
  const latencies: number[] = []
  const statuses = new Map<number, number>()
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers: { cookie } }, (error, done) =>
      error ? reject(error) : resolve(done),
    )
    instance.on('response', (_client, status, _bytes, responseTime) => {
      latencies.push(responseTime)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    })
  })
  const bad = [...statuses].filter(([status]) => status !== 200)
  if (bad.length || result.errors || result.timeouts)
    throw new Error(
      `${url}: ${JSON.stringify(Object.fromEntries(bad))} non-200 answers, ${result.errors} errors, ${result.timeouts} timeouts under load`,
    )
  return latencies
}

export async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await work()
    times.push(performance.now() - started)
  }
  return percentile(times, 0.5)
}

/** The q-quantile of response times (type 7, as percentile_cont). */
export function percentile(values: number[], q: number): number {
  return quantile(values, q) ?? Number.NaN
}

export const round = (ms: number) => Math.round(ms * 10) / 10
