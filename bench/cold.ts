// What a user waits for: pages whose read model is not in the web process's cache (lib/data/read-cache.ts),
// because nobody asked for these filters since the server started or since the data last changed. The warm
// figures (pages.ts) hit one URL again and again and so mostly time the cache; these never do.
//
// - Cold: each dashboard page under many distinct filter combinations (teams, pilot or control teams, other
//   weeks), each URL requested once in the server's life; the unfiltered view right after the data version
//   moved and its stored answers (read_models) were removed, so that it too is computed, not served from the
//   store. Requested one at a time, each at one scale right after the other.
// - Concurrency: 4, then 16 distinct misses fired together, with /api/health polled meanwhile: does one
//   user's expensive page stall everyone else's?
// - Standing pages after a data change: the stored answer served at once, and how long until the fresh one
//   is stored (the table read_models).
import { randomBytes } from 'node:crypto'
import type { ChildProcess } from 'node:child_process'
import { sql } from 'drizzle-orm'
import { connect, type Connection } from '@/db/client'
import { getInitiativeWithTeams, listInitiatives } from '@/db/queries/initiatives'
import { listTeams } from '@/db/queries/organisation'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import { addUtcDays, parseIsoDate, startOfUtcWeek, toIsoDate } from '@/lib/dates'
import { formatDate } from '@/lib/format'
import { seededDraw } from '@/lib/stats/random'
import type { Log } from './databases'
import { floorsOf } from './floors'
import { median, percentile, round, signedInAdmin, startServer, waitForServer, type Target } from './pages'

/** A scale's web server with what the cold requests need to build and check their URLs. */
export interface Running {
  label: string
  port: number
  server: ChildProcess
  secret: string
  connection: Connection
  cookie: string
  initiative: { id: number; name: string }
  cohorts: { pilot: number; control: number }
  teams: { id: number; name: string }[]
  /** Every URL this server process has been asked for, so none is counted as a miss twice. */
  requested: Set<string>
  /** Whether the database stores answers (read_models), which a miss must not find either. */
  readModels: boolean
}

export interface ColdTiming {
  path: string
  combos: number
  p50_ms: number
  p95_ms: number
  max_ms: number
  /** Every read of the page's read model together, with its default filters (floors.ts), median of 5. */
  floor_all_ms: number
  /** Answers that said they were an earlier stored answer (the freshness note): 0 when every request was a miss. */
  stored_answers: number
}

export interface ConcurrencyLevel {
  requests: number
  wall_ms: number
  p50_ms: number
  p95_ms: number
  max_ms: number
  health_samples: number
  health_p99_ms: number
  health_max_ms: number
}

export interface StandingTiming {
  path: string
  name: string
  /** The first request after the change: the stored (older) answer, if the page has one. */
  stored_answer_ms: number
  /** Whether that answer said it was the earlier one (the freshness note) rather than computed for the new data. */
  served_stored: boolean
  /** From that request until read_models holds an answer for the new data version; null if none within 60 s or no table. */
  fresh_stored_ms: number | null
}

export interface StandingResult {
  /** Whether the database has the table read_models (standing answers); without it nothing is stored. */
  read_models: boolean
  change: string
  pages: StandingTiming[]
}

export const COLD_PATHS = [
  '/',
  '/delivery',
  '/flow',
  '/onboarding',
  '/experience',
  '/adoption',
  'initiative',
  '/report',
]

