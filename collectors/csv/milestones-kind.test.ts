import { describe, expect, it } from 'vitest'
import { milestoneRow } from '@/collectors/csv/milestones-kind'

describe('a milestones CSV row', () => {
  it('splits teams on ";" or "|", trims and drops repeats; an empty cell (absent) is every team', () => {
    expect(
      milestoneRow.parse({
        kind: 'catalog_launch',
        occurred_on: '2026-03-02',
        name: 'Catalog',
        teams: ' Checkout ;payments| Checkout|',
        note: 'pilot',
      }),
    ).toEqual({
      kind: 'catalog_launch',
      occurredOn: '2026-03-02',
      name: 'Catalog',
      teams: ['Checkout', 'payments'],
      note: 'pilot',
    })
    expect(milestoneRow.parse({ kind: 'portal_launch', occurred_on: '2026-03-02', name: 'Launch' })).toEqual({
      kind: 'portal_launch',
      occurredOn: '2026-03-02',
      name: 'Launch',
      teams: [],
      note: null,
    })
  })

  it('names each bad column: an unknown kind, a day that does not exist, a missing name', () => {
    const parsed = milestoneRow.safeParse({ kind: 'launch', occurred_on: '2026-02-30' })
    expect(parsed.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([
      ['kind', 'must be one of portal_launch, catalog_launch, techdocs_launch, scaffolder_launch, other'],
      ['occurred_on', 'is not a real date'],
      ['name', expect.any(String)],
    ])
  })
})
