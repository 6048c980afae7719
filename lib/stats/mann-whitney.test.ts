import { describe, expect, it } from 'vitest'
import { mannWhitney, normalCdf } from './mann-whitney'

describe('Mann–Whitney U', () => {
  it('1,2,3 vs 4,5,6: U = 6 − 3·4/2 = 0, z = (4.5 − 0.5)/√5.25 = 1.746, p = 0.081', () => {
    const result = mannWhitney([1, 2, 3], [4, 5, 6])
    expect(result?.u).toBe(0)
    expect(result?.z).toBeCloseTo(4 / Math.sqrt(5.25), 9)
    expect(result?.p).toBeCloseTo(0.0809, 3)
  })

  it('identical samples: p = 1', () => {
    expect(mannWhitney([5, 5, 5, 5], [5, 5, 5, 5])?.p).toBe(1)
  })

  it('clearly shifted samples of 30: p below 0.001', () => {
    const a = Array.from({ length: 30 }, (_, i) => i)
    const b = a.map((x) => x + 40)
    expect(mannWhitney(a, b)?.p).toBeLessThan(0.001)
  })

  it('the normal CDF: Φ(0) = 0.5, Φ(1.96) = 0.975', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4)
  })
})
