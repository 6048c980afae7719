import { describe, expect, it } from 'vitest'
import { defaultAssumptions, readAssumptionForm, type Assumptions } from './assumptions'
import { roiFigures, splitMoney } from './figures'
import { roiModel, type RoiInputs } from './model'

const measured: Omit<RoiInputs, 'assumptions'> = {
  effects: {
    daysToFirstMerge: { estimate: -7, low: -10, high: -4, confirmed: true },
    timeToRestoreMinutes: { estimate: -35, low: -50, high: -20, confirmed: true },
    throughputRelative: null,
    docsMinutesSavedPerLookup: null,
  },
  counts: {
    engineers: 250,
    hiresPerYear: 70,
    incidentsPerYear: 300,
    servicesFromTemplatesPerYear: 12,
    setupHoursSavedPerService: 840,
  },
}
const run = (changes: Partial<Assumptions>) =>
  roiFigures(roiModel({ assumptions: { ...defaultAssumptions, ...changes }, ...measured }))

describe('roiFigures: the headline figures as the one-pager and the ROI page print them', () => {
  it('our own figures, $570k: value $453k ($310k – $595k), net $453k − $570k = −$118k (−$260k – $25k), ROI −21%, payback never', () => {
    const figures = run({ cost_preset: 0 })
    expect(figures.value).toMatchObject({ likely: '$453k', range: '$310k – $595k' })
    expect(figures.cost.likely).toBe('$570k')
    expect(figures.net).toEqual({ likely: '−$118k', range: '−$260k – $25k' })
    // −117,500 ÷ 570,000 = −20.6%; −260,000 ÷ 570,000 = −45.6%; 25,000 ÷ 570,000 = 4.4%
    expect(figures.roi).toEqual({ likely: '−21%', range: '−46% to 4%' })
    expect(figures.payback).toEqual({
      likely: 'never',
      range: '11.5 months at best, never at worst',
      never: "a year's value, $453k, is below a year's cost, $570k",
    })
  })

  it('SaaS at $35 × 250 developers × 12 = $105k: net $453k − $105k = $348k, payback 105 ÷ 452.5 × 12 = 2.8 months', () => {
    const figures = run({ cost_preset: 2 })
    expect(figures.cost.likely).toBe('$105k')
    expect(figures.net.likely).toBe('$348k')
    expect(figures.payback).toMatchObject({ likely: '2.8 months', never: null })
  })

  it('no cost (our own figures, all zero): ROI "—", "no cost entered"', () => {
    const figures = run({ cost_preset: 0, portal_engineers: 0, infrastructure_per_year: 0, licences_per_year: 0 })
    expect(figures.roi).toEqual({ likely: '—', range: 'no cost entered' })
    expect(figures.payback.likely).toBe('0.0 months')
  })
})

describe('splitMoney: money figures cut out so a line never breaks inside one', () => {
  it('a net range: "−$260k", "$25k" and "+$1.25M" are whole; the words between are not money', () => {
    expect(splitMoney('likely net −$118k a year (−$260k to +$1.25M)')).toEqual([
      { text: 'likely net ', money: false },
      { text: '−$118k', money: true },
      { text: ' a year (', money: false },
      { text: '−$260k', money: true },
      { text: ' to ', money: false },
      { text: '+$1.25M', money: true },
      { text: ')', money: false },
    ])
  })

  it('text without money is one part; joining the parts gives the text back', () => {
    expect(splitMoney('11.5 months at best')).toEqual([{ text: '11.5 months at best', money: false }])
    const text = '$310k – $595k'
    expect(
      splitMoney(text)
        .map((part) => part.text)
        .join(''),
    ).toBe(text)
    expect(splitMoney(text).filter((part) => part.money)).toHaveLength(2)
  })
})

describe('readAssumptionForm: the one reading of the form, for the save and the live figures', () => {
  const form = (values: Record<string, string>) => {
    const data = new FormData()
    for (const [key, value] of Object.entries({
      ...Object.fromEntries(Object.entries(defaultAssumptions).map(([key, value]) => [key, String(value)])),
      ...values,
    }))
      data.set(key, value)
    return data
  }

  it('every default as typed: the default assumptions (an unticked switch, not sent, reads 0)', () => {
    const data = form({})
    data.delete('include_throughput')
    expect(readAssumptionForm(data)).toEqual({
      values: expect.objectContaining({ include_throughput: '0' }),
      errors: {},
      assumptions: defaultAssumptions,
    })
  })

  it('"180,000" is thousands; a ticked switch is 1; the preset a number', () => {
    const reading = readAssumptionForm(
      form({ portal_engineer_annual_cost: '180,000', include_throughput: '1', cost_preset: '2' }),
    )
    expect(reading.assumptions).toMatchObject({
      portal_engineer_annual_cost: 180_000,
      include_throughput: 1,
      cost_preset: 2,
    })
  })

  it('"2,5", "two" and −5 are refused, each with its field named, and no assumptions at all', () => {
    const reading = readAssumptionForm(
      form({ setup_effort_share: '2,5', responders_per_incident: 'two', engineer_daily_cost: '-5' }),
    )
    expect(reading.assumptions).toBeNull()
    expect(reading.errors).toEqual({
      engineer_daily_cost: 'Loaded cost of an engineer per working day must be between 50 and 10,000',
      responders_per_incident: 'People working an incident must be a number',
      setup_effort_share:
        'Share of a hand-made service’s setup that is engineering work must be a number, with a dot for decimals',
    })
    expect(reading.values.responders_per_incident).toBe('two')
  })
})
