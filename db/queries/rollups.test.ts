import { describe, expect, it } from 'vitest'
import { weeksToRecompute } from './rollups'

const span = { first: '2026-01-05', last: '2026-03-30' }

describe('weeksToRecompute', () => {
  it('nothing queued and the span covered: nothing to do', () => {
    expect(weeksToRecompute(span, span, [])).toEqual([])
  })

  it('open ends reach the span’s ends; weeks outside the span are dropped', () => {
    expect(weeksToRecompute(span, span, [{ from: null, to: '2026-01-12' }])).toEqual([
      { from: '2026-01-05', to: '2026-01-12' },
    ])
    expect(weeksToRecompute(span, span, [{ from: '2026-03-23', to: null }])).toEqual([
      { from: '2026-03-23', to: '2026-03-30' },
    ])
    expect(
      weeksToRecompute(span, span, [
        { from: '2025-06-02', to: '2025-06-02' },
        { from: '2026-06-01', to: null },
      ]),
    ).toEqual([])
  })

  it('a span grown at either end recomputes the weeks it grew by (quiet weeks included)', () => {
    const covered = { first: '2026-02-02', last: '2026-02-23' }
    expect(weeksToRecompute(span, covered, [])).toEqual([
      { from: '2026-01-05', to: '2026-01-26' },
      { from: '2026-03-02', to: '2026-03-30' },
    ])
    expect(weeksToRecompute(span, null, [])).toEqual([{ from: span.first, to: span.last }])
  })

  it('ranges close together merge; far apart they stay apart', () => {
    const queued = [
      { from: '2026-01-05', to: '2026-01-05' },
      { from: '2026-02-02', to: '2026-02-02' },
      { from: '2026-01-12', to: '2026-01-19' },
      { from: '2026-03-30', to: '2026-03-30' },
    ]
    expect(weeksToRecompute(span, span, queued)).toEqual([
      { from: '2026-01-05', to: '2026-02-02' },
      { from: '2026-03-30', to: '2026-03-30' },
    ])
  })
})
