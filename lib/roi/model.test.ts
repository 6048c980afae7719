import { describe, expect, it } from 'vitest'
import { assumptionProblem, defaultAssumptions, type Assumptions } from './assumptions'
import { portalCost, roiModel, type RoiInputs } from './model'

const assumptions = (changes: Partial<Assumptions> = {}): Assumptions => ({ ...defaultAssumptions, ...changes })

const inputs = (changes: Partial<RoiInputs> = {}): RoiInputs => ({
  assumptions: assumptions({ cost_preset: 0 }),
  effects: {
    daysToFirstMerge: { estimate: -7, low: -10, high: -4 },
    timeToRestoreMinutes: { estimate: -35, low: -50, high: -20 },
    throughputRelative: { estimate: 0.1, low: 0.05, high: 0.15 },
  },
  counts: { engineers: 250, hiresPerYear: 70, incidentsPerYear: 300, servicesFromTemplatesPerYear: 12, setupHoursSavedPerService: 840 },
  ...changes,
})

const close = (range: { low: number; likely: number; high: number } | null | undefined, expected: [number, number, number]) => {
  expect(range).not.toBeNull()
  expect(range?.low).toBeCloseTo(expected[0], 3)
  expect(range?.likely).toBeCloseTo(expected[1], 3)
  expect(range?.high).toBeCloseTo(expected[2], 3)
}

describe('the ROI model, by hand', () => {
  const result = roiModel(inputs())
  const benefit = (key: string) => result.benefits.find((b) => b.key === key)

  it('onboarding: 4/7/10 days saved × 5/7 × $800 × 70 hires = $160,000 / $280,000 / $400,000', () => {
    close(benefit('onboarding')?.value, [160_000, 280_000, 400_000])
  })

  it('incidents: 20/35/50 min saved ÷ 60 × 3 responders × $100 an hour × 300 incidents = $30,000 / $52,500 / $75,000', () => {
    close(benefit('incident_response')?.value, [30_000, 52_500, 75_000])
  })

  it('scaffolding: 840 elapsed hours saved × 5/7 × 8/24 = 200 working hours × 0.5 of them working × $100 × 12 services = $120,000 (medians: no interval)', () => {
    close(benefit('scaffolding')?.value, [120_000, 120_000, 120_000])
  })

  it('docs and throughput are not counted until a study is entered or throughput is chosen', () => {
    expect(benefit('docs')).toMatchObject({ value: null, reason: 'no time-in-motion study entered yet' })
    expect(benefit('throughput')).toMatchObject({ value: null, reason: 'not counted unless chosen in the assumptions' })
  })

  it('value 310,000 / 452,500 / 595,000 against our own cost 3 × $180,000 + $30,000 = $570,000', () => {
    close(result.value, [310_000, 452_500, 595_000])
    close(result.cost, [570_000, 570_000, 570_000])
    // net: the low end pairs the least value with the most cost
    close(result.net, [-260_000, -117_500, 25_000])
    close(result.roiPercent, [(-260_000 / 570_000) * 100, (-117_500 / 570_000) * 100, (25_000 / 570_000) * 100])
  })

  it('payback: $570,000 ÷ ($595,000 / 12) = 11.5 months at best, ÷ ($452,500 / 12) = 15.1 likely, ÷ ($310,000 / 12) = 22.1 at worst', () => {
    expect(result.paybackMonths.best).toBeCloseTo(11.496, 2)
    expect(result.paybackMonths.likely).toBeCloseTo(15.116, 2)
    expect(result.paybackMonths.worst).toBeCloseTo(22.065, 2)
  })

  it('an interval that crosses zero gives a low end below zero and no worst-case payback', () => {
    const unsure = roiModel(inputs({ effects: { daysToFirstMerge: { estimate: -1, low: -3, high: 2 }, timeToRestoreMinutes: null, throughputRelative: null }, counts: { ...inputs().counts, setupHoursSavedPerService: null } }))
    // saved −2 / 1 / 3 days × 40,000 = −80,000 / 40,000 / 120,000
    close(unsure.value, [-80_000, 40_000, 120_000])
    expect(unsure.paybackMonths.worst).toBeNull()
  })
})

describe('opt-ins and study inputs', () => {
  it('docs: 30 min × 250 engineers × 46 weeks × $100 an hour ÷ 60 = $575,000', () => {
    const result = roiModel(inputs({ assumptions: assumptions({ cost_preset: 0, docs_minutes_saved_per_engineer_week: 30 }) }))
    close(result.benefits.find((b) => b.key === 'docs')?.value, [575_000, 575_000, 575_000])
  })

  it('throughput, when chosen: 5/10/15% × 250 × 46 weeks × 5 days × $800 × 0.5 of time = $1.15M / $2.3M / $3.45M', () => {
    const result = roiModel(inputs({ assumptions: assumptions({ include_throughput: 1 }) }))
    close(result.benefits.find((b) => b.key === 'throughput')?.value, [1_150_000, 2_300_000, 3_450_000])
  })
})

describe('the seed’s cost presets', () => {
  it('build it ourselves with 3 engineers: US $380k–650k a year, $515k likely', () => {
    close(portalCost(assumptions({ cost_preset: 1 }), 250).cost, [380_000, 515_000, 650_000])
  })
  it('SaaS: $35 × 12 months × 250 developers = $105,000', () => {
    close(portalCost(assumptions({ cost_preset: 2 }), 250).cost, [105_000, 105_000, 105_000])
  })
  it('hybrid: US $150k–250k a year', () => {
    close(portalCost(assumptions({ cost_preset: 3 }), 250).cost, [150_000, 200_000, 250_000])
  })
})

describe('assumption checks', () => {
  it('names what is wrong', () => {
    expect(assumptionProblem('portal_engineers', -1)).toBe('must be between 0 and 100')
    expect(assumptionProblem('cost_preset', 1.5)).toBe('must be a whole number')
    expect(assumptionProblem('engineer_daily_cost', Number.NaN)).toBe('must be a number')
    expect(assumptionProblem('engineer_daily_cost', 800)).toBeNull()
  })
})
