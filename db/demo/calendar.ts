// How much work happens on a given day: weekends, the year-end break and the summer slowdown.
import { DAY_MS, HOUR_MS, isWeekend } from '@/lib/dates'
import type { Random } from './random'

/** Multiplier on activity for the day (0–1). */
export function activityFactor(day: Date, weekendFactor = 0.05): number {
  if (isWeekend(day)) return weekendFactor
  const month = day.getUTCMonth()
  const date = day.getUTCDate()
  if ((month === 11 && date >= 23) || (month === 0 && date <= 2)) return 0.15 // year-end break
  if (month === 7) return 0.75 // August
  return 1
}

/** A moment in the working day (08:00–18:00 UTC, busiest mid-day). */
export function workingMoment(random: Random, day: Date): Date {
  const hours = 8 + (random.next() + random.next()) * 5
  return new Date(day.getTime() + hours * HOUR_MS)
}

/** Every day in [from, to), at midnight UTC. */
export function* days(from: Date, to: Date): Generator<Date> {
  for (let t = from.getTime(); t < to.getTime(); t += DAY_MS) yield new Date(t)
}

/** Slow organisation-wide improvement unrelated to the portal (better laptops, CI upgrades, experience). */
export function drift(start: Date, at: Date, perYear: number): number {
  return 1 + (perYear * (at.getTime() - start.getTime())) / (365 * DAY_MS)
}
