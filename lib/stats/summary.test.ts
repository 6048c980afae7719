import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mean, median, quantile, quantileInPlace } from './summary'

describe('summaries', () => {
  it('median of 1, 3, 8, 10 = (3 + 8) / 2 = 5.5; of 1, 3, 8 = 3; of nothing = null', () => {
    expect(median([10, 1, 8, 3])).toBe(5.5)
    expect(median([8, 1, 3])).toBe(3)
    expect(median([])).toBeNull()
  })

  it('p85 of 1..10 interpolates like percentile_cont: position 0.85 × 9 = 7.65 → 8 + 0.65 × 1 = 8.65', () => {
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.85)).toBeCloseTo(8.65, 12)
  })

  it('mean of 2, 4, 9 = 15 / 3 = 5', () => {
    expect(mean([2, 4, 9])).toBe(5)
    expect(mean([])).toBeNull()
  })

  it('quickselect gives the same quantile as sorting, for any values and any q', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const sorted = [...values].sort((a, b) => a - b)
          const position = q * (sorted.length - 1)
          const lower = Math.floor(position)
          const upper = Math.min(sorted.length - 1, lower + 1)
          const expected =
            (sorted[lower] as number) + (position - lower) * ((sorted[upper] as number) - (sorted[lower] as number))
          expect(quantileInPlace(Float64Array.from(values), q)).toBeCloseTo(expected, 6)
        },
      ),
    )
  })

  it('does not depend on the order of the values', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 100 })
          .chain((values) =>
            fc.tuple(
              fc.constant(values),
              fc.shuffledSubarray(values, { minLength: values.length, maxLength: values.length }),
            ),
          ),
        ([values, shuffled]) => {
          expect(median(shuffled)).toBe(median(values))
          expect(mean(shuffled)).toBeCloseTo(mean(values) as number, 9)
        },
      ),
    )
  })
})
