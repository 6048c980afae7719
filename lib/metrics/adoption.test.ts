import { describe, expect, it } from 'vitest'
import { activeUsers, catalogCoverage, scaffolderSummary, serviceCreation, share } from './adoption'

const day = (n: number, hour = 10) => new Date(Date.UTC(2026, 2, 2 + n, hour))
const WEEK = { from: day(0, 0), to: day(7, 0) }

describe('adoption', () => {
  it('weekly active users: ada twice and ben once this week, cy next Monday → 2; 2 of 8 engineers = 25%', () => {
    const events = [
      { teamId: 1, userRef: 'user:default/ada', occurredAt: day(0) },
      { teamId: 1, userRef: 'user:default/ada', occurredAt: day(3) },
      { teamId: 1, userRef: 'user:default/ben', occurredAt: day(6, 23) },
      { teamId: 1, userRef: 'user:default/cy', occurredAt: day(7, 0) },
      { teamId: 1, userRef: null, occurredAt: day(1) },
    ]
    const users = activeUsers(events, WEEK)
    expect([...users].sort()).toEqual(['user:default/ada', 'user:default/ben'])
    expect(share(users.size, 8)).toBe(0.25)
  })

  it('catalog coverage: 4 services, 3 owned, 1 with docs → 75% owned, 25% documented', () => {
    expect(catalogCoverage([{ ownerTeamId: 1, hasDocs: true }, { ownerTeamId: 1, hasDocs: false }, { ownerTeamId: 2, hasDocs: false }, { ownerTeamId: null, hasDocs: false }])).toEqual({
      services: 4,
      owned: 3,
      withDocs: 1,
      ownedShare: 0.75,
      docsShare: 0.25,
    })
  })

  it('scaffolder: 3 completed, 1 failed, 1 cancelled this week → success 3 / 4 = 75%, 2 services made; a run the next week is outside', () => {
    const run = (status: string, n: number, serviceId: number | null = null) => ({ status, templateRef: 'template:default/service-node', startedAt: day(n), serviceId })
    const summary = scaffolderSummary([run('completed', 0, 1), run('completed', 1, 2), run('completed', 2), run('failed', 3), run('cancelled', 4), run('completed', 7, 3)], WEEK)
    expect(summary).toMatchObject({ runs: 5, completed: 3, failed: 1, successRate: 0.75, servicesCreated: 2 })
  })

  it('new services: template set up in 1 min and live 20 h later; by hand 35 days and live 10 days later', () => {
    const created = day(2)
    const result = serviceCreation(
      [
        { origin: 'template', requestedAt: new Date(created.getTime() - 60_000), createdAt: created, firstProductionDeployAt: new Date(created.getTime() + 20 * 3_600_000) },
        { origin: 'manual', requestedAt: new Date(created.getTime() - 35 * 86_400_000), createdAt: created, firstProductionDeployAt: new Date(created.getTime() + 10 * 86_400_000) },
        { origin: 'manual', requestedAt: null, createdAt: day(9), firstProductionDeployAt: null }, // created the next week
      ],
      WEEK,
    )
    expect(result.template).toEqual({ services: 1, setupMedianHours: 1 / 60, toProductionMedianHours: 20, notYetInProduction: 0 })
    expect(result.manual).toEqual({ services: 1, setupMedianHours: 35 * 24, toProductionMedianHours: 240, notYetInProduction: 0 })
  })
})
