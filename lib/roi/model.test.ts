import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assumptionProblem, defaultAssumptions, type Assumptions } from './assumptions'
import { portalCost, roiModel, type Range, type RoiInputs, type RoiResult } from './model'
import { breakEvenSentence, roiVerdict } from './verdict'

const assumptions = (changes: Partial<Assumptions> = {}): Assumptions => ({ ...defaultAssumptions, ...changes })

const inputs = (changes: Partial<RoiInputs> = {}): RoiInputs => ({
  assumptions: assumptions({ cost_preset: 0 }),
  effects: {
    daysToFirstMerge: { estimate: -7, low: -10, high: -4, confirmed: true },
    timeToRestoreMinutes: { estimate: -35, low: -50, high: -20, confirmed: true },
    throughputRelative: { estimate: 0.1, low: 0.05, high: 0.15, confirmed: true },
    docsMinutesSavedPerLookup: null,
  },
  counts: {
    engineers: 250,
    hiresPerYear: 70,
    incidentsPerYear: 300,
    servicesFromTemplatesPerYear: 12,
    setupHoursSavedPerService: 840,
  },
  ...changes,
})

const close = (
  range: { low: number; likely: number; high: number } | null | undefined,
  expected: [number, number, number],
) => {
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

  it('docs and throughput are not counted until a study has enough participants or throughput is chosen', () => {
    expect(benefit('docs')).toMatchObject({
      value: null,
      reason: 'no docs find-time study with 5 participants in each phase yet',
      confirmed: null,
    })
    expect(benefit('throughput')).toMatchObject({ value: null, reason: 'not counted unless chosen in the assumptions' })
  })

  it('value 310,000 / 452,500 / 595,000 against our own cost 3 × $180,000 + $30,000 = $570,000', () => {
    close(result.value, [310_000, 452_500, 595_000])
    close(result.cost, [570_000, 570_000, 570_000])
    // net: the low end pairs the least value with the most cost
    close(result.net, [-260_000, -117_500, 25_000])
    close(result.roiPercent, [(-260_000 / 570_000) * 100, (-117_500 / 570_000) * 100, (25_000 / 570_000) * 100])
  })

  it('payback: $570,000 ÷ ($595,000 / 12) = 11.5 months at best; likely $452,500 < $570,000 and worst $310,000 < $570,000: never', () => {
    expect(result.paybackMonths.best).toBeCloseTo(11.496, 2)
    expect(result.paybackNever.best).toBeNull()
    expect(result.paybackMonths.likely).toBeNull()
    expect(result.paybackNever.likely).toBe("a year's value, $453k, is below a year's cost, $570k")
    expect(result.paybackMonths.worst).toBeNull()
    expect(result.paybackNever.worst).toBe("a year's value, $310k, is below a year's cost, $570k")
  })

  it('a confirmed interval that crosses zero: saved −2 / 1 / 3 days × 40,000 = −80,000 / 40,000 / 120,000, and no worst-case payback', () => {
    const unsure = roiModel(
      inputs({
        effects: {
          daysToFirstMerge: { estimate: -1, low: -3, high: 2, confirmed: true },
          timeToRestoreMinutes: null,
          throughputRelative: null,
          docsMinutesSavedPerLookup: null,
        },
        counts: { ...inputs().counts, setupHoursSavedPerService: null },
      }),
    )
    close(unsure.value, [-80_000, 40_000, 120_000])
    expect(unsure.paybackMonths.worst).toBeNull()
  })

  it('FTEs: an FTE-year is $800 × 5 × 46 = $184,000; value 310,000 / 452,500 / 595,000 ÷ 184,000 = 1.68 / 2.46 / 3.23 FTEs', () => {
    expect(result.fteYearCost).toBe(184_000)
    close(result.valueFtes, [310_000 / 184_000, 452_500 / 184_000, 595_000 / 184_000])
  })

  it('break-even: $570,000 ÷ $184,000 = 3.1 FTEs a year; ÷ ($100 × 250 engineers × 46 weeks) = 0.50 hours = 30 minutes per engineer a week', () => {
    expect(result.breakEven.value).toBe(570_000)
    expect(result.breakEven.ftes).toBeCloseTo(3.098, 3)
    expect(result.breakEven.hoursPerEngineerWeek).toBeCloseTo(0.4957, 3)
    expect(breakEvenSentence(result)).toBe(
      'Pays for itself if it frees 3.1 FTEs a year (about 30 minutes per engineer a week)',
    )
    const few = roiModel(inputs({ counts: { ...inputs().counts, engineers: 100 } }))
    // $570,000 ÷ ($100 × 100 × 46) = 1.24 hours
    expect(breakEvenSentence(few)).toBe(
      'Pays for itself if it frees 3.1 FTEs a year (about 1.2 hours per engineer a week)',
    )
  })
})

