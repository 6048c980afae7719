// Claims across many metrics, and how much data an unclear one still needs. Pure.
//
// A page that states verdicts for eight metrics, each tested at 95% on its own, states at least one false
// change for about one organisation in three where nothing changed (1 − 0.95⁸ ≈ 34%; measured on independently
// generated organisations before this rule). Here the chance that ANY stated change is false is held at 5%:
//
// - Serial gatekeeping (Dmitrienko & Tamhane 2007): the primary metrics, named when the pilot was set up,
//   are one family tested with Holm's step-down procedure at α = 5%. Only when every primary metric is
//   confirmed are the secondary metrics (the rest the page states) tested, again with Holm at 5%. Both steps
//   together keep the family-wise error at α whatever the dependence between the metrics (Holm 1979), and the
//   pilot's own question is asked first, with the most power.
// - A confirmed change needs its 95% interval to exclude no change too, so a printed interval and a verdict
//   never disagree; a change whose interval excludes zero but does not survive the family-wise rule reads "not
//   confirmed".
// - Metrics not stated (no verdict word, interval only) are exploratory and in no family.

const FAMILY_ALPHA = 0.05
/**
 * One error budget per page. A page that states the pilot's changes, the docs study's finding and goals states
 * three kinds of verdict; each held to 5% on its own, the chance that one of them is false would reach about 15%.
 * So the page's 5% is split (Bonferroni across the kinds, which holds whatever their dependence): 1% to the docs
 * finding when the page can state one (a study with data), 1% to the goals when there are any (shared among them),
 * and the rest to the pilot's changes (Holm with gatekeeping, above). With neither, the changes keep the whole 5%.
 */
export const PAGE_ALPHA = FAMILY_ALPHA
const SIDE_ALPHA = 0.01

export interface PageBudget {
  /** The pilot's changes: the level of their family-wise control. */
  changes: number
  /** The docs finding's: its interval is at 1 − this (0 when the page states none). */
  docs: number
  /** The goals', shared among them (0 when there are none). */
  goals: number
}

export function pageBudget({ docs, goals }: { docs: boolean; goals: number }): PageBudget {
  const docsAlpha = docs ? SIDE_ALPHA : 0
  const goalsAlpha = goals > 0 ? SIDE_ALPHA : 0
  return { changes: PAGE_ALPHA - docsAlpha - goalsAlpha, docs: docsAlpha, goals: goalsAlpha }
}

/** Power the "when will we know" figures are for. */
const TARGET_POWER = 0.8

export type ClaimRole = 'primary' | 'secondary' | 'exploratory'

export interface Hypothesis<K extends string = string> {
  key: K
  role: ClaimRole
  /** Two-sided p-value for "no effect"; null when the metric could not be tested (too little data). */
  p: number | null
  /** Its 95% interval excludes no change. */
  excludesZero: boolean
  /** Why it may not be claimed whatever its p-value (pilot and control diverged before the launch); null: nothing. */
  blocked: string | null
}

export type ClaimStatus = 'confirmed' | 'not_confirmed' | 'not_tested' | 'exploratory'

export interface ClaimDecision {
  status: ClaimStatus
  /** The level its p-value was held to (Holm's step), or the level it would face first (α ÷ family size). */
  level: number | null
  /** How many metrics its family holds (tested ones). */
  familySize: number
  /** A plain reason when it is not confirmed. */
  why: string | null
}

/**
 * Holm's step-down procedure: the smallest p-value against α/m, the next against α/(m−1), … stopping at the
 * first that fails. Returns, per input (same order), whether it is rejected and the level it was held to.
 */
export function holm(ps: readonly number[], alpha = FAMILY_ALPHA): { rejected: boolean; level: number }[] {
  const m = ps.length
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i)
  const out = ps.map(() => ({ rejected: false, level: alpha / Math.max(1, m) }))
  let open = true
  order.forEach(({ p, i }, step) => {
    const level = alpha / (m - step)
    out[i] = { rejected: open && p <= level, level }
    if (!(open && p <= level)) open = false
  })
  return out
}

