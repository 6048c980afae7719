// Calendar arithmetic in UTC. Every metric buckets by UTC day and by ISO week (starting Monday, UTC); this
// is the one place that says how, so a server's local time zone never moves a deployment into another week.
// Leaf module: imports nothing of ours.

export const DAY_MS = 86_400_000
export const HOUR_MS = 3_600_000
export const MINUTE_MS = 60_000
export const SECOND_MS = 1_000

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** 'YYYY-MM-DD' → midnight UTC of that day. Throws on anything else, naming the value. */
export function parseIsoDate(value: string): Date {
  const match = ISO_DATE.exec(value)
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null
  if (!date || toIsoDate(date) !== value)
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(value)}`)
  return date
}

/** True for a real calendar date written 'YYYY-MM-DD' (for validating input). */
export function isIsoDate(value: string): boolean {
  try {
    parseIsoDate(value)
    return true
  } catch {
    return false
  }
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const WRITTEN_DAY = /^(\d{1,2}) ([a-z]{3,9})\.? (\d{4})$/i

/**
 * A day as a person types it into a date field: as the app writes days ("6 Apr 2026"; the month's first
 * three letters or more, "Sept" and "September" too, any case) or as ISO ("2026-04-06"). Returns the ISO
 * date, or null for anything else (a real calendar day only). Numeric forms such as 04/06/2026 are refused:
 * half the world reads them as 4 June, the other half as 6 April.
 */
export function readDay(text: string): string | null {
  const value = text.trim().replace(/\s+/g, ' ')
  if (isIsoDate(value)) return value
  const match = WRITTEN_DAY.exec(value)
  if (!match) return null
  const word = match[2]!.toLowerCase()
  const month = MONTHS.findIndex((name) => name.toLowerCase().startsWith(word))
  if (month < 0) return null
  const iso = `${match[3]}-${String(month + 1).padStart(2, '0')}-${match[1]!.padStart(2, '0')}`
  return isIsoDate(iso) ? iso : null
}

/**
 * An ISO date as the date fields show it, "6 Apr 2026" (the first three letters of the month, whatever the
 * runtime's locale data: server and browser must write the same). Anything else comes back as it is, so a
 * refused form shows what was typed.
 */
export function writeDay(value: string): string {
  if (!isIsoDate(value)) return value
  const [year, month, day] = value.split('-').map(Number) as [number, number, number]
  return `${day} ${MONTHS[month - 1]!.slice(0, 3)} ${year}`
}

/** The UTC calendar day of an instant, as 'YYYY-MM-DD'. */
export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

function startOfUtcDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS)
}

/** Monday 00:00 UTC of the ISO week containing `date`. */
export function startOfUtcWeek(date: Date): Date {
  const day = startOfUtcDay(date)
  const sinceMonday = (day.getUTCDay() + 6) % 7
  return new Date(day.getTime() - sinceMonday * DAY_MS)
}

export function addUtcDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS)
}

/** Same day of month `months` later (clamped to the month's last day), time of day kept. */
export function addUtcMonths(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay))
  target.setUTCHours(date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds())
  return target
}

export function isWeekend(date: Date): boolean {
  const day = date.getUTCDay()
  return day === 0 || day === 6
}

/** A half-open interval of instants, [from, to). */
export interface Interval {
  from: Date
  to: Date
}
