// What a goal is and the statuses it can have. A status is read off the interval of the pilot teams' level
// (pilot-level.ts) at a simultaneous confidence level (goals.ts), so the two never disagree. Until the due date:
//
//   met            the whole interval is on the good side of the target (the target itself counts as reached)
//   at-risk        the whole interval is on the wrong side: the data show the target is not being reached
//   on-track       the target is inside the interval, within reach and not yet shown
//   not-yet-known  no interval: the pilot's evaluation data are below the metric's minimum sample
//
// From the day after the due date, on the data up to it:
//
//   met            the whole interval is on the good side of the target
//   missed         the whole interval is on the wrong side: the data show it was not reached by its date
//   not-shown      the target is inside the interval, or there is no interval: not shown either way by its date
import { addUtcDays, parseIsoDate } from '@/lib/dates'
import type { Better } from '@/lib/stats/estimate'
import type { MetricKey, Unit } from './comparable'

export const goalStatuses = ['met', 'on-track', 'at-risk', 'missed', 'not-yet-known', 'not-shown'] as const
export type GoalStatus = (typeof goalStatuses)[number]

export interface Goal {
  metric: MetricKey
  /** In the metric's unit (a share as 0–1). */
  target: number
  /** 'YYYY-MM-DD', the last day it may be reached on. */
  dueOn: string
}

export interface JudgedGoal extends Goal {
  label: string
  unit: Unit
  better: Better
  /**
   * The pilot teams' level (null without data), and its simultaneous interval (null below the minimum sample): of
   * the evaluation window so far, or once the due date has passed of the data up to its end (`byDueDate`).
   */
  value: number | null
  low: number | null
  high: number | null
  /** The interval's confidence level: 1 − 0.05/k for k goals. */
  level: number
  /** True once the due date has passed: the level, interval and status are of the data up to the end of that day. */
  byDueDate: boolean
  /** What the level is of, in words: "12 hires". */
  sample: string
  status: GoalStatus
  /** Why there is no interval, when there is none. */
  reason: string | null
  /** The sentence a delivery calls it out with (met, at risk, missed); null for the others. */
  callout: string | null
}

/** The day after the due date, midnight UTC: from then on the goal's date has passed. */
export const pastDue = (dueOn: string) => addUtcDays(parseIsoDate(dueOn), 1)

/** Whether the goal's date has passed at `now`: from then on it is judged on the data up to the end of that day. */
export const isPastDue = (dueOn: string, now: Date) => now >= pastDue(dueOn)

/**
 * The status of a goal from its interval (null: none) and the date; see the head of this file. Past the due date
 * the interval must be the one of the data up to the due date (goals.ts `judgeGoals` measures it so).
 */
export function goalStatus({
  better,
  target,
  interval,
  dueOn,
  now,
}: {
  better: Better
  target: number
  interval: { low: number; high: number } | null
  dueOn: string
  now: Date
}): GoalStatus {
  const past = isPastDue(dueOn, now)
  if (interval === null) return past ? 'not-shown' : 'not-yet-known'
  const met = better === 'lower' ? interval.high <= target : interval.low >= target
  if (met) return 'met'
  const short = better === 'lower' ? interval.low > target : interval.high < target
  // past the date, "missed" is a verdict like "met": only when the whole interval says so
  if (past) return short ? 'missed' : 'not-shown'
  return short ? 'at-risk' : 'on-track'
}