describe('money counts confirmed effects only', () => {
  const onboardingOnly = (effect: { estimate: number; low: number; high: number; confirmed: boolean }) =>
    roiModel(
      inputs({
        effects: {
          daysToFirstMerge: effect,
          timeToRestoreMinutes: null,
          throughputRelative: null,
          docsMinutesSavedPerLookup: null,
        },
        counts: { ...inputs().counts, setupHoursSavedPerService: null },
      }),
    )

  it('unconfirmed, interval crossing zero: saved −2 / (1 → 0) / 3 days × 40,000 = −80,000 / 0 / 120,000: adds 0 to likely, its interval to low and high', () => {
    const result = onboardingOnly({ estimate: -1, low: -3, high: 2, confirmed: false })
    close(result.benefits.find((b) => b.key === 'onboarding')?.value, [-80_000, 0, 120_000])
    expect(result.benefits.find((b) => b.key === 'onboarding')?.confirmed).toBe(false)
    close(result.value, [-80_000, 0, 120_000])
  })

  it('unconfirmed, interval excluding zero: saved 4 / (7 → 0) / 10 days × 40,000 → low widened to 0: 0 / 0 / 400,000 (low ≤ likely ≤ high)', () => {
    const result = onboardingOnly({ estimate: -7, low: -10, high: -4, confirmed: false })
    close(result.value, [0, 0, 400_000])
  })

  it('the same effect confirmed: 4 / 7 / 10 days × 40,000 = 160,000 / 280,000 / 400,000', () => {
    close(onboardingOnly({ estimate: -7, low: -10, high: -4, confirmed: true }).value, [160_000, 280_000, 400_000])
  })

  it('an organisation with no effect at all: nothing confirmed → value likely $0, net likely −$570,000, no likely payback', () => {
    const none = roiModel(
      inputs({
        effects: {
          daysToFirstMerge: { estimate: 0.5, low: -2, high: 3, confirmed: false },
          timeToRestoreMinutes: { estimate: 3, low: -10, high: 15, confirmed: false },
          throughputRelative: null,
          docsMinutesSavedPerLookup: null,
        },
        counts: { ...inputs().counts, setupHoursSavedPerService: null },
      }),
    )
    // onboarding −120,000 / 0 / 80,000; incidents −22,500 / 0 / 15,000
    close(none.value, [-142_500, 0, 95_000])
    close(none.net, [-712_500, -570_000, -475_000])
    expect(none.paybackMonths).toEqual({ best: null, likely: null, worst: null })
    expect(roiVerdict(none)).toEqual({
      tone: 'loss',
      sentence:
        'Costs more than it saves so far: likely net −$570k a year (−$713k to −$475k); no measured benefit is clear yet; it pays for itself if it frees 3.1 FTEs a year (about 30 minutes per engineer a week)',
    })
  })
})