/** Start one `next start` per target, each signed in as an admin, with the facts the URLs are built from. */
export async function startTargets(targets: Target[], port: number): Promise<Running[]> {
  const running: Running[] = []
  try {
    for (const [i, target] of targets.entries()) {
      const secret = randomBytes(48).toString('base64')
      const connection = connect(target.databaseUrl, { max: 4 })
      const server = startServer(target.databaseUrl, port + i, secret)
      running.push({
        label: target.label,
        port: port + i,
        server,
        secret,
        connection,
        cookie: '',
        initiative: { id: 0, name: '' },
        cohorts: { pilot: 0, control: 0 },
        teams: [],
        requested: new Set(),
        readModels: false,
      })
    }
    for (const target of running) {
      const { db } = target.connection
      target.cookie = await signedInAdmin(db, target.secret)
      // the initiative in view, whose teams `group=pilot|control` means (lib/data/filters.ts initiativeInView):
      // the latest launched, else the latest planned
      const initiatives = await listInitiatives(db)
      const today = new Date()
      const initiative =
        initiatives.filter((one) => new Date(`${one.launchDate}T00:00:00Z`) <= today).at(-1) ?? initiatives.at(-1)
      if (!initiative) throw new Error(`${target.label}: the benchmark database has no initiative`)
      const withTeams = await getInitiativeWithTeams(db, initiative.id)
      target.initiative = { id: initiative.id, name: initiative.name }
      target.cohorts = {
        pilot: withTeams?.teams.filter((team) => team.role === 'pilot').length ?? 0,
        control: withTeams?.teams.filter((team) => team.role === 'control').length ?? 0,
      }
      target.teams = (await listTeams(db)).map((team) => ({ id: team.id, name: team.name }))
      const [table] = await db.execute<{ present: boolean }>(
        sql`select to_regclass('public.read_models') is not null as present`,
      )
      target.readModels = table?.present === true
      await waitForServer(target.port, target.server)
    }
    return running
  } catch (error) {
    await stopTargets(running)
    throw error
  }
}

export async function stopTargets(running: Running[]): Promise<void> {
  for (const target of running) {
    if (target.server.exitCode === null) {
      target.server.kill('SIGTERM')
      await new Promise((resolve) =>
        target.server.exitCode !== null ? resolve(null) : target.server.once('exit', resolve),
      )
    }
    await target.connection.db.execute(sql`delete from users where id = 'bench-admin'`).catch(() => {})
    await target.connection.close()
  }
}

/** A filter combination of a page: its query string, and what the page must show if it honoured it. */
interface Combo {
  query: string
  /** Move the data version first: the unfiltered view (or a page without filters) is otherwise a URL seen before. */
  bump: boolean
  /** The scope the page states ("All teams", "Pilot teams of …", team names); null: not stated on this page. */
  scope: string | null
  /** The first week shown, as the filter bar's date field holds it; null when the defaults apply. */
  from: string | null
}

const WINDOW_WEEKS = [4, 8, 13, 26, 39, 52]

/**
 * `count` distinct filter combinations for a page at `target`: the unfiltered view first (after a version
 * bump), then teams subsets, the pilot and control teams, other week windows, and mixes of them. The same
 * seed gives the same pattern at every scale (the team ids come from each database).
 */
export function combosFor(
  target: Pick<Running, 'teams' | 'initiative' | 'cohorts'>,
  count: number,
  seed: number,
  now: Date,
): Combo[] {
  const draw = seededDraw(seed)
  const pick = (n: number) => Math.floor(draw() * n)
  const monday = startOfUtcWeek(now)
  const window = (): { from: string; to: string } => {
    const weeks = WINDOW_WEEKS[pick(WINDOW_WEEKS.length)] ?? 26
    const to = addUtcDays(monday, -7 * pick(53))
    return { from: toIsoDate(addUtcDays(to, -7 * weeks)), to: toIsoDate(to) }
  }
  const someTeams = (): { id: number; name: string }[] => {
    const chosen = new Map<number, { id: number; name: string }>()
    const size = 1 + pick(Math.min(5, target.teams.length))
    while (chosen.size < size) {
      const team = target.teams[pick(target.teams.length)]
      if (team) chosen.set(team.id, team)
    }
    return [...chosen.values()]
  }
  const cohortScope = (group: 'pilot' | 'control') =>
    `${group === 'pilot' ? 'Pilot teams' : 'Control teams'} of ${target.initiative.name}`
  const combos: Combo[] = [{ query: '', bump: true, scope: 'All teams', from: null }]
  const seen = new Set([''])
  for (let attempt = 0; combos.length < count && attempt < count * 50; attempt++) {
    const params = new URLSearchParams()
    let scope = 'All teams'
    let from: string | null = null
    const kind = combos.length % 5
    if (kind === 1 || kind === 0) {
      const teams = someTeams()
      params.set('teams', teams.map((team) => team.id).join(','))
      scope = teams.map((team) => team.name).join(', ')
    } else if (kind === 2 || kind === 3) {
      const group = kind === 2 ? 'pilot' : 'control'
      if (target.cohorts[group] > 0) {
        params.set('group', group)
        scope = cohortScope(group)
      }
    }
    if (kind !== 1) {
      const weeks = window()
      params.set('from', weeks.from)
      params.set('to', weeks.to)
      from = weeks.from
    }
    const query = params.toString()
    if (seen.has(query)) continue
    seen.add(query)
    combos.push({ query, bump: false, scope, from })
  }
  return combos
}

