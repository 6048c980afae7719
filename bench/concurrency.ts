// Concurrency: 4, then 16 distinct misses fired together, with /api/health polled meanwhile: does one user's
// expensive page stall everyone else's?
import type { Log } from './databases'
import { combosFor, type Combo } from './combos'
import { percentile, round } from './pages'
import { bump, checkAnswer, timedGet } from './requests'
import type { Running } from './targets'

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
