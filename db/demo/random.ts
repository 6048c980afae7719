// Seeded randomness for the demo organisation: the same seed gives the same organisation, row for row.
// Every stream is derived from (seed, label), so generating one team never shifts another team's numbers.
import { createHash } from 'node:crypto'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'

export class Random {
  private readonly rng

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed)
  }

  /** A stream independent of this one, named by `label`. */
  static derive(seed: number, label: string): Random {
    const digest = createHash('sha256').update(`${seed}:${label}`).digest()
    return new Random(digest.readInt32BE(0))
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.rng)
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((sum, weight) => sum + weight, 0)
    let target = this.next() * total
    for (let i = 0; i < items.length; i++) {
      target -= weights[i] ?? 0
      if (target < 0) return items[i] as T
    }
    return items[items.length - 1] as T
  }

  /** Standard normal by Box–Muller. */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next()
    const v = this.next()
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** Log-normal with the given median and shape: durations in software delivery are long-tailed. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal())
  }

  /** Poisson by Knuth's method (fine for the small rates used here). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))))
    const limit = Math.exp(-lambda)
    let k = 0
    let product = this.next()
    while (product > limit) {
      k++
      product *= this.next()
    }
    return k
  }

  /** Gamma with an integer shape and mean 1 (a sum of exponentials): regular when the shape is large. */
  gammaUnit(shape: number): number {
    let sum = 0
    for (let i = 0; i < shape; i++) sum -= Math.log(1 - this.next())
    return sum / shape
  }

  /** `length` hex digits, e.g. a commit sha. */
  hex(length: number): string {
    let out = ''
    while (out.length < length)
      out += Math.floor(this.next() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, '0')
    return out.slice(0, length)
  }
}
