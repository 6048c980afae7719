import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { controlClaims, holm, normalQuantile, pageBudget, sensitivity, type Hypothesis } from './claims'

const h = (key: string, role: Hypothesis['role'], p: number | null, extra: Partial<Hypothesis> = {}): Hypothesis => ({
  key,
  role,
  p,
  excludesZero: p !== null && p < 0.05,
  blocked: null,
  ...extra,
})

describe('Holm step-down', () => {
  it('p = 0.01, 0.04, 0.03 at α 5%: 0.01 ≤ 0.05/3 is rejected, then 0.03 > 0.05/2 stops it; 0.04 is not reached', () => {
    expect(holm([0.01, 0.04, 0.03])).toEqual([
      { rejected: true, level: 0.05 / 3 },
      { rejected: false, level: 0.05 / 1 },
      { rejected: false, level: 0.05 / 2 },
    ])
  })

  it('p = 0.004, 0.02, 0.045: 0.004 ≤ 0.0167, 0.02 ≤ 0.025, 0.045 ≤ 0.05 — all three rejected', () => {
    expect(holm([0.045, 0.004, 0.02]).map((r) => r.rejected)).toEqual([true, true, true])
  })

  it('rejects nothing that Bonferroni would not reach, and everything Bonferroni rejects (for any p-values)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }), (ps) => {
        const result = holm(ps)
        ps.forEach((p, i) => {
          if (p <= 0.05 / ps.length) expect(result[i]?.rejected).toBe(true)
          if (p > 0.05) expect(result[i]?.rejected).toBe(false)
        })
      }),
    )
  })
})

describe('claims: primary metrics first, then the rest (serial gatekeeping)', () => {
  it('one primary at p = 0.03 is confirmed at 5%; secondaries at 0.004 and 0.03 face 0.025 then 0.05', () => {
    const decisions = controlClaims([
      h('dx', 'primary', 0.03),
      h('lead', 'secondary', 0.004),
      h('cfr', 'secondary', 0.03),
    ])
    expect(decisions.get('dx')).toMatchObject({ status: 'confirmed', level: 0.05, familySize: 1 })
    expect(decisions.get('lead')).toMatchObject({ status: 'confirmed', level: 0.025 })
    expect(decisions.get('cfr')).toMatchObject({ status: 'confirmed', level: 0.05 })
  })

  it('a primary that is not confirmed closes the gate: a secondary at p = 0.001 is not stated', () => {
    const decisions = controlClaims([h('dx', 'primary', 0.2), h('lead', 'secondary', 0.001)])
    expect(decisions.get('dx')?.status).toBe('not_confirmed')
    expect(decisions.get('lead')).toMatchObject({
      status: 'not_confirmed',
      why: expect.stringMatching(/once every primary metric is confirmed/),
    })
  })

  it('a primary without enough data to test keeps the gate closed', () => {
    expect(controlClaims([h('days', 'primary', null), h('lead', 'secondary', 0.001)]).get('lead')?.status).toBe(
      'not_confirmed',
    )
  })

  it('a p-value that passes is still not confirmed when the interval includes no change, or pilot and control diverged before the launch', () => {
    const decisions = controlClaims([
      h('dx', 'primary', 0.01, { excludesZero: false }),
      h('lead', 'primary', 0.001, { blocked: 'diverged' }),
    ])
    expect(decisions.get('dx')?.status).toBe('not_confirmed')
    expect(decisions.get('lead')).toMatchObject({ status: 'not_confirmed', why: 'diverged' })
  })

  it('without primary metrics (a dashboard before and after) the stated metrics are one Holm family: 0.01 ≤ 0.05/4, 0.015 ≤ 0.05/3, 0.03 > 0.05/2', () => {
    const decisions = controlClaims([
      h('a', 'secondary', 0.01),
      h('b', 'secondary', 0.015),
      h('c', 'secondary', 0.03),
      h('d', 'secondary', 0.5),
    ])
    expect([...decisions.values()].map((d) => d.status)).toEqual([
      'confirmed',
      'confirmed',
      'not_confirmed',
      'not_confirmed',
    ])
  })

  it('exploratory metrics are never claimed, and never enlarge a family', () => {
    const decisions = controlClaims([h('dx', 'primary', 0.04), h('cycle', 'exploratory', 0.0001)])
    expect(decisions.get('cycle')?.status).toBe('exploratory')
    expect(decisions.get('dx')).toMatchObject({ status: 'confirmed', familySize: 1 })
  })

  it('holds the family-wise error at 5% with independent null p-values (20,000 draws of 8 metrics: false-claim rate ≤ 5%)', () => {
    let state = 12345
    const uniform = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32
    let any = 0
    const runs = 20_000
    for (let r = 0; r < runs; r++) {
      const hypotheses = Array.from({ length: 8 }, (_, i) => h(`m${i}`, i < 2 ? 'primary' : 'secondary', uniform()))
      if ([...controlClaims(hypotheses).values()].some((d) => d.status === 'confirmed')) any++
    }
    expect(any / runs).toBeLessThanOrEqual(0.05)
    expect(any / runs).toBeGreaterThan(0.03)
  })
})