/** For each pair — low/worst, likely/likely, high/best — net ≥ 0 ⇔ ROI ≥ 0 ⇔ payback is a number (≤ 12 months, else a reason). */
function expectConsistent(result: RoiResult) {
  const pairs = [
    ['low', 'worst'],
    ['likely', 'likely'],
    ['high', 'best'],
  ] as const
  for (const [end, payback] of pairs) {
    const paysBack = result.net[end] >= 0
    const months = result.paybackMonths[payback]
    expect(months !== null, `${end}: net ${result.net[end]} vs payback ${months}`).toBe(paysBack)
    if (months !== null) {
      expect(months).toBeGreaterThanOrEqual(0)
      expect(months).toBeLessThanOrEqual(12)
      expect(result.paybackNever[payback]).toBeNull()
    } else expect(result.paybackNever[payback]).toMatch(/^a year's value, .+, is below a year's cost, .+$/)
    if (result.roiPercent)
      expect(result.roiPercent[end] >= 0, `${end}: net ${result.net[end]} vs ROI ${result.roiPercent[end]}`).toBe(
        paysBack,
      )
  }
}

describe('money box consistency: payback vs net vs ROI never contradict', () => {
  it('a loss, our own cost $570,000 against 310,000 / 452,500 / 595,000: net −260,000 / −117,500 / +25,000, ROI −46% / −21% / +4%, payback never / never / 11.5 months', () => {
    const result = roiModel(inputs())
    expectConsistent(result)
    expect(result.paybackMonths).toEqual({ best: expect.closeTo(11.496, 2), likely: null, worst: null })
    expect(roiVerdict(result)).toEqual({
      tone: 'unproven',
      sentence:
        'Not yet shown to pay for itself: the clear benefits, $453k a year, fall short of the cost, $570k; it pays for itself if it frees 3.1 FTEs a year (about 30 minutes per engineer a week)',
    })
  })

  it('value likely ≥ cost, SaaS at $105,000: net +205,000 / +347,500 / +490,000; payback 105/595 × 12 = 2.1, 105/452.5 × 12 = 2.8, 105/310 × 12 = 4.1 months', () => {
    const result = roiModel(inputs({ assumptions: assumptions({ cost_preset: 2 }) }))
    expectConsistent(result)
    close(result.net, [205_000, 347_500, 490_000])
    expect(result.paybackMonths.best).toBeCloseTo(2.118, 2)
    expect(result.paybackMonths.likely).toBeCloseTo(2.785, 2)
    expect(result.paybackMonths.worst).toBeCloseTo(4.065, 2)
    expect(roiVerdict(result)).toEqual({
      tone: 'pays',
      sentence: 'Pays for itself on what was measured: likely net +$348k a year (+$205k to +$490k)',
    })
  })

  it('hybrid $150k / $200k / $250k: net 310 − 250 = +60k / 452.5 − 200 = +252.5k / 595 − 150 = +445k; payback 3.0 / 5.3 / 9.7 months', () => {
    const result = roiModel(inputs({ assumptions: assumptions({ cost_preset: 3 }) }))
    expectConsistent(result)
    close(result.net, [60_000, 252_500, 445_000])
    expect(result.paybackMonths.best).toBeCloseTo((150 / 595) * 12, 5)
    expect(result.paybackMonths.likely).toBeCloseTo((200 / 452.5) * 12, 5)
    expect(result.paybackMonths.worst).toBeCloseTo((250 / 310) * 12, 5)
  })

  it('build ourselves $380k / $515k / $650k, nothing confirmed but template runs $120,000: net 120 − 650 = −530k / 120 − 515 = −395k / 595 − 380 = +215k', () => {
    const unconfirmed = Object.fromEntries(
      Object.entries(inputs().effects).map(([key, effect]) => [key, effect && { ...effect, confirmed: false }]),
    ) as RoiInputs['effects']
    const result = roiModel(inputs({ assumptions: assumptions({ cost_preset: 1 }), effects: unconfirmed }))
    // onboarding 160 / 0 / 400k → low widened to 0; incidents 0 / 0 / 75k; scaffolding 120k; throughput not chosen
    close(result.value, [120_000, 120_000, 595_000])
    close(result.net, [-530_000, -395_000, 215_000])
    expectConsistent(result)
    expect(result.paybackMonths.best).toBeCloseTo((380 / 595) * 12, 5)
    expect(roiVerdict(result).tone).toBe('unproven')
  })

  it('exactly break-even, value 452,500 = cost 452,500: net 0, ROI 0%, payback 12.0 months', () => {
    const result = roiModel(
      inputs({
        assumptions: assumptions({ cost_preset: 0, portal_engineers: 1, portal_engineer_annual_cost: 422_500 }),
      }),
    )
    expectConsistent(result)
    expect(result.net.likely).toBe(0)
    expect(result.paybackMonths.likely).toBe(12)
    expect(roiVerdict(result).tone).toBe('pays')
  })
})

