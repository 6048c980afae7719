import { describe, expect, it } from 'vitest'
import { axisTicks, niceTicks } from './nice-ticks'

describe('niceTicks', () => {
  it('0 to 3.8 in five ticks: 0, 1, 2, 3, 4 (not 1.3, 2.5, 3.8)', () => {
    expect(niceTicks(0, 3.8, 5)).toEqual([0, 1, 2, 3, 4])
  })

  it('0 to 146 in five ticks: steps of 50, the top above the largest value', () => {
    expect(niceTicks(0, 146, 5)).toEqual([0, 50, 100, 150])
  })

  it('steps of 2.5 where 2 would give too many ticks and 5 too few: 0 to 10 in five', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2.5, 5, 7.5, 10])
  })

  it('small shares read as round decimals, without floating-point dust', () => {
    expect(niceTicks(0, 0.27, 4)).toEqual([0, 0.1, 0.2, 0.3])
  })

  it('a range away from zero starts at the round value below it: 13 to 47 in four → 0, 20, 40, 60', () => {
    expect(niceTicks(13, 47, 4)).toEqual([0, 20, 40, 60])
    expect(niceTicks(130, 170, 3)).toEqual([120, 140, 160, 180])
  })

  it('a flat range still gets an axis: all zeros → 0 to 1, all 7 → 0 to 7 and beyond', () => {
    expect(niceTicks(0, 0)).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(niceTicks(7, 7, 3)).toEqual([0, 5, 10])
  })

  it('counts of things step in whole numbers: 0 to 3 never gives 0.5', () => {
    expect(niceTicks(0, 3, 5, { integer: true })).toEqual([0, 1, 2, 3])
  })

  it('negative values', () => {
    expect(niceTicks(-3, 4, 5)).toEqual([-4, -2, 0, 2, 4])
  })
})

describe('axisTicks', () => {
  it('durations in hours, over two days: ticks at whole days (91 h → 0, 1, 2, 3, 4 d)', () => {
    const { ticks, format } = axisTicks('hours', 91)
    expect(ticks).toEqual([0, 24, 48, 72, 96])
    expect(ticks.map(format)).toEqual(['0 d', '1 d', '2 d', '3 d', '4 d'])
  })

  it('minutes under two hours: ticks at round minutes (95 min → 0, 25, 50, 75, 100 min)', () => {
    const { ticks, format } = axisTicks('minutes', 95)
    expect(ticks.map(format)).toEqual(['0 min', '25 min', '50 min', '75 min', '100 min'])
  })

  it('shares in whole percentages: 0.137 → 0%, 5%, 10%, 15%', () => {
    const { ticks, format } = axisTicks('share', 0.137, { count: 4 })
    expect(ticks.map(format)).toEqual(['0%', '5%', '10%', '15%'])
  })

  it('a survey score is out of 10, in steps of 2 (no 9 beside 10)', () => {
    expect(axisTicks('score', 7.2).ticks).toEqual([0, 2, 4, 6, 8, 10])
  })
})
