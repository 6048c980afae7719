import { describe, expect, it } from 'vitest'
import { firstTeams, TEAMS_SHOWN } from './team-limit'

describe('firstTeams', () => {
  it('keeps the first 25 in the page’s order and says how many there were, without touching the rows', () => {
    const rows = Object.freeze(Array.from({ length: 240 }, (_, i) => ({ id: i, deployments: i % 17 })))
    const { shown, total } = firstTeams(rows, (a, b) => b.deployments - a.deployments)
    expect(total).toBe(240)
    expect(shown).toHaveLength(TEAMS_SHOWN)
    expect(shown.every((row) => row.deployments === 16 || row.deployments === 15)).toBe(true)
    expect(firstTeams(rows.slice(0, 12), () => 0)).toMatchObject({ total: 12, shown: rows.slice(0, 12) })
  })
})
