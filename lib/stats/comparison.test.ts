import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Statistic } from './bootstrap'
import {
  beforeAfter,
  differenceInDifferences,
  pairedDifferenceInDifferences,
  type DidCells,
  type PairedWeek,
} from './comparison'
import { shortfall, verdictOf } from './estimate'
import { pooledMean as meanOf, pooledQuantile } from './pooled'
import { seededDraw, type Draw } from './random'

type Cluster = number[]
const pooledMean: Statistic<Cluster> = meanOf((cluster: Cluster) => cluster)
const pooledMedian: Statistic<Cluster> = pooledQuantile((cluster: Cluster) => cluster)

function normal(draw: Draw): number {
  return Math.sqrt(-2 * Math.log(1 - draw())) * Math.cos(2 * Math.PI * draw())
}

/**
 * Four cells of clusters (say team-weeks): every cluster has its own level (a bad week for the whole team)
 * and its values scatter around it. Control moves by `common` between baseline and evaluation (a season);
 * the pilot moves by `common + effect`.
 */
function simulate(
  draw: Draw,
  effect: number,
  options: { clusters?: number; size?: number; clusterSd?: number; noiseSd?: number } = {},
): DidCells<Cluster> {
  const { clusters = 30, size = 6, clusterSd = 2, noiseSd = 2 } = options
  const cell = (level: number) =>
    Array.from({ length: clusters }, () => {
      const clusterLevel = level + clusterSd * normal(draw)
      return Array.from({ length: size }, () => clusterLevel + noiseSd * normal(draw))
    })
  const common = 3
  return {
    pilotBaseline: cell(10),
    pilotEvaluation: cell(10 + common + effect),
    controlBaseline: cell(12),
    controlEvaluation: cell(12 + common),
  }
}

const single = (cells: DidCells<Cluster>): DidCells<Cluster> => ({
  pilotBaseline: cells.pilotBaseline.flat().map((v) => [v]),
  pilotEvaluation: cells.pilotEvaluation.flat().map((v) => [v]),
  controlBaseline: cells.controlBaseline.flat().map((v) => [v]),
  controlEvaluation: cells.controlEvaluation.flat().map((v) => [v]),
})

describe('difference-in-differences: hand-computed', () => {
  it('absolute: pilot 10 → 7, control 12 → 11: (7 − 10) − (11 − 12) = −2', () => {
    const cells = { pilotBaseline: [[10]], pilotEvaluation: [[7]], controlBaseline: [[12]], controlEvaluation: [[11]] }
    expect(differenceInDifferences(cells, pooledMean, 'absolute', { seed: 1, replicates: 50 })?.value).toBeCloseTo(
      -2,
      12,
    )
  })

  it('relative: pilot 10 → 13, control 20 → 20: (13/10)/(20/20) − 1 = +30%', () => {
    const cells = { pilotBaseline: [[10]], pilotEvaluation: [[13]], controlBaseline: [[20]], controlEvaluation: [[20]] }
    expect(differenceInDifferences(cells, pooledMean, 'relative', { seed: 1, replicates: 50 })?.value).toBeCloseTo(
      0.3,
      12,
    )
  })

  it('is reproducible: the same seed gives the same interval', () => {
    const cells = simulate(seededDraw(7), 1)
    const first = differenceInDifferences(cells, pooledMean, 'absolute', { seed: 99, replicates: 300 })
    const second = differenceInDifferences(cells, pooledMean, 'absolute', { seed: 99, replicates: 300 })
    expect(second).toEqual(first)
    expect(first?.low).toBeLessThan(first?.high as number)
  })

  it('says nothing when a statistic is undefined (an empty cell)', () => {
    const cells = {
      pilotBaseline: [] as Cluster[],
      pilotEvaluation: [[1]],
      controlBaseline: [[1]],
      controlEvaluation: [[1]],
    }
    expect(differenceInDifferences(cells, pooledMean, 'absolute', { seed: 1, replicates: 50 })).toBeNull()
  })

  it('names the cell that is short of data', () => {
    const rule = {
      count: (clusters: readonly Cluster[]) => clusters.length,
      minimum: 5,
      noun: (n: number) => `${n} hires`,
    }
    expect(
      shortfall(
        [
          { label: 'Pilot teams, baseline', clusters: [[1], [2], [3], [4], [5]] },
          { label: 'Control teams, evaluation', clusters: [[1], [2], [3]] },
        ],
        [rule],
      ),
    ).toBe('Control teams, evaluation has 3 hires; at least 5 hires are needed')
  })

  it('verdicts: the whole interval above 0 is better when higher is better, worse when lower is; straddling 0 is no clear change', () => {
    expect(verdictOf({ low: 0.1, high: 0.4 }, 'higher')).toBe('improved')
    expect(verdictOf({ low: 0.1, high: 0.4 }, 'lower')).toBe('worsened')
    expect(verdictOf({ low: -9, high: -2 }, 'lower')).toBe('improved')
    expect(verdictOf({ low: -0.1, high: 0.4 }, 'higher')).toBe('no_clear_change')
  })
})

