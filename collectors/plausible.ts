// What every way in (CSV imports, the portal-events ingest, the collectors) checks before a value reaches the
// database, so a bad byte or an impossible time is refused where it arrives, named, instead of failing deep
// in a write or poisoning the weekly figures:
// - text holds nothing Postgres cannot store: U+0000 (in text or jsonb the write fails; before this check an
//   import's failure message carried the byte into sync_runs and failed too, leaving the run "running"), or
//   half of a surrogate pair (not a character; jsonb refuses it). A file a person edits (CSV) is held to
//   more: no control character at all (the other C0 controls, DEL, the C1 controls), being invisible on every
//   page and in every export. Tab, line feed and carriage return are ordinary text. What machines send
//   (upstream APIs, the events forwarder) is refused only for what cannot be stored: they cannot be edited.
// - times lie between the earliest date (UPSHOT_EARLIEST_DATE, default 2000-01-01: a year 0001 or a
//   1970-01-01 is a typo or an empty value read as zero) and, for something that happened, the end of
//   tomorrow (UTC: a day of slack for time zones and clocks that run ahead). A planned day — a hire's first
//   day, a last day, a team move, a survey's closing day, a launch — may be up to a year ahead. Beyond that
//   it is a typo such as 9999, which would also make every refresh of the weekly figures span thousands of
//   years.
import { addUtcDays, parseIsoDate, toIsoDate } from '@/lib/dates'
import { env } from '@/lib/env'

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.source
// C0 controls but tab (09), line feed (0A) and carriage return (0D); DEL (7F); the C1 controls (80–9F).
// oxlint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.source
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE}`)
const UNPRINTABLE = new RegExp(`${CONTROL}|${LONE_SURROGATE}`)
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g')

const codePoint = (character: string) =>
  `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`

/** Which characters text may not hold: `printable` (a file a person edits) or `storable` (what a machine sends). */
export type TextRule = 'printable' | 'storable'

/** What is wrong with `text` ("contains a control character (U+0000)"), or null. */
export function textProblem(text: string, rule: TextRule = 'printable'): string | null {
  const match = (rule === 'printable' ? UNPRINTABLE : UNSTORABLE).exec(text)
  if (!match) return null
  const character = match[0]
  const code = codePoint(character)
  return /[\uD800-\uDFFF]/.test(character)
    ? `contains half of a character (${code}, a lone surrogate)`
    : `contains a control character (${code})`
}

const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g')

/** `text` with every character Postgres cannot store replaced by U+FFFD (the replacement character). */
export function replaceUnstorable(text: string): string {
  return text.replace(UNSTORABLE_ALL, '\uFFFD')
}

/** `text` with every character textProblem refuses written out as \uXXXX, for echoing input in a message. */
export function printable(text: string): string {
  return text.replace(
    UNPRINTABLE_ALL,
    (character) => `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  )
}

/** Is a time something that happened (no later than tomorrow), or a day that may be planned (up to a year ahead)? */
export type TimeKind = 'event' | 'planned'

export interface TimeBounds {
  /** The earliest day accepted, YYYY-MM-DD. */
  earliestDay: string
  earliest: Date
  /** The first instant refused for an event: the day after tomorrow, 00:00 UTC. */
  eventsBefore: Date
  /** The first day refused for a planned day: today plus 366 days, 00:00 UTC. */
  plannedBefore: Date
}

/** The bounds for `today` (YYYY-MM-DD, UTC) and the earliest accepted day (UPSHOT_EARLIEST_DATE). */
export function timeBounds({ today, earliestDay }: { today: string; earliestDay: string }): TimeBounds {
  const midnight = parseIsoDate(today)
  return {
    earliestDay,
    earliest: parseIsoDate(earliestDay),
    eventsBefore: addUtcDays(midnight, 2),
    plannedBefore: addUtcDays(midnight, 366),
  }
}

/** What is wrong with `at` as a time of this kind ("is after tomorrow, …"), or null when it is plausible. */
export function timeProblem(at: Date, kind: TimeKind, bounds: TimeBounds): string | null {
  if (Number.isNaN(at.getTime())) return 'is not a time'
  if (at < bounds.earliest) return `is before ${bounds.earliestDay}, the earliest date accepted (UPSHOT_EARLIEST_DATE)`
  if (kind === 'event' && at >= bounds.eventsBefore)
    return `is after tomorrow (${toIsoDate(addUtcDays(bounds.eventsBefore, -1))}, UTC): it cannot have happened yet`
  if (kind === 'planned' && at >= bounds.plannedBefore)
    return `is more than a year ahead (after ${toIsoDate(addUtcDays(bounds.plannedBefore, -1))})`
  return null
}

/**
 * The first problems in a row or event a machine sent, about to be stored: strings (and object keys, at any
 * depth) that cannot be stored, and Dates outside the bounds of an event (whatever an upstream system
 * reports has happened). Each problem names its field by path, e.g. "attributes.note".
 */
export function rowProblems(
  value: unknown,
  bounds: TimeBounds,
  { max = 3 }: { max?: number } = {},
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = []
  const visit = (item: unknown, path: string) => {
    if (problems.length >= max) return
    if (typeof item === 'string') {
      const problem = textProblem(item, 'storable')
      if (problem) problems.push({ field: path, message: problem })
    } else if (item instanceof Date) {
      const problem = timeProblem(item, 'event', bounds)
      if (problem) problems.push({ field: path, message: `${item.toISOString()} ${problem}` })
    } else if (Array.isArray(item)) {
      item.forEach((element, index) => visit(element, `${path}[${index}]`))
    } else if (item && typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        const keyProblem = textProblem(key, 'storable')
        if (keyProblem)
          problems.push({ field: `${path}${path ? '.' : ''}${printable(key)}`, message: `the name ${keyProblem}` })
        else visit(element, `${path}${path ? '.' : ''}${key}`)
      }
    }
  }
  visit(value, '')
  return problems.slice(0, max)
}

/**
 * `rows` from an upstream without those rowProblems finds fault with: each of those is recorded as a failed
 * item named by `label` (the run goes on and ends partial, saying what was refused and why), and the rest
 * are written. Bounds are as of now.
 */
export function keepPlausible<T>(
  context: { fail(item: string, error: unknown): void },
  rows: T[],
  label: (row: T) => string,
  bounds: TimeBounds = boundsNow(),
): T[] {
  return rows.filter((row) => {
    const problems = rowProblems(row, bounds, { max: 1 })
    for (const problem of problems)
      context.fail(label(row), new Error(`${problem.field}: ${problem.message}; not stored`))
    return problems.length === 0
  })
}

/**
 * `row`, when rowProblems finds nothing wrong with it as of now; else throws naming the first field at fault.
 * For a webhook delivery: the delivery fails and is retried or shown, instead of a part of it being stored.
 */
export function requirePlausible<T>(row: T): T {
  const [problem] = rowProblems(row, boundsNow(), { max: 1 })
  if (problem) throw new Error(`${problem.field}: ${problem.message}; not stored`)
  return row
}

/** A parsed JSON value with every character Postgres cannot store (NUL, lone surrogates), in keys too, replaced by U+FFFD. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return replaceUnstorable(value)
  if (Array.isArray(value)) return value.map(storableJson)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, element]) => [replaceUnstorable(key), storableJson(element)]),
    )
  return value
}

/** The bounds as of now, with the configured earliest day. */
export const boundsNow = (): TimeBounds =>
  timeBounds({ today: toIsoDate(new Date()), earliestDay: env().UPSHOT_EARLIEST_DATE })
