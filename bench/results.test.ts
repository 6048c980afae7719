import { describe, expect, it } from 'vitest'
import { acceptance, resultsMarkdown, type Results } from './results'

const page = (path: string, p95: number, p95AtScale1: number) => ({
  path,
  p50_ms: p95 / 2,
  p95_ms: p95,
  cold_ms: 900,
  floor_ms: 40,
  requests: 100,
  p50_ms_scale1: p95AtScale1 / 2,
  p95_ms_scale1: p95AtScale1,
  cold_ms_scale1: 300,
  floor_ms_scale1: 4,
})

const measured: Omit<Results, 'acceptance'> = {
  date: '2026-11-24T09:00:00.000Z',
  machine: '2 × Test CPU',
  scale: 20,
  base_scale: 1,
  settings: { months: 36, seed: 42, seconds_per_page: 8, connections: 4 },
  data: { '1': { teams: 12 }, '20': { teams: 240 } },
  pages: [page('/', 90, 80), page('/delivery', 110, 100)],
  ingest: {
    table: 'pull_requests',
    rows: 70_000,
    rows_per_s: 30_000,
    ceiling_rows_per_s: 50_000,
    page_rows_per_s: 14_000,
  },
  rollup_refresh_ms: 300,
  rollup_refresh: { median_ms: 300, max_ms: 500, team_weeks: 240 },
  github: {
    pull_requests: 10_000,
    page_size: 50,
    requests: 202,
    minimum_requests: 200,
    incremental_requests: 3,
    incremental_points: 0,
  },
  pdf_ms: 1200,
  pdf_ms_scale1: 1300,
}

describe('the benchmark’s acceptance checks', () => {
  it('hold when every figure is within its limit, with the figures that show it', () => {
    const checks = acceptance(measured)
    expect(checks.map((check) => check.holds)).toEqual([true, true, true, true, true, true])
    expect(checks[0]?.figures).toBe('slowest /delivery 110 ms')
    expect(checks[2]?.figures).toBe('30,000 of 50,000 rows/s = 60%')
    expect(checks[3]?.figures).toBe('202 requests for a minimum of 200 = 1.010×')
  })

  it('fail, naming the page, when a p95 is over 300 ms or grew more than 1.5× from scale 1', () => {
    const checks = acceptance({ ...measured, pages: [page('/', 301, 250), page('/flow', 160, 100)] })
    expect(checks[0]).toMatchObject({ holds: false, figures: 'over: / 301 ms' })
    expect(checks[1]).toMatchObject({ holds: false, figures: 'over: /flow 160 vs 100 ms' })
  })

  it('fail below half the insert ceiling, above 1.2× the minimum requests, with points spent, or at a 1 s refresh', () => {
    const checks = acceptance({
      ...measured,
      ingest: { ...measured.ingest, rows_per_s: 24_999 },
      github: { ...measured.github, requests: 241, incremental_points: 1 },
      rollup_refresh_ms: 1000,
    })
    expect(checks.map((check) => check.holds)).toEqual([true, true, false, false, false, false])
  })

  it('write RESULTS.md with the machine, the date and a row per page', () => {
    const markdown = resultsMarkdown({ ...measured, acceptance: acceptance(measured) })
    expect(markdown).toContain('on 2026-11-24T09:00:00.000Z. Machine: 2 × Test CPU.')
    expect(markdown).toContain('| `/delivery` | 55 | 110 | 100 | 1.10 | 900 | 300 | 40 | 100 |')
    expect(markdown).toContain(
      '- ✅ ingest reaches at least 50% of the server-side INSERT … SELECT rate: 30,000 of 50,000 rows/s = 60%',
    )
  })
})
