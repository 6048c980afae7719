// The weeks a time chart draws: the weeks compared with, the weeks between the two windows, the weeks shown,
// and the week in progress at the data's end, so every chart shows before beside after. Pure: the read
// models call it with their filters and the rollups' last week, the chart components draw what it returns.
import { addUtcDays, parseIsoDate, toIsoDate, type Interval } from '@/lib/dates'

/**
 * comparison: a week compared with (before); shown: a week shown; between: neither (the rollout, say);
 * incomplete: the week in progress at the data's end, or later (its figures are not final: a pull request
 * merged that week may not be deployed yet), drawn apart and never as a complete week.
 */
export type WeekPeriod = 'comparison' | 'between' | 'shown' | 'incomplete'

export interface ChartWeek {
  /** The Monday (YYYY-MM-DD). */
  week: string
  period: WeekPeriod
  /** A gap marker standing for this many weeks between the windows, left out (too many to draw). */
  omitted?: number
}

export interface ChartSpan {
  weeks: ChartWeek[]
  /** The weeks between the windows that are drawn (a read model fetches them too); null when none are. */
  between: Interval | null
}

/** More weeks between the windows than this, and they are left out behind a gap marker. */
export const MAX_BETWEEN_WEEKS = 39

const WEEK_MS = 7 * 86_400_000
const mondays = (interval: Interval) => {
  const out: string[] = []
  for (let at = interval.from.getTime(); at < interval.to.getTime(); at += WEEK_MS) out.push(toIsoDate(new Date(at)))
  return out
}
const inside = (week: string, interval: Interval | null) =>
  interval !== null && week >= toIsoDate(interval.from) && week < toIsoDate(interval.to)

/**
 * The weeks from the earlier window's first to the later window's last (whole weeks, as the read models snap
 * them), each with its period. `lastWeek` is the Monday of the week holding the latest fact (factWeeks in
 * db/queries/rollups.ts): that week and any after it are 'incomplete'. More than `maxBetween` weeks between
 * the windows become one gap marker.
 */
export function chartWeeks({
  interval,
  comparison,
  lastWeek,
  maxBetween = MAX_BETWEEN_WEEKS,
}: {
  interval: Interval
  comparison: Interval | null
  lastWeek: string | null
  maxBetween?: number
}): ChartSpan {
  const from = comparison && comparison.from < interval.from ? comparison.from : interval.from
  const to = comparison && comparison.to > interval.to ? comparison.to : interval.to
  const all = mondays({ from, to }).map((week): ChartWeek => {
    const period: WeekPeriod = inside(week, interval) ? 'shown' : inside(week, comparison) ? 'comparison' : 'between'
    return { week, period: lastWeek !== null && week >= lastWeek ? 'incomplete' : period }
  })
  const betweenWeeks = all.filter((week) => week.period === 'between')
  if (betweenWeeks.length === 0) return { weeks: all, between: null }
  const first = betweenWeeks[0] as ChartWeek
  const last = betweenWeeks.at(-1) as ChartWeek
  const between = { from: parseIsoDate(first.week), to: addUtcDays(parseIsoDate(last.week), 7) }
  if (betweenWeeks.length <= maxBetween) return { weeks: all, between }
  const weeks: ChartWeek[] = []
  for (const week of all) {
    if (week.period !== 'between') weeks.push(week)
    else if (week === first) weeks.push({ week: week.week, period: 'between', omitted: betweenWeeks.length })
  }
  return { weeks, between: null }
}

/** What a weekly chart draws per week: its period and a value per series (null: no data that week). */
export interface WeeklyPoint extends ChartWeek {
  values: Record<string, number | null>
}

/** Each chart week with its values (`valuesOf` answers undefined for a week without data: every series null); a gap marker has none. */
export function weeklyPoints(
  weeks: readonly ChartWeek[],
  series: readonly string[],
  valuesOf: (week: string) => Record<string, number | null> | undefined,
): WeeklyPoint[] {
  return weeks.map((week) => {
    const found = week.omitted ? undefined : valuesOf(week.week)
    return { ...week, values: Object.fromEntries(series.map((key) => [key, found?.[key] ?? null])) }
  })
}

/** A dated event (a milestone, an initiative's launch) to draw on the time axis. */
export interface WeekMarker {
  week: string
  label: string
}

/** The events that fall in a week drawn, by their week, in date order (the chart numbers them so). */
export function weekMarkers(
  weeks: readonly ChartWeek[],
  events: readonly { on: string; label: string }[],
): WeekMarker[] {
  const drawn = new Set(weeks.filter((week) => !week.omitted).map((week) => week.week))
  return events
    .map((event) => ({ week: mondayOf(event.on), label: event.label, on: event.on }))
    .filter((event) => drawn.has(event.week))
    .sort((a, b) => a.on.localeCompare(b.on) || a.label.localeCompare(b.label))
    .map(({ week, label }) => ({ week, label }))
}

function mondayOf(day: string): string {
  const date = parseIsoDate(day)
  return toIsoDate(addUtcDays(date, -((date.getUTCDay() + 6) % 7)))
}
