import { describe, expect, it } from 'vitest'
import { isCohort, keptFilters } from './filter-keys'

describe('the filters a link carries to the next page', () => {
  it('keeps the filter parameters, in order, and drops everything else', () => {
    expect(keptFilters(new URLSearchParams('edit=3&to=2026-06-29&group=Discovery&from=2026-01-05&saved=1'))).toBe(
      'group=Discovery&from=2026-01-05&to=2026-06-29',
    )
    expect(keptFilters(new URLSearchParams('paper=letter&utm_source=mail'))).toBe('')
  })

  it('keeps the initiative only with its pilot or control teams: elsewhere it is the one-pager’s own choice', () => {
    expect(keptFilters(new URLSearchParams('initiative=4&group=pilot'))).toBe('group=pilot&initiative=4')
    expect(keptFilters(new URLSearchParams('initiative=4&group=control&teams=2'))).toBe(
      'teams=2&group=control&initiative=4',
    )
    expect(keptFilters(new URLSearchParams('initiative=4&group=Discovery'))).toBe('group=Discovery')
    expect(keptFilters({ initiative: '4', teams: '1,2' })).toBe('teams=1%2C2')
  })

  it('takes the first of a repeated parameter, from a URL or a page’s search params alike', () => {
    expect(keptFilters(new URLSearchParams('teams=3&teams=4'))).toBe('teams=3')
    expect(keptFilters({ teams: ['3', '4'], group: undefined })).toBe('teams=3')
  })

  it('pilot and control are the two cohorts; nothing else is', () => {
    expect(['pilot', 'control', 'Pilot', 'pilots', '', undefined, null].map(isCohort)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ])
  })
})