export interface Fetched {
  ms: number
  status: number
  body: string
}

/** One request, timed until its last byte (a streamed page is done when its last section is). */
export async function timedGet(target: Running, pathAndQuery: string): Promise<Fetched> {
  const started = performance.now()
  const response = await fetch(`http://127.0.0.1:${target.port}${pathAndQuery}`, {
    headers: { cookie: target.cookie },
    redirect: 'manual',
  })
  const body = await response.text()
  return { ms: performance.now() - started, status: response.status, body }
}

const escapeHtml = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#x27;')

/** Throws unless the page answered 200 and shows the filters it was asked for (not a redirect, not the defaults). */
function checkAnswer(target: Running, url: string, combo: Combo | null, fetched: Fetched): void {
  const fail = (why: string) => {
    throw new Error(`${target.label} ${url}: ${why}`)
  }
  if (fetched.status !== 200) fail(`answered ${fetched.status}: ${fetched.body.slice(0, 300)}`)
  if (fetched.body.includes('data-testid="filter-problems"')) fail('the page could not read its filters')
  // the initiative's page, and the one-pager without filters (which then states none): the initiative named
  if (!combo || (combo.query === '' && url.startsWith('/report'))) {
    if (!fetched.body.includes(escapeHtml(target.initiative.name))) fail(`does not name ${target.initiative.name}`)
    return
  }
  // the line that states what the page is about: "<strong>Pilot teams of …</strong> · 2 Mar 2026 – 29 Nov 2026"
  const stated = /data-testid="scope">(.*?)<\/p>/s.exec(fetched.body)?.[1]
  if (stated === undefined) return fail('states no scope')
  if (combo.scope !== null && !stated.includes(`<strong>${escapeHtml(combo.scope)}</strong>`))
    fail(`does not state the scope “${combo.scope}”: ${stated.slice(0, 200)}`)
  if (combo.from !== null && !stated.includes(formatDate(parseIsoDate(combo.from))))
    fail(`does not show the weeks from ${combo.from}: ${stated.slice(0, 200)}`)
}

async function bump(target: Running): Promise<void> {
  // its own statement, so its own transaction: committed before the request reads the version
  await target.connection.db.execute(sql`select upshot_bump_data_version()`)
}

/** The read model each cold page reads (its cachedRead / standingRead name). */
const READ_MODELS: Record<string, string> = {
  '/': 'overview',
  '/delivery': 'delivery',
  '/flow': 'flow',
  '/onboarding': 'onboarding',
  '/experience': 'experience',
  '/adoption': 'adoption',
  initiative: 'initiative',
  '/report': 'report',
}

/**
 * Makes the next request of `page`'s unfiltered view a miss: the data version moves (no process's memory
 * holds an answer for it), and the stored answers of its read model go, so that a standing page does not serve
 * its last answer while the new one computes in the background (what standing pages do after a change: that
 * is measured by measureStanding, not here).
 */
async function forget(target: Running, page: string): Promise<void> {
  await bump(target)
  if (target.readModels)
    await target.connection.db.execute(sql`delete from read_models where name = ${READ_MODELS[page] ?? page}`)
}

const servedStored = (fetched: Fetched) => fetched.body.includes('data-testid="freshness-note"')

const pathOf = (page: string, target: Running) =>
  page === 'initiative' ? `/initiatives/${target.initiative.id}` : page

export interface ColdResult {
  /** Per target, per page, in COLD_PATHS order. */
  pages: ColdTiming[][]
  /** Every cold request of each target, all pages together. */
  all: number[][]
}

/**
 * The cold pages at each target, page by page, each combination at one target right after the other.
 * `floors`: also time every page's reads alone (the embedded comparison leaves them out).
 */
