// The before/after windows around a launch date. Pure.
import { addUtcDays, startOfUtcWeek, type Interval } from '@/lib/dates'

export const DEFAULT_WINDOW_WEEKS = 26

export interface LaunchWindows {
  /** The weeks just before the launch: nobody had the portal yet. */
  before: Interval
  /** The latest full weeks, once the launch is behind us; null while there is no full week after it. */
  after: Interval | null
}

/**
 * Before: the `weeks` weeks that end at the launch. After: the latest `weeks` full weeks (ending at the
 * start of the current UTC week), never reaching back before the launch. Comparing the present with the
 * time before anybody used the portal, not the rollout months in between, is what "did it pay off" asks.
 */
export function launchWindows(launchDay: Date, now: Date, weeks = DEFAULT_WINDOW_WEEKS): LaunchWindows {
  // Whole weeks: a launch on a Wednesday counts from that week's Monday.
  const launch = startOfUtcWeek(launchDay)
  const before = { from: addUtcDays(launch, -7 * weeks), to: launch }
  const end = startOfUtcWeek(now)
  const from = new Date(Math.max(addUtcDays(end, -7 * weeks).getTime(), launch.getTime()))
  const after = end.getTime() - from.getTime() >= 7 * 86_400_000 ? { from, to: end } : null
  return { before, after }
}

/**
 * The whole weeks (Monday, UTC) that cover an interval: dashboards count whole weeks, so a range picked from
 * a Wednesday starts on that week's Monday, and one ending on a Wednesday runs to the next Monday.
 */
export function wholeWeeks(interval: Interval): Interval {
  const from = startOfUtcWeek(interval.from)
  const toWeek = startOfUtcWeek(interval.to)
  const to = toWeek.getTime() === interval.to.getTime() ? toWeek : addUtcDays(toWeek, 7)
  return { from, to: to > from ? to : addUtcDays(from, 7) }
}

export function weeksIn(interval: Interval): number {
  return (interval.to.getTime() - interval.from.getTime()) / (7 * 86_400_000)
}