describe('how much data an unclear effect still needs', () => {
  it('Φ⁻¹(0.975) = 1.96, Φ⁻¹(0.8) = 0.8416, Φ⁻¹(0.01) = −2.326', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5)
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 5)
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5)
  })

  it('interval −8 to +2 (SE 2.55) at 5%: MDE = (1.96 + 0.84) · 2.55 = 7.15; a 12-week baseline is too noisy to confirm the observed −3, a 120-week one needs 10.66× the evaluation weeks', () => {
    // 12 baseline weeks and 12 evaluation weeks: b = e = 1/12; SE* = 3 / 2.80 = 1.071; (SE*/SE)² = 0.1765
    // b + e/f = (b + e) · 0.1765 → e/f = 0.1667·0.1765 − 0.0833 < 0: the baseline alone is too noisy
    const tight = sensitivity({ value: -3, low: -8, high: 2 }, 0.05, { baseline: [12], evaluation: [12] })
    expect(tight.minimumDetectable).toBeCloseTo(2.8016 * (10 / 3.91993), 3)
    expect(tight.evaluationFactor).toBeNull()
    // …but every cell 5.7 times larger would do: (SE ÷ SE*)² = (2.551 / 1.0708)² = 5.68
    expect(tight.overallFactor).toBeCloseTo((10 / 3.919928 / (3 / 2.801585)) ** 2, 3)
    // with a long baseline (120 weeks) only the evaluation limits: e/f = (1/120 + 1/12)·0.1765 − 1/120 → f ≈ 9.3
    const long = sensitivity({ value: -3, low: -8, high: 2 }, 0.05, { baseline: [120], evaluation: [12] })
    const se = 10 / 3.919928
    const ratio = (3 / (1.959964 + 0.841621) / se) ** 2
    expect(long.evaluationFactor).toBeCloseTo(1 / 12 / ((1 / 120 + 1 / 12) * ratio - 1 / 120), 4)
    expect(long.evaluationFactor).toBeCloseTo(10.66, 2)
  })

  it('an observed effect of exactly zero can never be confirmed', () => {
    expect(
      sensitivity({ value: 0, low: -1, high: 1 }, 0.05, { baseline: [10], evaluation: [10] }).evaluationFactor,
    ).toBeNull()
  })
})

describe('one error budget per page (pageBudget)', () => {
  it('the changes alone keep the whole 5%', () => {
    expect(pageBudget({ docs: false, goals: 0 })).toEqual({ changes: 0.05, docs: 0, goals: 0 })
  })
  it('a docs finding takes 1%, goals take 1% among them: the changes keep 4% or 3%, and the page never exceeds 5%', () => {
    expect(pageBudget({ docs: true, goals: 0 })).toEqual({ changes: 0.04, docs: 0.01, goals: 0 })
    expect(pageBudget({ docs: false, goals: 3 })).toEqual({ changes: 0.04, docs: 0, goals: 0.01 })
    const both = pageBudget({ docs: true, goals: 3 })
    expect(both.changes).toBeCloseTo(0.03, 12)
    expect(both.changes + both.docs + both.goals).toBeCloseTo(0.05, 12)
  })
  it('the changes are held to their share: p = 0.045 is confirmed at 5%, not at 3%', () => {
    const hypotheses = [{ key: 'a', role: 'primary' as const, p: 0.045, excludesZero: true, blocked: null }]
    expect(controlClaims(hypotheses, 0.05).get('a')?.status).toBe('confirmed')
    expect(controlClaims(hypotheses, 0.03).get('a')?.status).toBe('not_confirmed')
  })
})
