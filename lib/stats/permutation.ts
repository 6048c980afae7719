// The permutation test beside the bootstrap: whole units shuffled between two windows, for the p-value of "the
// window makes no difference".
import { DEFAULT_REPLICATES } from './bootstrap'
import { seededDraw } from './random'

/**
 * Permutation test for "the window makes no difference": shuffles whole units (weeks) between the two
 * windows, keeping each window's size, and counts how often a shuffled difference is at least as far from 0
 * as the observed one. Units are kept whole, so dependence inside a week does not inflate significance (a
 * rank test on single pull requests would). Two-sided, with the observed arrangement counted once.
 */
export function permutationP<U>(
  windows: { baseline: readonly U[]; evaluation: readonly U[] },
  difference: (baseline: readonly U[], evaluation: readonly U[]) => number | null,
  options: { seed: number; permutations?: number },
): number | null {
  const observed = difference(windows.baseline, windows.evaluation)
  if (observed === null || !Number.isFinite(observed)) return null
  const pool = [...windows.baseline, ...windows.evaluation]
  const split = windows.baseline.length
  const draw = seededDraw(options.seed ^ 0x5bd1e995)
  const permutations = options.permutations ?? DEFAULT_REPLICATES
  let extreme = 0
  let counted = 0
  for (let r = 0; r < permutations; r++) {
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(draw() * (i + 1))
      const swap = pool[i] as U
      pool[i] = pool[j] as U
      pool[j] = swap
    }
    const shuffled = difference(pool.slice(0, split), pool.slice(split))
    if (shuffled === null || !Number.isFinite(shuffled)) continue
    counted++
    if (Math.abs(shuffled) >= Math.abs(observed) - 1e-12) extreme++
  }
  return counted === 0 ? null : (extreme + 1) / (counted + 1)
}
