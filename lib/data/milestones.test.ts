import { describe, expect, it } from 'vitest'
import { launchOf, milestoneLabel, visibleMilestones } from './milestones'

const milestone = (
  id: number,
  kind: 'portal_launch' | 'catalog_launch' | 'other',
  occurredOn: string,
  teamIds: number[] = [],
  name = `m${id}`,
) => ({ id, kind, occurredOn, teamIds, name })

describe('which portal launch counts', () => {
  it('the launch for every team, even after a launch for some teams', () => {
    const list = [
      milestone(1, 'portal_launch', '2026-01-12', [3]),
      milestone(2, 'catalog_launch', '2026-02-02'),
      milestone(3, 'portal_launch', '2026-05-04'),
      milestone(4, 'portal_launch', '2026-06-01'),
    ]
    expect(launchOf(list)?.id).toBe(3)
  })

  it('without one for every team, the earliest portal launch; without any, none', () => {
    expect(
      launchOf([
        milestone(1, 'other', '2025-12-01'),
        milestone(2, 'portal_launch', '2026-01-12', [3]),
        milestone(3, 'portal_launch', '2026-02-02', [4]),
      ])?.id,
    ).toBe(2)
    expect(launchOf([milestone(1, 'catalog_launch', '2026-01-12')])).toBeNull()
  })
})

describe('which milestones a team filter shows', () => {
  const list = [
    milestone(1, 'portal_launch', '2026-01-12'),
    milestone(2, 'catalog_launch', '2026-02-02', [1, 2]),
    milestone(3, 'other', '2026-03-02', [3]),
  ]
  it('all of them unfiltered; those for every team or for a team shown when filtered', () => {
    expect(visibleMilestones(list, undefined).map((m) => m.id)).toEqual([1, 2, 3])
    expect(visibleMilestones(list, [2, 5]).map((m) => m.id)).toEqual([1, 2])
    expect(visibleMilestones(list, [5]).map((m) => m.id)).toEqual([1])
  })
})

describe('a milestone’s label', () => {
  const names = new Map([1, 2, 3, 4, 5].map((id) => [id, `Team ${String.fromCharCode(64 + id)}`]))
  it('its kind, its name, and the teams it is for: three names, then how many more', () => {
    expect(milestoneLabel(milestone(1, 'catalog_launch', '2026-01-12', [], 'Catalog GA'), names)).toBe(
      'Catalog launch: Catalog GA',
    )
    expect(milestoneLabel(milestone(1, 'portal_launch', '2026-01-12', [2, 1], 'portal launch'), names)).toBe(
      'Portal launch (Team A, Team B)',
    )
    expect(milestoneLabel(milestone(1, 'other', '2026-01-12', [5, 4, 3, 2], 'Reorganisation'), names)).toBe(
      'Reorganisation (Team B, Team C, Team D and 1 more)',
    )
  })
})
