// Statistics of clusters that pool their values: the mean or a quantile of every value in every cluster,
// or a ratio of totals. Written for the bootstrap's inner loop (thousands of calls per comparison): no
// allocation per call, quickselect instead of sorting; and each has a weighted form (see Statistic in
// ./comparison) that works from per-cluster totals or sorted values prepared once, so a resample of a
// scale-20 organisation's weeks costs microseconds rather than a pass over every pooled value.
import type { Statistic } from './bootstrap'
import { quantileInPlace, sum } from './summary'

/** The mean of all values of all clusters. */
export function pooledMean<C>(values: (cluster: C) => ArrayLike<number>): Statistic<C> {
  const statistic: Statistic<C> = (clusters) => {
    let total = 0
    let count = 0
    for (const cluster of clusters) {
      const list = values(cluster)
      for (let i = 0; i < list.length; i++) total += list[i] as number
      count += list.length
    }
    return count === 0 ? null : total / count
  }
  statistic.weighted = (universe) => {
    const sums = Float64Array.from(universe, (cluster) => sum(values(cluster)))
    const sizes = Float64Array.from(universe, (cluster) => values(cluster).length)
    return ratioOfWeighted(sums, sizes)
  }
  return statistic
}

/** The q-quantile (0.5: median) of all values of all clusters, as Postgres' percentile_cont computes it. */
export function pooledQuantile<C>(values: (cluster: C) => ArrayLike<number>, q = 0.5): Statistic<C> {
  let buffer = new Float64Array(256)
  const statistic: Statistic<C> = (clusters) => {
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
  statistic.weighted = (universe) =>
    weightedQuantile(
      universe.map((cluster) => Float64Array.from(values(cluster)).sort()),
      q,
    )
  return statistic
}

/**
 * The q-quantile of the multiset holding `counts[c]` copies of each cluster's values, with percentile_cont's
 * interpolation (as quantileInPlace). All values are sorted once, each remembering its cluster. The k-th
 * smallest value is then found one of two ways, whichever costs less for this universe:
 * - few, large clusters (a week of a whole organisation's changes): a binary search over all values, ranking
 *   each candidate by a binary search in every drawn cluster's own sorted values;
 * - many small clusters (one hire, one respondent): a walk up the sorted values adding each one's count.
 */
function weightedQuantile(sorted: Float64Array[], q: number): (counts: Int32Array) => number | null {
  const size = sorted.reduce((n, values) => n + values.length, 0)
  const walk = sorted.length * Math.log2(size + 1) * 4 > size
  // Only the walk needs each value's cluster; the binary search sorts the bare values (a typed-array sort).
  let all = new Float64Array(size)
  let owner = new Int32Array(0)
  if (walk) {
    const order = sorted
      .flatMap((values, c) => Array.from(values, (value) => ({ value, c })))
      .sort((a, b) => a.value - b.value)
    all = Float64Array.from(order, (entry) => entry.value)
    owner = Int32Array.from(order, (entry) => entry.c)
  } else {
    let at = 0
    for (const values of sorted) {
      all.set(values, at)
      at += values.length
    }
    all.sort()
  }
  const drawn: number[] = []
  let counts: Int32Array = new Int32Array(0)
  /** How many values of the multiset are ≤ v. */
  const rankAtMost = (v: number) => {
    let rank = 0
    for (const c of drawn) rank += (counts[c] as number) * countAtMost(sorted[c] as Float64Array, v)
    return rank
  }
  /** The k-th smallest (from 0) value of the multiset: the smallest value with more than k values at or below it. */
  const kth = (k: number) => {
    let low = 0
    let high = all.length - 1
    while (low < high) {
      const mid = (low + high) >> 1
      if (rankAtMost(all[mid] as number) > k) high = mid
      else low = mid + 1
    }
    return all[low] as number
  }
  /**
   * The (k+1)-th smallest value, given `low`, the k-th: `low` again when more than k+1 values are at or below
   * it, else the smallest drawn value above it. One rank and one search per drawn cluster, instead of a second
   * binary search over every value (a median of an even count needs both middle values).
   */
  const following = (low: number, k: number) => {
    if (rankAtMost(low) > k + 1) return low
    let next = Number.POSITIVE_INFINITY
    for (const c of drawn) {
      const values = sorted[c] as Float64Array
      const above = countAtMost(values, low)
      if (above < values.length && (values[above] as number) < next) next = values[above] as number
    }
    return next
  }
  /**
   * The walk's k-th smallest value, and with `next` the (k+1)-th as well, in one pass: the walk goes on from
   * where the k-th stopped instead of starting again (a median of an even count needs both). The (k+1)-th is
   * left in `walked` (no array per call: this runs thousands of times per comparison).
   */
  let walked = 0
  const walkTo = (k: number, next: boolean): number => {
    let rank = 0
    let g = 0
    for (; g < all.length; g++) {
      rank += counts[owner[g] as number] as number
      if (rank > k) break
    }
    const first = all[Math.min(g, all.length - 1)] as number
    walked = first
    if (!next || rank > k + 1) return first
    for (g++; g < all.length; g++) {
      rank += counts[owner[g] as number] as number
      if (rank > k + 1) break
    }
    walked = all[Math.min(g, all.length - 1)] as number
    return first
  }
  return (drawnCounts) => {
    counts = drawnCounts
    drawn.length = 0
    let total = 0
    for (let c = 0; c < sorted.length; c++) {
      const n = (counts[c] as number) * (sorted[c] as Float64Array).length
      if (n > 0) {
        drawn.push(c)
        total += n
      }
    }
    if (total === 0) return null
    const position = q * (total - 1)
    const lower = Math.floor(position)
    const fraction = position - lower
    if (walk) {
      const low = walkTo(lower, fraction !== 0)
      return fraction === 0 ? low : low + fraction * (walked - low)
    }
    const low = kth(lower)
    return fraction === 0 ? low : low + fraction * (following(low, lower) - low)
  }
}

/** How many of the sorted `values` are ≤ v: also the index of the first one above it. */
function countAtMost(values: Float64Array, v: number): number {
  let low = 0
  let high = values.length
  while (low < high) {
    const mid = (low + high) >> 1
    if ((values[mid] as number) <= v) low = mid + 1
    else high = mid
  }
  return low
}

/** Σ numerator ÷ Σ denominator over the clusters (a rate), null when the denominator is 0. */
export function pooledRatio<C>(numerator: (cluster: C) => number, denominator: (cluster: C) => number): Statistic<C> {
  const statistic: Statistic<C> = (clusters) => {
    let top = 0
    let bottom = 0
    for (const cluster of clusters) {
      top += numerator(cluster)
      bottom += denominator(cluster)
    }
    return bottom === 0 ? null : top / bottom
  }
  statistic.weighted = (universe) =>
    ratioOfWeighted(Float64Array.from(universe, numerator), Float64Array.from(universe, denominator))
  return statistic
}

/** Σ counts·top ÷ Σ counts·bottom; null when the weighted bottom is 0. */
function ratioOfWeighted(top: Float64Array, bottom: Float64Array): (counts: Int32Array) => number | null {
  return (counts) => {
    let above = 0
    let below = 0
    for (let c = 0; c < counts.length; c++) {
      const n = counts[c] as number
      if (n === 0) continue
      above += n * (top[c] as number)
      below += n * (bottom[c] as number)
    }
    return below === 0 ? null : above / below
  }
}
