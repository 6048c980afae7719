// The statistics' source of randomness: seeded, so the same data and seed give the same interval every time
// a page is loaded or a report printed.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'

export type Draw = () => number

/** Uniform numbers in [0, 1) from a seed. */
export function seededDraw(seed: number): Draw {
  const generator = xoroshiro128plus(seed | 0)
  return () => uniformFloat64(generator)
}

/** A seed from a text (FNV-1a), so each comparison has its own reproducible stream. */
export function seedFrom(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash | 0
}
