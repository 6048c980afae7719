// The money model: measured effects × how often they happen × what an hour costs, against what the portal
// costs. Every figure is a range — low, likely, high — whose ends come from the 95% intervals of the
// measured effects (and from the cost presets' ranges), so the report never claims more than the data does.
// The money rule (docs/metrics.md): "likely" counts only effects confirmed after family-wise control; an
// unconfirmed effect adds 0 to likely and only widens the range. Net, ROI and payback are worked from the same
// pairs (best: most value, least cost; worst: least value, most cost), so they can never contradict each other.
// Pure: the caller supplies the effects (from the comparisons), the counts (from the data) and the assumptions.
import { formatMoney } from '@/lib/format'
import type { AssumptionKey, Assumptions } from './assumptions'

export interface Range {
  low: number
  likely: number
  high: number
}

/** A measured effect on the metric's own scale: days, minutes, or a relative change (−0.25 = 25% less). */
export interface MeasuredEffect {
  estimate: number
  low: number
  high: number
  /** Clear after the family-wise control over every metric stated (InitiativeMetric.confirmed). */
  confirmed: boolean
}

export interface RoiInputs {
  assumptions: Assumptions
  effects: {
    /** Days to first merged PR, pilot vs control (negative: faster). */
    daysToFirstMerge: MeasuredEffect | null
    /** Minutes to restore service, pilot vs control (negative: faster). */
    timeToRestoreMinutes: MeasuredEffect | null
    /** Merged PRs per engineer-week, relative (0.1 = 10% more). */
    throughputRelative: MeasuredEffect | null
    /**
     * Minutes saved per docs look-up, from the docs find-time study (lib/metrics/study.ts; positive: faster).
     * `confirmed`: its 95% interval excludes 0. Null until the study has 5 participants in each phase.
     */
    docsMinutesSavedPerLookup: MeasuredEffect | null
  }
  counts: {
    engineers: number
    hiresPerYear: number
    incidentsPerYear: number
    servicesFromTemplatesPerYear: number
    /** Median setup hours by hand minus from a template; null when either is unknown. */
    setupHoursSavedPerService: number | null
  }
}

export type BenefitKey = 'onboarding' | 'incident_response' | 'scaffolding' | 'docs' | 'throughput'

export interface Benefit {
  key: BenefitKey
  label: string
  /** Per year; null when it is not counted (with why). */
  value: Range | null
  reason: string | null
  /** How it is worked out, in words. */
  formula: string
  uses: AssumptionKey[]
  /**
   * For a benefit from a measured effect with an interval (pilot vs control, the docs study): whether that
   * effect is confirmed (if not, it counts 0 in likely and its interval in the range). Null for a benefit
   * measured without an interval (template runs).
   */
  confirmed: boolean | null
}

export interface RoiResult {
  benefits: Benefit[]
  value: Range
  cost: Range
  costLabel: string
  net: Range
  /** Net ÷ cost, in percent; null without a cost. */
  roiPercent: Range | null
  /**
   * Months of a year's value needed to cover a year's cost (at most 12): best (value.high against cost.low),
   * likely, worst (value.low against cost.high), exactly the pairs of net.high, net.likely and net.low. Null —
   * "never" — where a year's value is below a year's cost, i.e. exactly where that net is negative.
   */
  paybackMonths: { best: number | null; likely: number | null; worst: number | null }
  /** Why each null payback is "never", in words; null where there is a payback. */
  paybackNever: { best: string | null; likely: string | null; worst: string | null }
  /** The loaded cost of one engineer for a working year: daily cost × 5 × working weeks. */
  fteYearCost: number
  /** The value as engineer-years freed: value ÷ the cost of one FTE-year. */
  valueFtes: Range
  /**
   * What the value a year must reach to cover the likely cost, as time: FTEs a year, and hours per engineer
   * per week (null with no engineers counted).
   */
  breakEven: { value: number; ftes: number; hoursPerEngineerWeek: number | null }
  costUses: AssumptionKey[]
}

const HOURS_PER_DAY = 8
/** Ramp-up is counted in calendar days; five of every seven are paid working days. */
const WORKING_SHARE_OF_CALENDAR = 5 / 7
/** Setup is measured in elapsed hours: 5 of 7 days, 8 of 24 hours are working hours. */
const WORKING_SHARE_OF_ELAPSED_HOURS = (5 / 7) * (HOURS_PER_DAY / 24)

