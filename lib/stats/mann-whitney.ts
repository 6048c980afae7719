// Mann–Whitney U test (Wilcoxon rank-sum): do two independent samples differ in location? Two-sided p-value
// from the normal approximation with tie and continuity corrections (adequate from about 8 per group; the
// result says how many it had).

export interface MannWhitney {
  u: number
  z: number
  p: number
  sizes: [number, number]
}

export function mannWhitney(a: readonly number[], b: readonly number[]): MannWhitney | null {
  const n1 = a.length
  const n2 = b.length
  if (n1 === 0 || n2 === 0) return null
  const all = [...a.map((value) => ({ value, group: 0 })), ...b.map((value) => ({ value, group: 1 }))].sort((x, y) => x.value - y.value)
  const n = all.length
  let rankSumA = 0
  let tieTerm = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j + 1 < n && (all[j + 1] as { value: number }).value === (all[i] as { value: number }).value) j++
    const rank = (i + j) / 2 + 1 // average rank of the tied run i..j (1-based)
    const ties = j - i + 1
    tieTerm += ties ** 3 - ties
    for (let k = i; k <= j; k++) if ((all[k] as { group: number }).group === 0) rankSumA += rank
    i = j + 1
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2
  const meanU = (n1 * n2) / 2
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1) || 1))
  if (variance <= 0) return { u, z: 0, p: 1, sizes: [n1, n2] }
  const z = (Math.abs(u - meanU) - 0.5) / Math.sqrt(variance)
  return { u, z: Math.max(0, z), p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), sizes: [n1, n2] }
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; error below 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2)
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(x * x) / 2)
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}
