// What every read model takes: which teams, which weeks, and which weeks to compare them with. Pages parse
// their search params into this (zod at the edge); read models snap the intervals to whole weeks.
import { z } from 'zod'
import { addUtcDays, isIsoDate, parseIsoDate, startOfUtcWeek, type Interval } from '@/lib/dates'
import { DEFAULT_WINDOW_WEEKS, launchWindows, wholeWeeks, type LaunchWindows } from '@/lib/metrics/windows'

export interface Filters {
  /** Only these teams; every team when absent. */
  teamIds?: number[]
  interval: Interval
  /** The weeks to compare with (before); none when absent. */
  comparison?: Interval
}

const isoDate = z.string().refine(isIsoDate, 'must be a date as YYYY-MM-DD')

/** Search params as a page receives them: ?teams=1,2&from=2026-01-05&to=2026-06-29&compareFrom=…&compareTo=…, or ?group=Payments instead of teams. */
export const filterParamsSchema = z
  .object({
    teams: z
      .string()
      .regex(/^\d{1,9}(,\d{1,9}){0,199}$/, 'must be team ids separated by commas')
      .optional(),
    /** Every team of a group (a department or tribe), or `pilot` / `control`: an initiative's teams (filter-keys.ts); resolved to team ids by the page. */
    group: z.string().min(1).max(100).optional(),
    /** The initiative whose pilot or control teams `group=pilot|control` means; the latest launched one when absent. */
    initiative: z
      .string()
      .regex(/^\d{1,9}$/, 'must be an initiative id')
      .optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    compareFrom: isoDate.optional(),
    compareTo: isoDate.optional(),
  })
  .refine((params) => !(params.teams && params.group), {
    message: 'choose teams or a group, not both',
    path: ['group'],
  })
  .refine((params) => !params.from || !params.to || params.from < params.to, {
    message: '`from` must be before `to`',
    path: ['to'],
  })
  .refine((params) => !params.compareFrom || !params.compareTo || params.compareFrom < params.compareTo, {
    message: '`compareFrom` must be before `compareTo`',
    path: ['compareTo'],
  })
  .refine((params) => !params.compareFrom === !params.compareTo, {
    message: 'give both `compareFrom` and `compareTo`, or neither',
    path: ['compareTo'],
  })

export type FilterParams = z.infer<typeof filterParamsSchema>

/**
 * The initiative a page means when it names none: the latest launched (by launch day, then id), else the
 * latest planned. The one-pager reports on it; `group=pilot|control` takes its teams. `initiatives` oldest
 * first, as listInitiatives returns them.
 */
export function initiativeInView<T extends { launchDate: string }>(
  initiatives: readonly T[],
  now: Date,
): T | undefined {
  const launched = initiatives.filter((initiative) => new Date(`${initiative.launchDate}T00:00:00Z`) <= now)
  return launched.at(-1) ?? initiatives.at(-1)
}

/**
 * Filters from search params. Defaults: the latest 26 full weeks, compared with the 26 weeks before the
 * portal launch when there is one (else the 26 weeks before).
 */
export function filtersFrom(params: FilterParams, { now, launch }: { now: Date; launch: Date | null }): Filters {
  const end = startOfUtcWeek(now)
  const interval = wholeWeeks({
    from: params.from ? parseIsoDate(params.from) : addUtcDays(end, -7 * DEFAULT_WINDOW_WEEKS),
    to: params.to ? parseIsoDate(params.to) : end,
  })
  let comparison: Interval
  if (params.compareFrom && params.compareTo)
    comparison = wholeWeeks({ from: parseIsoDate(params.compareFrom), to: parseIsoDate(params.compareTo) })
  else if (launch && startOfUtcWeek(launch) <= interval.from)
    comparison = { from: addUtcDays(startOfUtcWeek(launch), -7 * DEFAULT_WINDOW_WEEKS), to: startOfUtcWeek(launch) }
  else
    comparison = {
      from: addUtcDays(interval.from, -(interval.to.getTime() - interval.from.getTime()) / 86_400_000),
      to: interval.from,
    }
  return { teamIds: params.teams?.split(',').map(Number), interval, comparison }
}

/**
 * The weeks a page that compares around the launch (the Overview) shows: the weeks chosen, else the latest
 * full weeks since the launch (lib/metrics/windows.ts); compared with the weeks chosen, else the weeks just
 * before the launch. `filters` are `filtersFrom(params, …)`: the chosen weeks snapped to whole weeks.
 */
export function aroundLaunch(
  params: FilterParams,
  filters: Filters,
  { now, launch }: { now: Date; launch: Date },
): LaunchWindows {
  const defaults = launchWindows(launch, now)
  return {
    before: params.compareFrom && params.compareTo && filters.comparison ? filters.comparison : defaults.before,
    after: params.from || params.to ? filters.interval : defaults.after,
  }
}
