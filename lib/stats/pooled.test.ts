import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pooledMean, pooledQuantile, pooledRatio } from './pooled'
import { mean, quantile } from './summary'

const identity = (cluster: number[]) => cluster

describe('pooled statistics of clusters', () => {
  it('mean of [1, 2] and [6] = 9 / 3 = 3 (values weigh equally, not clusters)', () => {
    expect(pooledMean(identity)([[1, 2], [6]])).toBe(3)
  })

  it('median of [1, 9] and [4] = 4; p85 of [1..10] split in two clusters = 8.65', () => {
    expect(pooledQuantile(identity)([[1, 9], [4]])).toBe(4)
    expect(
      pooledQuantile(
        identity,
        0.85,
      )([
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
      ]),
    ).toBeCloseTo(8.65, 12)
  })

  it('rate: failures 2 + 1 over deployments 10 + 20 = 3 / 30 = 0.1; no deployments = null', () => {
    const rate = pooledRatio(
      (c: { f: number; d: number }) => c.f,
      (c) => c.d,
    )
    expect(
      rate([
        { f: 2, d: 10 },
        { f: 1, d: 20 },
      ]),
    ).toBeCloseTo(0.1, 12)
    expect(rate([{ f: 0, d: 0 }])).toBeNull()
  })

  it('agree with the plain summaries for any clusters, reused buffer or not', () => {
    const median = pooledQuantile(identity)
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 20 }), { maxLength: 30 }),
        (clusters) => {
          const flat = clusters.flat()
          expect(median(clusters)).toBe(flat.length ? quantile(flat, 0.5) : null)
          const m = pooledMean(identity)(clusters)
          if (flat.length) expect(m).toBeCloseTo(mean(flat) as number, 6)
          else expect(m).toBeNull()
        },
      ),
    )
  })
})

describe('the weighted forms the bootstrap uses', () => {
  const clusters = fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 12 }), {
    minLength: 1,
    maxLength: 12,
  })
  /** A group drawn from the universe: cluster i taken counts[i] times. */
  const expand = <C>(universe: C[], counts: Int32Array) =>
    universe.flatMap((cluster, i) => Array.from<C>({ length: counts[i] as number }).fill(cluster))

  it('equal the statistic of the drawn group itself, for any universe and draw', () => {
    fc.assert(
      fc.property(
        clusters,
        fc.array(fc.nat(3), { minLength: 12, maxLength: 12 }),
        fc.constantFrom(0.5, 0.85, 0.1),
        (universe, raw, q) => {
          const counts = Int32Array.from(raw.slice(0, universe.length))
          const group = expand(universe, counts)
          const quantileOf = pooledQuantile(identity, q)
          expect(quantileOf.weighted?.(universe)(counts)).toBe(quantileOf(group))
          const meanOf = pooledMean(identity)
          const weightedMean = meanOf.weighted?.(universe)(counts)
          const plainMean = meanOf(group)
          if (plainMean === null) expect(weightedMean).toBeNull()
          else expect(weightedMean).toBeCloseTo(plainMean, 6)
          const ratio = pooledRatio(
            (cluster: number[]) => cluster.length,
            (cluster) => cluster.length + 1,
          )
          expect(ratio.weighted?.(universe)(counts)).toBeCloseTo(ratio(group) as number, 12)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('the median of [1, 9] drawn twice and [4] once is 4; of [1, 9] alone, 5', () => {
    const median = pooledQuantile(identity).weighted?.([[1, 9], [4]])
    expect(median?.(Int32Array.of(2, 1))).toBe(4)
    expect(median?.(Int32Array.of(1, 0))).toBe(5)
    expect(median?.(Int32Array.of(0, 0))).toBeNull()
  })
})

describe('the weighted median of a few large clusters (binary search) and of many small ones (walk)', () => {
  const big = fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 150, maxLength: 300 }), {
    minLength: 2,
    maxLength: 4,
  })
  const small = fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 2 }), {
    minLength: 40,
    maxLength: 80,
  })
  for (const [name, universes] of [
    ['few large', big],
    ['many small', small],
  ] as const) {
    it(`${name}: equal the median of the drawn group itself`, () => {
      fc.assert(
        fc.property(universes, fc.array(fc.nat(3), { minLength: 80, maxLength: 80 }), (universe, raw) => {
          const counts = Int32Array.from(raw.slice(0, universe.length))
          const group = universe.flatMap((cluster, i) => Array.from({ length: counts[i] as number }, () => cluster))
          const median = pooledQuantile(identity)
          expect(median.weighted?.(universe)(counts)).toBe(median(group))
        }),
        { numRuns: 60 },
      )
    })
  }
})
