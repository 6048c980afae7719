import { describe, expect, it } from 'vitest'
import type { Statistic } from './bootstrap'
import { levelInterval } from './level'
import { pooledQuantile } from './pooled'

const mean: Statistic<number> = (values) =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length

describe('a group’s level with a bootstrap interval', () => {
  it('20 units of 1..20: the mean 10.5 with an interval around it, the same for the same seed', () => {
    const units = Array.from({ length: 20 }, (_, i) => [i + 1])
    const interval = levelInterval(units, mean, { seed: 7, replicates: 2000 })
    expect(interval?.value).toBe(10.5)
    // standard error ≈ 5.77 / √20 = 1.29, so a 95% interval about ±2.5
    expect(interval?.low).toBeGreaterThan(7.5)
    expect(interval?.low).toBeLessThan(9)
    expect(interval?.high).toBeGreaterThan(12)
    expect(interval?.high).toBeLessThan(13.5)
    expect(levelInterval(units, mean, { seed: 7, replicates: 2000 })).toEqual(interval)
  })

  it('a higher level gives a wider interval from the same draws: 97.5% contains 95%', () => {
    const units = Array.from({ length: 30 }, (_, i) => [(i * 7) % 11])
    const narrow = levelInterval(units, mean, { seed: 3, confidence: 0.95 })
    const wide = levelInterval(units, mean, { seed: 3, confidence: 0.975 })
    expect(wide?.low).toBeLessThanOrEqual(narrow?.low as number)
    expect(wide?.high).toBeGreaterThanOrEqual(narrow?.high as number)
    expect(wide?.confidence).toBe(0.975)
  })

  it('resamples whole units: a weighted statistic gives the same interval as the plain one', () => {
    // each unit one week of values; the median of all values pooled
    const units = Array.from({ length: 12 }, (_, w) => [{ values: [w, w + 1, w * 2] }, { values: [w % 3] }])
    const pooled = pooledQuantile((cluster: { values: number[] }) => cluster.values)
    const plain: Statistic<{ values: number[] }> = (clusters) => pooled(clusters)
    expect(pooled.weighted).toBeDefined()
    expect(levelInterval(units, pooled, { seed: 5, replicates: 300 })).toEqual(
      levelInterval(units, plain, { seed: 5, replicates: 300 }),
    )
  })

  it('undefined in more than a tenth of the resamples (one defined unit in 5): no interval', () => {
    const sometimes: Statistic<number | null> = (values) => {
      const defined = values.filter((value): value is number => value !== null)
      return defined.length === values.length && defined.length > 0 ? (defined[0] ?? null) : null
    }
    expect(levelInterval([[1], [null], [null], [null], [null]], sometimes, { seed: 1 })).toBeNull()
    expect(levelInterval([], mean, { seed: 1 })).toBeNull()
  })
})
