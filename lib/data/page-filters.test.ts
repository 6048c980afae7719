import { describe, expect, it } from 'vitest'
import { readFilterParams } from './page-filters'

describe('reading filters from a link', () => {
  it('keeps what it can read and names what it cannot', () => {
    expect(readFilterParams({ teams: '1,2', from: '2026-02-30', to: '2026-06-01' })).toEqual({ params: { teams: '1,2', to: '2026-06-01' }, problems: ['from: must be a date as YYYY-MM-DD'] })
  })

  it('one comparison date alone drops both, once, and keeps every other filter', () => {
    expect(readFilterParams({ group: 'Commerce', from: '2026-03-02', to: '2026-06-01', compareFrom: '2025-09-01' })).toEqual({
      params: { group: 'Commerce', from: '2026-03-02', to: '2026-06-01' },
      problems: ['compareTo: give both `compareFrom` and `compareTo`, or neither'],
    })
  })

  it('takes the first of a repeated parameter and ignores unknown ones', () => {
    expect(readFilterParams({ teams: ['3', '4'], utm_source: 'mail' })).toEqual({ params: { teams: '3' }, problems: [] })
  })
})
