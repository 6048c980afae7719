// The weeks a page's time charts draw (lib/charts/weekly-series.ts chartWeeks), with the week in progress at
// the data's end found in the database: the week of the latest fact, as the rollups' span ends. Server-only.
import 'server-only'
import type { Db } from '@/db/client'
import { listMilestones, type MilestoneWithTeams } from '@/db/queries/milestones'
import { listTeams } from '@/db/queries/organisation'
import { factWeeks } from '@/db/queries/rollups'
import { chartWeeks, weekMarkers, type ChartSpan, type WeekMarker } from '@/lib/charts/weekly-series'
import { toIsoDate, type Interval } from '@/lib/dates'
import { milestoneLabel, visibleMilestones } from './milestones'

export async function getChartSpan(db: Db, interval: Interval, comparison: Interval | null): Promise<ChartSpan> {
  const facts = await factWeeks(db)
  return chartWeeks({ interval, comparison, lastWeek: facts?.last ?? null })
}

/** The Monday of the week holding the latest fact: the week in progress at the data's end (null without facts). */
export async function getLastWeek(db: Db): Promise<string | null> {
  return (await factWeeks(db))?.last ?? null
}

/** The milestones for these teams (all, or those limited to one of them) that fall in a week drawn, as the charts number them. */
export async function getChartMarkers(db: Db, span: ChartSpan, teamIds: number[] | undefined): Promise<WeekMarker[]> {
  const [milestones, teams] = await Promise.all([listMilestones(db), listTeams(db)])
  return chartMarkers(span, milestones, new Map(teams.map((team) => [team.id, team.name])), teamIds)
}

/** getChartMarkers for a read model that has the milestones and the team names already. */
export function chartMarkers(
  span: ChartSpan,
  milestones: MilestoneWithTeams[],
  teamNames: Map<number, string>,
  teamIds: number[] | undefined,
): WeekMarker[] {
  return weekMarkers(
    span.weeks,
    visibleMilestones(milestones, teamIds).map((milestone) => ({
      on: milestone.occurredOn,
      label: milestoneLabel(milestone, teamNames),
    })),
  )
}

/**
 * Rows of the comparison, between and shown weeks as one list, each week once: a comparison week that is also
 * shown (overlapping windows) comes from the shown weeks' rows.
 */
export function spanRows<T extends { weekStart: string }>(
  interval: Interval,
  previous: readonly T[],
  between: readonly T[],
  current: readonly T[],
): T[] {
  const [from, to] = [toIsoDate(interval.from), toIsoDate(interval.to)]
  return [...previous.filter((row) => row.weekStart < from || row.weekStart >= to), ...between, ...current]
}
