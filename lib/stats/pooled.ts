// Statistics of clusters that pool their values: the mean or a quantile of every value in every cluster,
// or a ratio of totals. Written for the bootstrap's inner loop (thousands of calls per comparison): no
// allocation per call, quickselect instead of sorting.
import type { Statistic } from './comparison'
import { quantileInPlace } from './summary'

/** The mean of all values of all clusters. */
export function pooledMean<C>(values: (cluster: C) => ArrayLike<number>): Statistic<C> {
  return (clusters) => {
    let total = 0
    let count = 0
    for (const cluster of clusters) {
      const list = values(cluster)
      for (let i = 0; i < list.length; i++) total += list[i] as number
      count += list.length
    }
    return count === 0 ? null : total / count
  }
}

/** The q-quantile (0.5: median) of all values of all clusters, as Postgres' percentile_cont computes it. */
export function pooledQuantile<C>(values: (cluster: C) => ArrayLike<number>, q = 0.5): Statistic<C> {
  let buffer = new Float64Array(256)
  return (clusters) => {
    let count = 0
    for (const cluster of clusters) count += values(cluster).length
    if (count === 0) return null
    if (buffer.length < count) buffer = new Float64Array(count * 2)
    let at = 0
    for (const cluster of clusters) {
      const list = values(cluster)
      for (let i = 0; i < list.length; i++) buffer[at++] = list[i] as number
    }
    return quantileInPlace(buffer, q, count)
  }
}

/** Σ numerator ÷ Σ denominator over the clusters (a rate), null when the denominator is 0. */
export function pooledRatio<C>(numerator: (cluster: C) => number, denominator: (cluster: C) => number): Statistic<C> {
  return (clusters) => {
    let top = 0
    let bottom = 0
    for (const cluster of clusters) {
      top += numerator(cluster)
      bottom += denominator(cluster)
    }
    return bottom === 0 ? null : top / bottom
  }
}
