import { describe, expect, it } from 'vitest'
import { judgeInitiative, REPORT_METRICS } from './initiative'
import { NO_EFFECTS, simulateOrganisation, TYPICAL_EFFECTS } from './simulation'

const judge = (organisation: ReturnType<typeof simulateOrganisation>, primary = organisation.primary) =>
  judgeInitiative(organisation.rows, {
    primary,
    only: [...new Set([...primary, ...REPORT_METRICS])],
    seedPrefix: 'test',
    replicates: 400,
  })

describe('judging an initiative', () => {
  it('a confirmed change always has an interval that excludes no change and a direction verdict (40 organisations, with and without effects)', () => {
    let confirmed = 0
    for (let seed = 1; seed <= 40; seed++) {
      for (const metric of judge(simulateOrganisation(seed, seed % 2 ? TYPICAL_EFFECTS : NO_EFFECTS))) {
        if (metric.claim.status !== 'confirmed') continue
        confirmed++
        expect(metric.outcome.state).toBe('estimate')
        if (metric.outcome.state !== 'estimate') continue
        expect(metric.outcome.verdict).not.toBe('no_clear_change')
        expect(metric.outcome.estimate.low > 0 || metric.outcome.estimate.high < 0).toBe(true)
        expect(metric.preTrend.state).not.toBe('diverged')
      }
    }
    expect(confirmed).toBeGreaterThan(10)
  })

  it('primary metrics come first, the rest of the one-pager second, nothing else is stated', () => {
    const organisation = simulateOrganisation(7, TYPICAL_EFFECTS, 'delivery')
    const judged = judgeInitiative(organisation.rows, { primary: ['lead_time'], seedPrefix: 'test', replicates: 200 })
    expect(judged.find((metric) => metric.key === 'lead_time')?.role).toBe('primary')
    expect(
      judged
        .filter((metric) => metric.role === 'secondary')
        .map((metric) => metric.key)
        .sort(),
    ).toEqual(
      REPORT_METRICS.filter((key) => key !== 'lead_time')
        .slice()
        .sort(),
    )
    expect(
      judged.filter((metric) => metric.role === 'exploratory').every((metric) => metric.claim.status === 'exploratory'),
    ).toBe(true)
  })

  it('pilot teams already shipping more each week before the launch (×0.5 → ×1.5 over the baseline): the pre-launch check says diverged, and the rise is not claimed', () => {
    const organisation = simulateOrganisation(11, NO_EFFECTS, 'delivery')
    const { baseline, roles } = organisation.rows
    const span = baseline.to.getTime() - baseline.from.getTime()
    const weeks = organisation.rows.weeks.map((week) => {
      if (roles.get(week.teamId) !== 'pilot') return week
      const at = Math.min(1, (new Date(`${week.weekStart}T00:00:00Z`).getTime() - baseline.from.getTime()) / span)
      return { ...week, deployments: Math.round(week.deployments * (0.5 + at) * 2) }
    })
    const [metric] = judgeInitiative(
      { ...organisation.rows, weeks },
      { primary: ['deployment_frequency'], only: ['deployment_frequency'], seedPrefix: 'trend', replicates: 400 },
    )
    expect(metric?.preTrend.state).toBe('diverged')
    expect(metric?.outcome.state === 'estimate' && metric.outcome.verdict).toBe('improved')
    expect(metric?.claim).toMatchObject({
      status: 'not_confirmed',
      why: expect.stringMatching(/moved apart before the launch/),
    })
  })

  it('an unconfirmed stated metric says how much data it still needs; a confirmed one says nothing', () => {
    const judged = judge(simulateOrganisation(3, NO_EFFECTS))
    for (const metric of judged) {
      if (metric.claim.status === 'not_confirmed' && metric.outcome.state === 'estimate') {
        expect(metric.stillNeeded?.minimumDetectable).toBeGreaterThan(0)
        expect(metric.stillNeeded?.more ?? metric.stillNeeded?.note).toBeTruthy()
      } else expect(metric.stillNeeded).toBeNull()
    }
  })
})
