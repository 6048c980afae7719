import { describe, expect, it } from 'vitest'
import { readFilterParams } from './page-filters'

describe('reading filters from a link', () => {
  it('keeps what it can read and names what it cannot', () => {
    expect(readFilterParams({ teams: '1,2', from: '2026-02-30', to: '2026-06-01' })).toEqual({
      params: { teams: '1,2', to: '2026-06-01' },
      problems: ['from: must be a date as YYYY-MM-DD'],
    })
  })

  it('one comparison date alone drops both, once, and keeps every other filter', () => {
    expect(
      readFilterParams({ group: 'Commerce', from: '2026-03-02', to: '2026-06-01', compareFrom: '2025-09-01' }),
    ).toEqual({
      params: { group: 'Commerce', from: '2026-03-02', to: '2026-06-01' },
      problems: ['compareTo: give both `compareFrom` and `compareTo`, or neither'],
    })
  })

  it('takes the first of a repeated parameter and ignores unknown ones', () => {
    expect(readFilterParams({ teams: ['3', '4'], utm_source: 'mail' })).toEqual({
      params: { teams: '3' },
      problems: [],
    })
  })

  it('reads the initiative whose pilot or control teams a group means, and names one that is not an id', () => {
    expect(readFilterParams({ group: 'pilot', initiative: '7' })).toEqual({
      params: { group: 'pilot', initiative: '7' },
      problems: [],
    })
    expect(readFilterParams({ group: 'control', initiative: 'latest' })).toEqual({
      params: { group: 'control' },
      problems: ['initiative: must be an initiative id'],
    })
  })

  it('a cohort with teams as well is refused like any group with teams: the group goes', () => {
    expect(readFilterParams({ group: 'pilot', teams: '2' })).toEqual({
      params: { teams: '2' },
      problems: ['group: choose teams or a group, not both'],
    })
  })
})
