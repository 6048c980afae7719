// Onboarding: days from a hire's start date to their first and to their tenth merged pull request, by
// hire-month cohort. A hire who has not got there yet is right-censored at "today", not dropped: the
// Kaplan–Meier median counts them as "not yet, after n days" (lib/stats/survival.ts). Cohorts under five
// hires are withheld: with fewer, one person's pace can be read off the figure.
import { DAY_MS, toIsoDate } from '@/lib/dates'
import { kaplanMeierQuantile, type Observation } from '@/lib/stats/survival'

const MIN_COHORT = 5

export interface Hire {
  personId: number
  /** The team the hire joined (their team on the start date). */
  teamId: number | null
  startDate: Date
  /** When each of their pull requests was merged, ascending. */
  mergedAt: readonly Date[]
}

/** Days to the n-th merged pull request (n = 1: the first), or censored at `asOf`. */
export function daysToNthMerge(hire: Hire, nth: number, asOf: Date): Observation {
  const merged = hire.mergedAt[nth - 1]
  if (merged && merged <= asOf) return { time: (merged.getTime() - hire.startDate.getTime()) / DAY_MS, event: true }
  return { time: Math.max(0, (asOf.getTime() - hire.startDate.getTime()) / DAY_MS), event: false }
}

export type CohortSummary =
  | { withheld: true; hires: number; reason: string }
  | { withheld: false; hires: number; reached: number; notYet: number; medianDays: number | null }

export function onboardingSummary(hires: readonly Hire[], nth: number, asOf: Date): CohortSummary {
  if (hires.length < MIN_COHORT) {
    return {
      withheld: true,
      hires: hires.length,
      reason: `fewer than ${MIN_COHORT} hires: withheld so no one's pace can be singled out`,
    }
  }
  const observations = hires.map((hire) => daysToNthMerge(hire, nth, asOf))
  const reached = observations.filter((observation) => observation.event).length
  return {
    withheld: false,
    hires: hires.length,
    reached,
    notYet: hires.length - reached,
    medianDays: kaplanMeierQuantile(observations, 0.5),
  }
}

/** Hires grouped by the month they started ('YYYY-MM'), in order. */
export function hireCohorts(hires: readonly Hire[]): { month: string; hires: Hire[] }[] {
  const byMonth = new Map<string, Hire[]>()
  for (const hire of hires) {
    const month = toIsoDate(hire.startDate).slice(0, 7)
    byMonth.set(month, [...(byMonth.get(month) ?? []), hire])
  }
  return [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, list]) => ({ month, hires: list }))
}
