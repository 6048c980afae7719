// The Onboarding page's read model: days from start date to first and to tenth merged pull request, by
// hire-month cohort, with hires who have not got there yet counted as censored (Kaplan–Meier), cohorts
// under five withheld; and the selected hires against the comparison hires. Server-only.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { listHires } from '@/db/queries/onboarding'
import type { WeekPeriod } from '@/lib/charts/weekly-series'
import type { Interval } from '@/lib/dates'
import { comparableMetric, type HireMetric } from '@/lib/metrics/comparable'
import { compareWindows, withClaims, type CellFigure, type Outcome } from '@/lib/metrics/compare'
import { daysToNthMerge, hireCohorts, onboardingSummary, type CohortSummary, type Hire } from '@/lib/metrics/onboarding'
import { wholeWeeks } from '@/lib/metrics/windows'
import { seedFrom } from '@/lib/stats/random'
import { getLastWeek } from './chart-span'
import type { Filters } from './filters'
import { pageRead, type Question } from './read-cache'

export interface Onboarding {
  interval: Interval
  comparison: Interval | null
  asOf: Date
  cohorts: { month: string; hires: number; first: CohortSummary; tenth: CohortSummary }[]
  /**
   * The cohorts of the hires compared with, then those of the hires shown, by start month: 'incomplete' from
   * the month of the data's last week on (its hires are still arriving and ramping up).
   */
  timeline: { month: string; period: WeekPeriod; hires: number; first: CohortSummary; tenth: CohortSummary }[]
  current: { first: CohortSummary; tenth: CohortSummary }
  previous: { first: CohortSummary; tenth: CohortSummary } | null
  changes: {
    key: 'days_to_first_merge' | 'days_to_tenth_merge'
    figures: { baseline: CellFigure; evaluation: CellFigure }
    outcome: Outcome
    confirmed: boolean
  }[]
}

export async function getOnboarding(
  filters: Filters,
  { db = getDb(), now = new Date(), replicates }: { db?: Db; now?: Date; replicates?: number } = {},
): Promise<Onboarding> {
  const interval = wholeWeeks(filters.interval)
  const summary = (list: readonly Hire[]) => ({
    first: onboardingSummary(list, 1, now),
    tenth: onboardingSummary(list, 10, now),
  })
  const comparison = filters.comparison ? wholeWeeks(filters.comparison) : null
  const [hires, previousHires, lastWeek] = await Promise.all([
    listHires(db, { ...interval, teamIds: filters.teamIds }),
    comparison ? listHires(db, { ...comparison, teamIds: filters.teamIds }) : Promise.resolve([]),
    getLastWeek(db),
  ])
  const lastMonth = lastWeek?.slice(0, 7) ?? null
  // a hire in both windows (they overlap) is one of the hires shown
  const shownIds = new Set(hires.map((hire) => hire.personId))
  const cohortsOf = (list: readonly Hire[], period: WeekPeriod) =>
    hireCohorts(list).map((cohort) => ({
      month: cohort.month,
      period: lastMonth !== null && cohort.month >= lastMonth ? ('incomplete' as const) : period,
      hires: cohort.hires.length,
      ...summary(cohort.hires),
    }))
  const changes = comparison
    ? withClaims(
        (['days_to_first_merge', 'days_to_tenth_merge'] as const).map((key) => {
          const metric = comparableMetric(key) as HireMetric
          const observe = (list: readonly Hire[]) => list.map((hire) => daysToNthMerge(hire, metric.nth, now))
          return {
            key,
            ...compareWindows(
              metric,
              { baseline: observe(previousHires), evaluation: observe(hires) },
              seedFrom(`onboarding:${key}:${JSON.stringify(filters)}`),
              replicates,
            ),
          }
        }),
      )
    : []
  return {
    interval,
    comparison,
    asOf: now,
    cohorts: hireCohorts(hires).map((cohort) => ({
      month: cohort.month,
      hires: cohort.hires.length,
      ...summary(cohort.hires),
    })),
    timeline: [
      ...cohortsOf(
        previousHires.filter((hire) => !shownIds.has(hire.personId)),
        'comparison',
      ),
      ...cohortsOf(hires, 'shown'),
    ].sort((a, b) =>
      comparison && comparison.from > interval.from
        ? Number(a.period === 'comparison') - Number(b.period === 'comparison')
        : 0,
    ),
    current: summary(hires),
    previous: comparison ? summary(previousHires) : null,
    changes,
  }
}

/** The question the Onboarding page asks for `filters`; its unfiltered view is a standing answer (lib/data/standing.ts). */
export function onboardingQuestion(filters: Filters, { db }: { db?: Db } = {}): Question<Onboarding> {
  return { name: 'onboarding', inputs: filters, args: filters, compute: () => getOnboarding(filters, { db }) }
}

/**
 * getOnboarding, cached until the data changes (lib/data/read-cache.ts): what the page calls. The page's unfiltered
 * view (`standing`) is a standing answer: after a change it shows its last figures while the new ones compute.
 */
export function readOnboarding(filters: Filters, { standing = false }: { standing?: boolean } = {}) {
  return pageRead(onboardingQuestion(filters), { standing })
}
