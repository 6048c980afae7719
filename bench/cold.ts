// What a user waits for: pages whose read model is not in the web process's cache (lib/data/read-cache.ts),
// because nobody asked for these filters since the server started or since the data last changed. The warm
// figures (pages.ts) hit one URL again and again and so mostly time the cache; these never do.
//
// Cold: each dashboard page under many distinct filter combinations (teams, pilot or control teams, other
// weeks), each URL requested once in the server's life; the unfiltered view right after the data version moved
// and its stored answers (read_models) were removed, so that it too is computed, not served from the store.
// Requested one at a time, each at one scale right after the other. Concurrent misses: concurrency.ts; the
// standing pages after a data change: standing.ts.
import { sql } from 'drizzle-orm'
import { combosFor } from './combos'
import type { Log } from './databases'
import { floorsOf } from './floors'
import { median, percentile, round } from './pages'
import { bump, checkAnswer, pathOf, servedStored, timedGet } from './requests'
import type { Running } from './targets'

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