export async function measureCold(
  running: Running[],
  { combos: count, floors, log }: { combos: number; floors: boolean; log: Log },
): Promise<ColdResult> {
  const now = new Date()
  const result: ColdResult = { pages: running.map(() => []), all: running.map(() => []) }
  const floorSets = floors ? await Promise.all(running.map((target) => floorsOf(target.connection.db, { now }))) : null
  for (const [p, page] of COLD_PATHS.entries()) {
    const combos = running.map((target) => combosFor(target, count, 1000 + p, now))
    const times: number[][] = running.map(() => [])
    const stored = running.map(() => 0)
    for (let c = 0; c < count; c++) {
      for (const [t, target] of running.entries()) {
        const combo = page === 'initiative' ? null : (combos[t]?.[c] ?? null)
        if (page !== 'initiative' && !combo) continue
        const url = combo?.query ? `${pathOf(page, target)}?${combo.query}` : pathOf(page, target)
        // the initiative's page has no filters: every request of it is made a miss the same way
        if (!combo || combo.bump) await forget(target, page)
        else if (target.requested.has(url)) throw new Error(`${target.label} ${url} was requested before`)
        target.requested.add(url)
        const fetched = await timedGet(target, url)
        checkAnswer(target, url, combo, fetched)
        if (servedStored(fetched)) stored[t] = (stored[t] ?? 0) + 1
        times[t]?.push(fetched.ms)
        result.all[t]?.push(fetched.ms)
      }
    }
    for (const [t, target] of running.entries()) {
      const list = times[t] ?? []
      const floor = floorSets?.[t]?.[page as keyof Awaited<ReturnType<typeof floorsOf>>]
      const floorAll = floor
        ? await median(5, () => floor(target.connection.db, { now, initiativeId: target.initiative.id }))
        : Number.NaN
      const timing: ColdTiming = {
        path: pathOf(page, target),
        combos: list.length,
        p50_ms: round(percentile(list, 0.5)),
        p95_ms: round(percentile(list, 0.95)),
        max_ms: round(Math.max(...list)),
        floor_all_ms: round(floorAll),
        stored_answers: stored[t] ?? 0,
      }
      log(
        `  cold ${target.label.padEnd(9)} ${timing.path.padEnd(16)} p50 ${String(timing.p50_ms).padStart(7)} ms  p95 ${String(timing.p95_ms).padStart(7)} ms  max ${String(timing.max_ms).padStart(7)} ms${floors ? `  all reads ${String(timing.floor_all_ms).padStart(7)} ms` : ''}  (${timing.combos} combinations${timing.stored_answers ? `, ${timing.stored_answers} answered from the store` : ''})`,
      )
      result.pages[t]?.push(timing)
    }
  }
  return result
}

/**
 * 4, then 16 distinct misses (/delivery and /flow under filters never asked for) fired together at one
 * target, /api/health polled every 25 ms while they run.
 */
export async function measureConcurrency(
  target: Running,
  { levels = [4, 16], log }: { levels?: number[]; log: Log },
): Promise<ConcurrencyLevel[]> {
  const now = new Date()
  const results: ConcurrencyLevel[] = []
  for (const [l, level] of levels.entries()) {
    const urls: { url: string; combo: Combo }[] = []
    const pools = ['/delivery', '/flow'].map((page, i) => ({
      page,
      combos: combosFor(target, level * 2 + 2, 5000 + 10 * l + i, now).slice(1),
    }))
    for (let i = 0; urls.length < level && i < level * 2; i++) {
      for (const pool of pools) {
        const combo = pool.combos[i]
        if (!combo || urls.length >= level) continue
        const url = `${pool.page}?${combo.query}`
        if (target.requested.has(url)) continue
        target.requested.add(url)
        urls.push({ url, combo })
      }
    }
    if (urls.length < level) throw new Error(`only ${urls.length} new filter URLs for ${level} concurrent misses`)
    // the version moves first: no answer to these filters is in any process's memory or in the store
    await bump(target)
    const health: number[] = []
    let running = true
    const poll = (async () => {
      while (running) {
        const started = performance.now()
        const response = await fetch(`http://127.0.0.1:${target.port}/api/health`)
        await response.arrayBuffer()
        const ms = performance.now() - started
        if (response.status !== 200) throw new Error(`/api/health answered ${response.status} under load`)
        health.push(ms)
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 25 - ms)))
      }
    })()
    const started = performance.now()
    const answers = await Promise.all(
      urls.map(async ({ url, combo }) => {
        const fetched = await timedGet(target, url)
        checkAnswer(target, url, combo, fetched)
        return fetched.ms
      }),
    ).finally(() => (running = false))
    const wall = performance.now() - started
    await poll
    const level_: ConcurrencyLevel = {
      requests: level,
      wall_ms: round(wall),
      p50_ms: round(percentile(answers, 0.5)),
      p95_ms: round(percentile(answers, 0.95)),
      max_ms: round(Math.max(...answers)),
      health_samples: health.length,
      health_p99_ms: round(percentile(health, 0.99)),
      health_max_ms: round(Math.max(...health)),
    }
    log(
      `  ${target.label} ${String(level).padStart(2)} misses at once: wall ${level_.wall_ms} ms, each p50 ${level_.p50_ms} / p95 ${level_.p95_ms} / max ${level_.max_ms} ms; /api/health p99 ${level_.health_p99_ms} ms, max ${level_.health_max_ms} ms (${level_.health_samples} polls)`,
    )
    results.push(level_)
  }
  return results
}