describe('the verdict’s tone follows net', () => {
  const withNet = (net: Range): RoiResult => ({ ...roiModel(inputs()), net })
  it('likely net ≥ 0 → pays; likely < 0 ≤ high → unproven; high < 0 → loss', () => {
    expect(roiVerdict(withNet({ low: -40_000, likely: 210_000, high: 520_000 }))).toEqual({
      tone: 'pays',
      sentence: 'Pays for itself on what was measured: likely net +$210k a year (−$40k to +$520k)',
    })
    expect(roiVerdict(withNet({ low: -40_000, likely: 0, high: 520_000 })).tone).toBe('pays')
    expect(roiVerdict(withNet({ low: -400_000, likely: -1, high: 0 })).tone).toBe('unproven')
    expect(roiVerdict(withNet({ low: -400_000, likely: -120_000, high: -1 })).tone).toBe('loss')
    expect(roiVerdict(withNet({ low: -400_000, likely: -120_000, high: -20_000 })).sentence).toBe(
      'Costs more than it saves so far: likely net −$120k a year (−$400k to −$20k); it pays for itself if it frees 3.1 FTEs a year (about 30 minutes per engineer a week)',
    )
  })
})

describe('properties', () => {
  // Money in whole cents and dollars: the model's figures, not subnormal doubles.
  const effect = fc.record({
    estimate: fc.integer({ min: -10_000, max: 10_000 }).map((n) => n / 100),
    low: fc.integer({ min: -10_000, max: 10_000 }).map((n) => n / 100),
    high: fc.integer({ min: -10_000, max: 10_000 }).map((n) => n / 100),
    confirmed: fc.boolean(),
  })
  const share = fc.integer({ min: 0, max: 100 }).map((n) => n / 100)
  const arbitraryInputs: fc.Arbitrary<RoiInputs> = fc.record({
    assumptions: fc.record({
      engineer_daily_cost: fc.integer({ min: 50, max: 10_000 }),
      working_weeks_per_year: fc.integer({ min: 1, max: 52 }),
      responders_per_incident: fc.integer({ min: 1, max: 50 }),
      setup_effort_share: share,
      docs_lookups_per_engineer_week: fc.integer({ min: 0, max: 200 }),
      include_throughput: fc.integer({ min: 0, max: 1 }),
      delivery_share_of_time: share,
      cost_preset: fc.integer({ min: 0, max: 3 }),
      portal_engineers: fc.integer({ min: 0, max: 100 }),
      portal_engineer_annual_cost: fc.integer({ min: 0, max: 2_000_000 }),
      infrastructure_per_year: fc.integer({ min: 0, max: 10_000_000 }),
      licences_per_year: fc.integer({ min: 0, max: 10_000_000 }),
    }),
    effects: fc.record({
      daysToFirstMerge: fc.option(effect),
      timeToRestoreMinutes: fc.option(effect),
      throughputRelative: fc.option(effect),
      docsMinutesSavedPerLookup: fc.option(effect),
    }),
    counts: fc.record({
      engineers: fc.integer({ min: 0, max: 5_000 }),
      hiresPerYear: fc.integer({ min: 0, max: 1_000 }),
      incidentsPerYear: fc.integer({ min: 0, max: 5_000 }),
      servicesFromTemplatesPerYear: fc.integer({ min: 0, max: 500 }),
      setupHoursSavedPerService: fc.option(fc.integer({ min: -2_000, max: 2_000 })),
    }),
  })

  it('for any effects and assumptions: sign(net) agrees with sign(ROI) and with payback being a number (≤ 12 months), for low, likely and high', () => {
    fc.assert(
      fc.property(arbitraryInputs, (input) => expectConsistent(roiModel(input))),
      { numRuns: 500 },
    )
  })

  it('for any effects and assumptions: every benefit and the total keep low ≤ likely ≤ high; an unconfirmed effect adds 0 to likely', () => {
    fc.assert(
      fc.property(arbitraryInputs, (input) => {
        const result = roiModel(input)
        for (const range of [result.value, ...result.benefits.flatMap((b) => (b.value ? [b.value] : []))]) {
          expect(range.low).toBeLessThanOrEqual(range.likely)
          expect(range.likely).toBeLessThanOrEqual(range.high)
        }
        for (const benefit of result.benefits) if (benefit.confirmed === false) expect(benefit.value?.likely).toBe(0)
      }),
      { numRuns: 500 },
    )
  })

  it('for any effects and assumptions: the verdict is pays ⇔ likely net ≥ 0, loss ⇔ high net < 0', () => {
    fc.assert(
      fc.property(arbitraryInputs, (input) => {
        const result = roiModel(input)
        const { tone } = roiVerdict(result)
        expect(tone === 'pays').toBe(result.net.likely >= 0)
        expect(tone === 'loss').toBe(result.net.likely < 0 && result.net.high < 0)
      }),
      { numRuns: 300 },
    )
  })
})

