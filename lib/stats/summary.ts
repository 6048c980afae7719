// Summaries of a list of numbers. `quantile` interpolates linearly between order statistics (type 7), the
// same rule as Postgres' percentile_cont, so a median computed here equals one computed in SQL.

export function sum(values: ArrayLike<number>): number {
  let total = 0
  for (let i = 0; i < values.length; i++) total += values[i] as number
  return total
}

export function mean(values: ArrayLike<number>): number | null {
  return values.length === 0 ? null : sum(values) / values.length
}

export function quantile(values: ArrayLike<number>, q: number): number | null {
  if (values.length === 0) return null
  return quantileInPlace(Float64Array.from(values as ArrayLike<number>), q)
}

export function median(values: ArrayLike<number>): number | null {
  return quantile(values, 0.5)
}

/**
 * Quantile of `values`, reordering them (quickselect: linear time, no full sort). For the bootstrap's inner
 * loop, which takes thousands of medians of the same few thousand values.
 */
export function quantileInPlace(values: Float64Array, q: number, length = values.length): number {
  const position = q * (length - 1)
  const lower = Math.floor(position)
  const fraction = position - lower
  const low = select(values, lower, length)
  if (fraction === 0) return low
  // After selecting `lower`, everything to its right is ≥ it: the next order statistic is their minimum.
  let high = Infinity
  for (let i = lower + 1; i < length; i++) if ((values[i] as number) < high) high = values[i] as number
  return low + fraction * (high - low)
}

/** Hoare's quickselect: puts the k-th smallest at index k and returns it. */
function select(values: Float64Array, k: number, length: number): number {
  let left = 0
  let right = length - 1
  while (right > left) {
    const pivot = values[(left + right) >> 1] as number
    let i = left
    let j = right
    while (i <= j) {
      while ((values[i] as number) < pivot) i++
      while ((values[j] as number) > pivot) j--
      if (i <= j) {
        const swap = values[i] as number
        values[i] = values[j] as number
        values[j] = swap
        i++
        j--
      }
    }
    if (k <= j) right = j
    else if (k >= i) left = i
    else break
  }
  return values[k] as number
}