const STANDING = [
  { page: '/', name: 'overview' },
  { page: 'initiative', name: 'initiative' },
  { page: '/report', name: 'report' },
]

/**
 * The standing pages after a real data change at `target`: one production deployment added this week (as a
 * sync would write it, then the rollups refreshed as every writer does), each page requested once, then
 * read_models polled until it holds an answer for the new data version. The deployment is removed again at
 * the end (and the rollups refreshed), so the database stays as seeded.
 */
export async function measureStanding(target: Running, { log }: { log: Log }): Promise<StandingResult> {
  const { db } = target.connection
  const [table] = await db.execute<{ present: boolean }>(
    sql`select to_regclass('public.read_models') is not null as present`,
  )
  const hasTable = table?.present === true
  // each standing page once before the change, so there is an answer to stand on
  for (const { page } of STANDING) {
    const url = pathOf(page, target)
    checkAnswer(target, url, page === 'initiative' ? null : defaultCombo, await timedGet(target, url))
  }
  const [added] = await db.execute<{ id: string }>(sql`
    insert into deployments (source, external_id, service_id, repository_id, team_id, environment, is_production, status, started_at, finished_at, commit_sha)
    select source, ${`bench-standing-${Date.now()}`}, service_id, repository_id, team_id, environment, true, 'success',
      now() - interval '10 minutes', now() - interval '5 minutes', commit_sha
    from deployments where is_production and status = 'success' and team_id is not null order by finished_at desc limit 1
    returning id::text as id`)
  if (!added) throw new Error(`${target.label}: no deployment to copy for the data change`)
  const pages: StandingTiming[] = []
  try {
    await drainDirtyWeeks(db)
    for (const { page, name } of STANDING) {
      const url = pathOf(page, target)
      const requested = performance.now()
      const fetched = await timedGet(target, url)
      checkAnswer(target, url, page === 'initiative' ? null : defaultCombo, fetched)
      let fresh: number | null = null
      if (hasTable) {
        while (performance.now() - requested < 60_000) {
          const [row] = await db.execute<{ n: string }>(sql`
            select count(*)::text as n from read_models
            where data_version = (select version from data_version where id = 1) and name = ${name}`)
          if (Number(row?.n) > 0) {
            fresh = performance.now() - requested
            break
          }
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
      const timing = {
        path: url,
        name,
        stored_answer_ms: round(fetched.ms),
        served_stored: servedStored(fetched),
        fresh_stored_ms: fresh === null ? null : round(fresh),
      }
      log(
        `  standing ${target.label} ${url.padEnd(16)} answer ${timing.stored_answer_ms} ms (${timing.served_stored ? 'the stored one' : 'computed'}), fresh answer stored ${timing.fresh_stored_ms === null ? (hasTable ? 'not within 60 s' : 'never (no read_models table)') : `after ${timing.fresh_stored_ms} ms`}`,
      )
      pages.push(timing)
    }
  } finally {
    await db.execute(sql`delete from deployments where id = ${added.id}::bigint`)
    await drainDirtyWeeks(db)
  }
  return {
    read_models: hasTable,
    change: 'one production deployment added this week, rollups refreshed',
    pages,
  }
}

const defaultCombo: Combo = { query: '', bump: false, scope: 'All teams', from: null }
