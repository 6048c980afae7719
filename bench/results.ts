// What the benchmark found, in the shape of bench/results.json (for machines): the figures of every part and
// the acceptance checks (acceptance.ts); bench/RESULTS.md (for people) is written from it by results-markdown.ts.
// Pure: the run hands everything in.
import os from 'node:os'
import type { ColdResult, ColdTiming } from './cold'
import type { ConcurrencyLevel } from './concurrency'
import type { EmbeddedResult } from './embedded'
import type { GitHubResult } from './github'
import type { IngestResult } from './ingest'
import type { PageTiming } from './pages'
import type { RefreshResult } from './rollups'
import type { StandingResult } from './standing'

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

/** The machine, in one line: processor, cores, memory, system, Node and Postgres. */
export function describeMachine(postgresVersion: string): string {
  const cpus = os.cpus()
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()} (${os.arch()}), Node ${process.version}, PostgreSQL ${postgresVersion}`
}

/** The cold figures of both scales side by side, per page. */
export function coldPages(cold: ColdResult): ColdPage[] {
  const [small = [], large = []] = cold.pages
  return large.map((page, i) => {
    const same = small[i]
    if (!same) throw new Error(`${page.path} was measured cold at one scale only`)
    return {
      ...page,
      combos_scale1: same.combos,
      stored_answers_scale1: same.stored_answers,
      p50_ms_scale1: same.p50_ms,
      p95_ms_scale1: same.p95_ms,
      max_ms_scale1: same.max_ms,
      floor_all_ms_scale1: same.floor_all_ms,
    }
  })
}