const point = (value: number): Range => ({ low: value, likely: value, high: value })
const scale = (range: Range, factor: number): Range => ({
  low: range.low * factor,
  likely: range.likely * factor,
  high: range.high * factor,
})
/** What a lower-is-better effect saves: its negation, the interval's ends swapped. */
const saved = (effect: MeasuredEffect): Range => ({ low: -effect.high, likely: -effect.estimate, high: -effect.low })
const gained = (effect: MeasuredEffect): Range => ({ low: effect.low, likely: effect.estimate, high: effect.high })
/**
 * What an effect's money counts: a confirmed effect at its estimate; an unconfirmed one 0 in likely, its interval
 * still in the range. The ends are widened to take in likely, so low ≤ likely ≤ high always holds (an interval
 * that excludes 0 yet is not confirmed after family-wise control, or a bootstrap interval beside its estimate).
 */
function counted(range: Range, confirmed: boolean): Range {
  const likely = confirmed ? range.likely : 0
  return { low: Math.min(range.low, range.high, likely), likely, high: Math.max(range.low, range.high, likely) }
}

/**
 * Months of a year's value to cover a year's cost: only when the value reaches the cost (then at most 12), the
 * same comparison as net = value − cost ≥ 0, so payback and net agree on every pair.
 */
function payback(yearValue: number, yearCost: number): { months: number | null; never: string | null } {
  if (yearValue >= yearCost) return { months: yearCost > 0 ? (yearCost / yearValue) * 12 : 0, never: null }
  return {
    months: null,
    never: `a year's value, ${formatMoney(yearValue)}, is below a year's cost, ${formatMoney(yearCost)}`,
  }
}

export function portalCost(
  assumptions: Assumptions,
  engineers: number,
): { cost: Range; label: string; uses: AssumptionKey[] } {
  switch (assumptions.cost_preset) {
    case 1:
      return {
        cost: { low: 380_000, likely: 515_000, high: 650_000 },
        label: 'Built in-house by 3 engineers (US $380k–650k a year)',
        uses: ['cost_preset'],
      }
    case 2:
      return {
        cost: point(35 * 12 * engineers),
        label: `SaaS at US $35 per developer per month × ${engineers} developers`,
        uses: ['cost_preset'],
      }
    case 3:
      return {
        cost: { low: 150_000, likely: 200_000, high: 250_000 },
        label: 'Hybrid (US $150k–250k a year)',
        uses: ['cost_preset'],
      }
    default: {
      const total =
        assumptions.portal_engineers * assumptions.portal_engineer_annual_cost +
        assumptions.infrastructure_per_year +
        assumptions.licences_per_year
      return {
        cost: point(total),
        label: `${assumptions.portal_engineers} portal engineers × loaded cost, plus infrastructure and licences`,
        uses: [
          'cost_preset',
          'portal_engineers',
          'portal_engineer_annual_cost',
          'infrastructure_per_year',
          'licences_per_year',
        ],
      }
    }
  }
}