describe('opt-ins and study inputs', () => {
  // the docs find-time study's minutes saved per look-up, with its interval, like any measured effect
  const docsOnly = (docs: RoiInputs['effects']['docsMinutesSavedPerLookup']) =>
    roiModel(
      inputs({
        assumptions: assumptions({ cost_preset: 0, docs_lookups_per_engineer_week: 10 }),
        effects: {
          daysToFirstMerge: null,
          timeToRestoreMinutes: null,
          throughputRelative: null,
          docsMinutesSavedPerLookup: docs,
        },
        counts: { ...inputs().counts, setupHoursSavedPerService: null },
      }),
    )

  it('docs, clear: 2/3/4 min per look-up × 10 look-ups × 250 engineers × 46 weeks ÷ 60 × $100 an hour = $383,333 / $575,000 / $766,667', () => {
    const result = docsOnly({ estimate: 3, low: 2, high: 4, confirmed: true })
    const docs = result.benefits.find((b) => b.key === 'docs')
    close(docs?.value, [383_333.333, 575_000, 766_666.667])
    expect(docs?.confirmed).toBe(true)
    expect(docs?.uses).toContain('docs_lookups_per_engineer_week')
    close(result.value, [383_333.333, 575_000, 766_666.667])
    // net and payback from the same pairs: 575,000 − 570,000 ≥ 0, so a likely payback of 570/575 × 12 months
    expect(result.net.likely).toBeCloseTo(5_000, 3)
    expect(result.paybackMonths.likely).toBeCloseTo((570_000 / 575_000) * 12, 6)
  })

  it('docs, interval spanning zero: −1/(3 → 0)/7 min → −$191,667 / $0 / $1,341,667: no money in likely, no likely payback', () => {
    const result = docsOnly({ estimate: 3, low: -1, high: 7, confirmed: false })
    close(result.benefits.find((b) => b.key === 'docs')?.value, [-191_666.667, 0, 1_341_666.667])
    expect(result.value.likely).toBe(0)
    expect(result.paybackMonths.likely).toBeNull()
    expect(roiVerdict(result).tone).toBe('unproven')
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
