// The pilot of the demo organisation, judged by getInitiative: every effect the generator built in
// (db/demo/effects.ts) lies inside its 95% interval, and the metric it left alone shows no clear change.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connect, type Connection } from '@/db/client'
import { DEMO_EFFECTS } from '@/db/demo/effects'
import { getInitiative, type InitiativeMetric, type InitiativeView } from '@/lib/data/initiative'
import { engine } from '@/tests/helpers/database'

describe(`the demo pilot, pilot vs control vs baseline (${engine})`, () => {
  let database: Connection
  let view: InitiativeView
  const now = new Date('2026-11-25T12:00:00Z')
  beforeAll(async () => {
    database = connect(inject('demoDatabaseUrl'), { max: 2 })
    view = (await getInitiative(1, { db: database.db, now })) as InitiativeView
  })
  afterAll(async () => database?.close())

  const metric = (key: InitiativeMetric['key']) => {
    const found = view.metrics.find((candidate) => candidate.key === key)
    if (!found) throw new Error(`no ${key}`)
    return found
  }
  const interval = (key: InitiativeMetric['key']) => {
    const outcome = metric(key).outcome
    if (outcome.state !== 'estimate') throw new Error(`${key}: ${outcome.reason}`)
    return outcome
  }
  const expectInside = (key: InitiativeMetric['key'], truth: number) => {
    const { estimate } = interval(key)
    expect({
      key,
      truth,
      low: estimate.low,
      high: estimate.high,
      inside: estimate.low <= truth && truth <= estimate.high,
    }).toMatchObject({ inside: true })
  }

  it('compares 3 pilot teams with 3 control teams over the 26 weeks before launch and the weeks until general availability', () => {
    expect(view.teams.filter((team) => team.role === 'pilot').map((team) => team.name)).toEqual([
      'Checkout',
      'Identity',
      'Search',
    ])
    expect(view.teams.filter((team) => team.role === 'control')).toHaveLength(3)
    expect(view.metrics.filter((m) => m.primary).map((m) => m.key)).toEqual(['deployment_frequency', 'lead_time'])
  })

  it(`deployment frequency: the built-in +${DEMO_EFFECTS.deploymentFrequency * 100}% lies inside the interval`, () => {
    expectInside('deployment_frequency', DEMO_EFFECTS.deploymentFrequency)
  })

  it(`change lead time: the built-in ${DEMO_EFFECTS.leadTime * 100}% lies inside the interval`, () => {
    expectInside('lead_time', DEMO_EFFECTS.leadTime)
  })

  it(`time to restore: the built-in ${DEMO_EFFECTS.restoreMinutes.before} → ${DEMO_EFFECTS.restoreMinutes.after} minutes lies inside the interval`, () => {
    expectInside('time_to_restore', DEMO_EFFECTS.restoreMinutes.after - DEMO_EFFECTS.restoreMinutes.before)
  })

  it(`onboarding: the built-in ${DEMO_EFFECTS.daysToFirstMerge.before} → ${DEMO_EFFECTS.daysToFirstMerge.after} days to the first merged PR lies inside the interval`, () => {
    expectInside('days_to_first_merge', DEMO_EFFECTS.daysToFirstMerge.after - DEMO_EFFECTS.daysToFirstMerge.before)
  })

  it(`DX score: the built-in ${DEMO_EFFECTS.dxScore.before} → ${DEMO_EFFECTS.dxScore.after} lies inside the interval, and is a clear improvement`, () => {
    expectInside('dx_score', DEMO_EFFECTS.dxScore.after - DEMO_EFFECTS.dxScore.before)
    expect(interval('dx_score').verdict).toBe('improved')
  })

  it('change fail rate, which the generator left alone: "no clear change", with 0 inside the interval', () => {
    const { estimate, verdict } = interval('change_fail_rate')
    expect(verdict).toBe('no_clear_change')
    expect(estimate.low).toBeLessThanOrEqual(0)
    expect(estimate.high).toBeGreaterThanOrEqual(0)
  })

  it('says "not enough data", and why, where a cell is too thin (no new services in the pilot’s baseline)', () => {
    expect(metric('service_setup_time').outcome).toMatchObject({
      state: 'not_enough_data',
      reason: expect.stringMatching(/has \d+ new services; at least 5 new services are needed/),
    })
  })

  it('is reproducible: asking again gives the same intervals', async () => {
    const again = await getInitiative(1, { db: database.db, now })
    expect(again?.metrics).toEqual(view.metrics)
  })

  it('returns null for an initiative that does not exist', async () => {
    expect(await getInitiative(999, { db: database.db, now })).toBeNull()
  })
})