/** Serial gatekeeping with Holm in each family (see the top of this file). */
export function controlClaims<K extends string>(
  hypotheses: readonly Hypothesis<K>[],
  alpha = FAMILY_ALPHA,
): Map<K, ClaimDecision> {
  const decisions = new Map<K, ClaimDecision>()
  const family = (role: ClaimRole) => hypotheses.filter((h) => h.role === role && h.p !== null)
  const decide = (members: Hypothesis<K>[], gate: string | null) => {
    const results = holm(
      members.map((h) => h.p as number),
      alpha,
    )
    members.forEach((h, i) => {
      const result = results[i] as { rejected: boolean; level: number }
      const confirmed = gate === null && result.rejected && h.excludesZero && h.blocked === null
      const why = confirmed
        ? null
        : gate !== null
          ? gate
          : h.blocked !== null
            ? h.blocked
            : `${formatPValue(h.p as number)} against the ${formatP(result.level)} its place among ${members.length} tested metric${members.length === 1 ? '' : 's'} requires`
      decisions.set(h.key, {
        status: confirmed ? 'confirmed' : 'not_confirmed',
        level: result.level,
        familySize: members.length,
        why,
      })
    })
    return members.every((h) => decisions.get(h.key)?.status === 'confirmed')
  }
  const primaries = family('primary')
  const primaryNames = hypotheses.filter((h) => h.role === 'primary')
  const primariesConfirmed = decide(primaries, null) && primaries.length === primaryNames.length
  // without primary metrics (a dashboard's before and after), every stated metric is one Holm family
  const allPrimariesConfirmed = primaryNames.length === 0 || (primariesConfirmed && primaries.length > 0)
  decide(
    family('secondary'),
    allPrimariesConfirmed ? null : 'tested only once every primary metric is confirmed (primary metrics first)',
  )
  for (const h of hypotheses) {
    if (decisions.has(h.key)) continue
    if (h.role === 'exploratory')
      decisions.set(h.key, {
        status: 'exploratory',
        level: null,
        familySize: 0,
        why: 'exploratory: shown for context, not tested for a claim',
      })
    else decisions.set(h.key, { status: 'not_tested', level: null, familySize: 0, why: null })
  }
  return decisions
}

/** A level or p-value as a number: "0.025", "0.0083". */
export function formatP(p: number): string {
  return p < 0.01 ? p.toFixed(4).replace(/0+$/, '') : p.toFixed(3).replace(/0+$/, '').replace(/\.$/, '')
}

/** A p-value in words: "p < 0.001", "p = 0.012". */
export function formatPValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${formatP(p)}`
}

/** The standard normal quantile Φ⁻¹(p), by Acklam's rational approximation (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`)
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ]
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ]
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]
  const low = 0.02425
  const poly = (coefficients: number[], x: number) => coefficients.reduce((sum, k) => sum * x + k, 0)
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return poly(c, q) / (poly(d, q) * q + 1)
  }
  if (p > 1 - low) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (poly(a, r) * q) / (poly(b, r) * r + 1)
}

export interface Sensitivity {
  /** The smallest effect (on the estimate's scale, either sign) the current sample detects with 80% power at `level`. */
  minimumDetectable: number
  /**
   * How many times the evaluation window's units (weeks, hires, respondents) the observed effect needs to be
   * confirmed with 80% power; null when more data after the launch alone cannot get there (the baseline is
   * the limit) or the observed effect is zero.
   */
  evaluationFactor: number | null
  /**
   * How many times every cell's units (before and after the launch together: a longer baseline, more teams)
   * the observed effect needs; null when the observed effect is zero.
   */
  overallFactor: number | null
}

/**
 * Minimum detectable effect and the sample the observed effect needs, from the bootstrap interval. The
 * standard error is read off the 95% interval ((high − low) / 2·1.96); MDE = (z₁₋ₗ/₂ + z₀.₈) · SE. With equal
 * variance per unit, the estimate's variance is Σ 1/nᵢ over its cells: the baseline's part (b) stays, the
 * evaluation's part (e) shrinks as 1/f when its units grow f-fold, so the needed f solves
 * b + e/f = (b + e) · (SE* ÷ SE)², SE* = |observed| / (z₁₋ₗ/₂ + z₀.₈); growing every cell g-fold needs g = (SE ÷ SE*)².
 */
export function sensitivity(
  estimate: { value: number; low: number; high: number },
  level: number,
  cells: { baseline: readonly number[]; evaluation: readonly number[] },
  power = TARGET_POWER,
): Sensitivity {
  const se = (estimate.high - estimate.low) / (2 * normalQuantile(0.975))
  const z = normalQuantile(1 - level / 2) + normalQuantile(power)
  const minimumDetectable = z * se
  const inverse = (ns: readonly number[]) => ns.reduce((sum, n) => sum + 1 / Math.max(1, n), 0)
  const b = inverse(cells.baseline)
  const e = inverse(cells.evaluation)
  if (estimate.value === 0 || se <= 0 || e <= 0)
    return { minimumDetectable, evaluationFactor: null, overallFactor: null }
  const target = Math.abs(estimate.value) / z
  const ratio = (target / se) ** 2
  const remaining = (b + e) * ratio - b
  return { minimumDetectable, evaluationFactor: remaining <= 0 ? null : e / remaining, overallFactor: 1 / ratio }
}