export function roiModel({ assumptions, effects, counts }: RoiInputs): RoiResult {
  const hourly = assumptions.engineer_daily_cost / HOURS_PER_DAY
  const benefits: Benefit[] = []

  benefits.push({
    key: 'onboarding',
    label: 'Faster onboarding',
    ...(effects.daysToFirstMerge
      ? {
          value: counted(
            scale(
              saved(effects.daysToFirstMerge),
              WORKING_SHARE_OF_CALENDAR * assumptions.engineer_daily_cost * counts.hiresPerYear,
            ),
            effects.daysToFirstMerge.confirmed,
          ),
          reason: null,
        }
      : { value: null, reason: 'no measured effect on days to first merged PR yet' }),
    formula: `days to first merged PR saved × 5/7 working days × daily cost × ${counts.hiresPerYear} hires a year`,
    uses: ['engineer_daily_cost'],
    confirmed: effects.daysToFirstMerge?.confirmed ?? null,
  })

  benefits.push({
    key: 'incident_response',
    label: 'Faster incident recovery',
    ...(effects.timeToRestoreMinutes
      ? {
          value: counted(
            scale(
              saved(effects.timeToRestoreMinutes),
              (assumptions.responders_per_incident * hourly * counts.incidentsPerYear) / 60,
            ),
            effects.timeToRestoreMinutes.confirmed,
          ),
          reason: null,
        }
      : { value: null, reason: 'no measured effect on time to restore yet' }),
    formula: `minutes to restore saved × ${assumptions.responders_per_incident} responders × hourly cost × ${counts.incidentsPerYear} incidents a year`,
    uses: ['responders_per_incident', 'engineer_daily_cost'],
    confirmed: effects.timeToRestoreMinutes?.confirmed ?? null,
  })

  benefits.push({
    key: 'scaffolding',
    label: 'New services from templates',
    ...(counts.setupHoursSavedPerService !== null && counts.servicesFromTemplatesPerYear > 0
      ? {
          value: point(
            counts.setupHoursSavedPerService *
              WORKING_SHARE_OF_ELAPSED_HOURS *
              assumptions.setup_effort_share *
              hourly *
              counts.servicesFromTemplatesPerYear,
          ),
          reason: null,
        }
      : { value: null, reason: 'no services created both ways to compare yet' }),
    formula: `elapsed setup hours saved per service (median by hand − from a template) × 5/7 × 8/24 working hours × ${assumptions.setup_effort_share} of them working × hourly cost × ${counts.servicesFromTemplatesPerYear} services a year`,
    uses: ['setup_effort_share', 'engineer_daily_cost'],
    confirmed: null,
  })

  // The docs find-time study: minutes saved per look-up, measured with its interval; how many look-ups there are
  // is an assumption shown with it. Clear (its interval excludes 0) or it counts 0 in likely, like any effect.
  const docs = effects.docsMinutesSavedPerLookup
  const lookups = assumptions.docs_lookups_per_engineer_week
  benefits.push({
    key: 'docs',
    label: 'Less time finding docs',
    ...(docs
      ? {
          value: counted(
            scale(gained(docs), (lookups * counts.engineers * assumptions.working_weeks_per_year * hourly) / 60),
            docs.confirmed,
          ),
          reason: null,
        }
      : { value: null, reason: 'no docs find-time study with 5 participants in each phase yet' }),
    formula: `minutes saved per look-up (the docs find-time study) × ${lookups} look-ups per engineer-week × ${counts.engineers} engineers × ${assumptions.working_weeks_per_year} weeks × hourly cost`,
    uses: ['docs_lookups_per_engineer_week', 'working_weeks_per_year', 'engineer_daily_cost'],
    confirmed: docs?.confirmed ?? null,
  })

  const throughput = assumptions.include_throughput === 1 && effects.throughputRelative
  benefits.push({
    key: 'throughput',
    label: 'More merged work',
    ...(throughput && effects.throughputRelative
      ? {
          value: counted(
            scale(
              gained(effects.throughputRelative),
              counts.engineers *
                assumptions.working_weeks_per_year *
                5 *
                assumptions.engineer_daily_cost *
                assumptions.delivery_share_of_time,
            ),
            effects.throughputRelative.confirmed,
          ),
          reason: null,
        }
      : {
          value: null,
          reason:
            assumptions.include_throughput === 1
              ? 'no measured effect on throughput yet'
              : 'not counted unless chosen in the assumptions',
        }),
    formula: `throughput change × ${counts.engineers} engineers × working days × daily cost × ${assumptions.delivery_share_of_time} of time on delivery`,
    uses: ['include_throughput', 'delivery_share_of_time', 'working_weeks_per_year', 'engineer_daily_cost'],
    confirmed: throughput && effects.throughputRelative ? effects.throughputRelative.confirmed : null,
  })

  const value = benefits.reduce<Range>(
    (sum, benefit) =>
      benefit.value
        ? {
            low: sum.low + benefit.value.low,
            likely: sum.likely + benefit.value.likely,
            high: sum.high + benefit.value.high,
          }
        : sum,
    point(0),
  )
  const { cost, label, uses } = portalCost(assumptions, counts.engineers)
  const net = { low: value.low - cost.high, likely: value.likely - cost.likely, high: value.high - cost.low }
  const roiPercent =
    cost.low > 0
      ? {
          low: (net.low / cost.high) * 100,
          likely: (net.likely / cost.likely) * 100,
          high: (net.high / cost.low) * 100,
        }
      : null
  const best = payback(value.high, cost.low)
  const likely = payback(value.likely, cost.likely)
  const worst = payback(value.low, cost.high)
  // An FTE-year is 5 working days × the working weeks; an hour is a working day ÷ 8.
  const fteYearCost = assumptions.engineer_daily_cost * 5 * assumptions.working_weeks_per_year
  return {
    benefits,
    value,
    cost,
    costLabel: label,
    net,
    roiPercent,
    paybackMonths: { best: best.months, likely: likely.months, worst: worst.months },
    paybackNever: { best: best.never, likely: likely.never, worst: worst.never },
    fteYearCost,
    valueFtes: scale(value, 1 / fteYearCost),
    breakEven: {
      value: cost.likely,
      ftes: cost.likely / fteYearCost,
      hoursPerEngineerWeek:
        counts.engineers > 0 ? cost.likely / (hourly * counts.engineers * assumptions.working_weeks_per_year) : null,
    },
    costUses: uses,
  }
}