describe('difference-in-differences: properties', () => {
  const clusterArb = fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 5 })
  const cellArb = fc.array(clusterArb, { minLength: 3, maxLength: 12 })

  it('of two identical groups is 0, with an interval containing 0', () => {
    fc.assert(
      fc.property(cellArb, cellArb, fc.integer(), (baseline, evaluation, seed) => {
        const estimate = differenceInDifferences(
          {
            pilotBaseline: baseline,
            pilotEvaluation: evaluation,
            controlBaseline: baseline,
            controlEvaluation: evaluation,
          },
          pooledMean,
          'absolute',
          { seed, replicates: 200 },
        )
        expect(estimate?.value).toBeCloseTo(0, 9)
        expect(estimate?.low).toBeLessThanOrEqual(1e-9)
        expect(estimate?.high).toBeGreaterThanOrEqual(-1e-9)
      }),
      { numRuns: 40 },
    )
  })

  it('moves by exactly the shift added to every value of the pilot’s evaluation window (mean and median)', () => {
    fc.assert(
      fc.property(
        cellArb,
        cellArb,
        cellArb,
        cellArb,
        fc.double({ min: -50, max: 50, noNaN: true }),
        (pb, pe, cb, ce, shift) => {
          const shifted = pe.map((cluster) => cluster.map((value) => value + shift))
          for (const statistic of [pooledMean, pooledMedian]) {
            const before = differenceInDifferences(
              { pilotBaseline: pb, pilotEvaluation: pe, controlBaseline: cb, controlEvaluation: ce },
              statistic,
              'absolute',
              { seed: 1, replicates: 20 },
            )
            const after = differenceInDifferences(
              { pilotBaseline: pb, pilotEvaluation: shifted, controlBaseline: cb, controlEvaluation: ce },
              statistic,
              'absolute',
              { seed: 1, replicates: 20 },
            )
            expect((after?.value as number) - (before?.value as number)).toBeCloseTo(shift, 6)
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('does not depend on the order of clusters or of values within them (point estimate)', () => {
    fc.assert(
      fc.property(cellArb, cellArb, cellArb, cellArb, (pb, pe, cb, ce) => {
        const reverse = (cell: Cluster[]) => [...cell].reverse().map((cluster) => [...cluster].reverse())
        const a = differenceInDifferences(
          { pilotBaseline: pb, pilotEvaluation: pe, controlBaseline: cb, controlEvaluation: ce },
          pooledMedian,
          'absolute',
          { seed: 3, replicates: 20 },
        )
        const b = differenceInDifferences(
          {
            pilotBaseline: reverse(pb),
            pilotEvaluation: reverse(pe),
            controlBaseline: reverse(cb),
            controlEvaluation: reverse(ce),
          },
          pooledMedian,
          'absolute',
          { seed: 3, replicates: 20 },
        )
        expect(b?.value).toBeCloseTo(a?.value as number, 9)
      }),
      { numRuns: 40 },
    )
  })

  it('before/after of one group: change of means on the absolute scale, ratio − 1 on the relative one', () => {
    const cells = { baseline: [[8], [12]], evaluation: [[15], [15]] }
    expect(beforeAfter(cells, pooledMean, 'absolute', { seed: 1, replicates: 50 })?.value).toBeCloseTo(5, 12)
    expect(beforeAfter(cells, pooledMean, 'relative', { seed: 1, replicates: 50 })?.value).toBeCloseTo(0.5, 12)
  })
})

describe('difference-in-differences: calibration on 200 simulated datasets', () => {
  const run = (
    effect: number,
    statistic: Statistic<Cluster>,
    prepare: (cells: DidCells<Cluster>) => DidCells<Cluster> = (cells) => cells,
  ) => {
    const draw = seededDraw(20261124 + Math.round(effect * 100))
    let covered = 0
    let claimed = 0
    for (let dataset = 0; dataset < 200; dataset++) {
      const estimate = differenceInDifferences(prepare(simulate(draw, effect)), statistic, 'absolute', {
        seed: dataset,
        replicates: 400,
      })
      if (!estimate) throw new Error('no estimate')
      if (estimate.low <= effect && effect <= estimate.high) covered++
      if (verdictOf(estimate, 'higher') !== 'no_clear_change') claimed++
    }
    return { coverage: covered / 200, claimRate: claimed / 200 }
  }

  it('with a true effect of +1.5, the 95% interval contains it in 90–99% of datasets (team-week clusters, mean)', () => {
    const { coverage } = run(1.5, pooledMean)
    expect(coverage).toBeGreaterThanOrEqual(0.9)
    expect(coverage).toBeLessThanOrEqual(0.99)
  })

  it('with a true effect of +1.5, the same holds for the median', () => {
    const { coverage } = run(1.5, pooledMedian)
    expect(coverage).toBeGreaterThanOrEqual(0.9)
    expect(coverage).toBeLessThanOrEqual(0.99)
  })

  it('with no true effect, "improved" or "worsened" is claimed in at most 10% of datasets', () => {
    const { claimRate, coverage } = run(0, pooledMean)
    expect(claimRate).toBeLessThanOrEqual(0.1)
    expect(coverage).toBeGreaterThanOrEqual(0.9)
  })

  it('resampling single pull requests instead of team-weeks would be overconfident: its interval misses the truth far more often', () => {
    const naive = run(1.5, pooledMean, single)
    expect(naive.coverage).toBeLessThan(0.8) // why the bootstrap resamples whole team-weeks
  })
})

describe('paired (by calendar week) difference-in-differences', () => {
  /**
   * Weeks in which every team shares a shock (a holiday week drags everyone down), three pilot and three
   * control team-weeks of six values each; the pilot gains `effect` in the evaluation window.
   */
  function simulateWeeks(
    draw: Draw,
    effect: number,
  ): { baseline: PairedWeek<Cluster>[]; evaluation: PairedWeek<Cluster>[] } {
    const teamWeek = (level: number) => {
      const clusterLevel = level + 1 * normal(draw)
      return Array.from({ length: 6 }, () => clusterLevel + 2 * normal(draw))
    }
    const week = (pilotLevel: number, controlLevel: number): PairedWeek<Cluster> => {
      const shock = 4 * normal(draw)
      return {
        pilot: [1, 2, 3].map(() => teamWeek(pilotLevel + shock)),
        control: [1, 2, 3].map(() => teamWeek(controlLevel + shock)),
      }
    }
    return {
      baseline: Array.from({ length: 26 }, () => week(10, 12)),
      evaluation: Array.from({ length: 16 }, () => week(13 + effect, 15)),
    }
  }
  const unpaired = (weeks: ReturnType<typeof simulateWeeks>): DidCells<Cluster> => ({
    pilotBaseline: weeks.baseline.flatMap((w) => w.pilot),
    pilotEvaluation: weeks.evaluation.flatMap((w) => w.pilot),
    controlBaseline: weeks.baseline.flatMap((w) => w.control),
    controlEvaluation: weeks.evaluation.flatMap((w) => w.control),
  })

  it('gives the same point estimate as the unpaired design: (13 − 10) − (15 − 12) + effect', () => {
    const weeks = simulateWeeks(seededDraw(5), 2)
    const paired = pairedDifferenceInDifferences(weeks, pooledMean, 'absolute', { seed: 1, replicates: 100 })
    const plain = differenceInDifferences(unpaired(weeks), pooledMean, 'absolute', { seed: 1, replicates: 100 })
    expect(paired?.value).toBeCloseTo(plain?.value as number, 9)
  })

  it('of identical groups is exactly 0 in every replicate', () => {
    const weeks = simulateWeeks(seededDraw(6), 0)
    const mirrored = {
      baseline: weeks.baseline.map((w) => ({ pilot: w.pilot, control: w.pilot })),
      evaluation: weeks.evaluation.map((w) => ({ pilot: w.pilot, control: w.pilot })),
    }
    expect(pairedDifferenceInDifferences(mirrored, pooledMean, 'absolute', { seed: 2, replicates: 100 })).toMatchObject(
      { value: 0, low: 0, high: 0 },
    )
  })

  it('with shocks both groups share: covers a true effect of +1 in 90–99% of 200 datasets, with intervals under half as wide as unpaired', () => {
    const draw = seededDraw(424242)
    let covered = 0
    let pairedWidth = 0
    let unpairedWidth = 0
    for (let dataset = 0; dataset < 200; dataset++) {
      const weeks = simulateWeeks(draw, 1)
      const paired = pairedDifferenceInDifferences(weeks, pooledMean, 'absolute', { seed: dataset, replicates: 400 })
      const plain = differenceInDifferences(unpaired(weeks), pooledMean, 'absolute', { seed: dataset, replicates: 400 })
      if (!paired || !plain) throw new Error('no estimate')
      if (paired.low <= 1 && 1 <= paired.high) covered++
      pairedWidth += paired.high - paired.low
      unpairedWidth += plain.high - plain.low
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.9)
    expect(covered / 200).toBeLessThanOrEqual(0.99)
    expect(pairedWidth / unpairedWidth).toBeLessThan(0.5)
  })

  it('with shocks both groups share and no true effect, claims a change in at most 10% of datasets', () => {
    const draw = seededDraw(737373)
    let claimed = 0
    for (let dataset = 0; dataset < 200; dataset++) {
      const estimate = pairedDifferenceInDifferences(simulateWeeks(draw, 0), pooledMean, 'absolute', {
        seed: dataset,
        replicates: 400,
      })
      if (estimate && verdictOf(estimate, 'higher') !== 'no_clear_change') claimed++
    }
    expect(claimed / 200).toBeLessThanOrEqual(0.1)
  })
})

describe('permutation p-value (whole weeks shuffled between the windows)', () => {
  it('baseline 1, 2, 3 vs evaluation 10, 11, 12: only the observed split (and its mirror) is as extreme: p ≈ 2/20 of the 20 splits', async () => {
    const { permutationP } = await import('./permutation')
    const mean = (list: readonly number[]) => list.reduce((sum, value) => sum + value, 0) / list.length
    const p = permutationP({ baseline: [1, 2, 3], evaluation: [10, 11, 12] }, (b, e) => mean(e) - mean(b), {
      seed: 1,
      permutations: 4000,
    })
    expect(p).toBeGreaterThan(0.07)
    expect(p).toBeLessThan(0.13) // exact value 2 / 20 = 0.1
  })

  it('is about uniform without an effect: p < 0.05 in at most 10% of 200 datasets (paired design)', () => {
    const draw = seededDraw(99)
    let small = 0
    for (let dataset = 0; dataset < 200; dataset++) {
      const weeks = {
        baseline: Array.from({ length: 20 }, () => ({ pilot: [[normal(draw)]], control: [[normal(draw)]] })),
        evaluation: Array.from({ length: 12 }, () => ({ pilot: [[normal(draw)]], control: [[normal(draw)]] })),
      }
      const estimate = pairedDifferenceInDifferences(weeks, pooledMean, 'absolute', { seed: dataset, replicates: 200 })
      if ((estimate?.permutationP ?? 1) < 0.05) small++
    }
    expect(small / 200).toBeLessThanOrEqual(0.1)
  })
})
