// The Flow page's read model: pull-request cycle time in its four phases (coding, pickup, review, deploy),
// per team and week, throughput per engineer-week, and the change against the comparison weeks. Server-only.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { listTeams, type TeamRow } from '@/db/queries/organisation'
import { listTeamWeeks } from '@/db/queries/team-weeks'
import { weeklyPoints, type WeekMarker, type WeeklyPoint } from '@/lib/charts/weekly-series'
import type { Interval } from '@/lib/dates'
import { teamWeekMetric, type MetricKey } from '@/lib/metrics/comparable'
import { compareWindows, withClaims } from '@/lib/metrics/compare'
import { throughputPerEngineerWeek } from '@/lib/metrics/flow'
import { summarizeTeamWeeks, weekClusters, type Distribution, type TeamWeekAggregate } from '@/lib/metrics/team-weeks'
import { wholeWeeks } from '@/lib/metrics/windows'
import { seedFrom } from '@/lib/stats/random'
import type { KeyChange } from './delivery'
import { getChartMarkers, getChartSpan, spanRows } from './chart-span'
import type { Filters } from './filters'
import { pageRead, type Question } from './read-cache'

export interface FlowFigures {
  merged: number
  engineerWeeks: number
  throughputPerEngineerWeek: number | null
  coding: Distribution
  pickup: Distribution
  review: Distribution
  deploy: Distribution
  cycle: Distribution
}

export interface Flow {
  interval: Interval
  comparison: Interval | null
  teams: TeamRow[]
  current: FlowFigures
  previous: FlowFigures | null
  changes: KeyChange[]
  byTeam: { team: TeamRow; current: FlowFigures; previous: FlowFigures | null }[]
  weekly: (FlowFigures & { weekStart: string })[]
  /** Every week from the first compared with to the last shown, for the charts: median cycle and review hours. */
  trend: WeeklyPoint[]
  /** The milestones in the weeks drawn. */
  markers: WeekMarker[]
}

const COMPARED: readonly MetricKey[] = ['cycle_time', 'review_time', 'throughput']
/** The phases the Flow page shows (cycle and review time are also what it compares). */
const FLOW_VALUES = ['codingHours', 'pickupHours', 'reviewHours', 'deployHours', 'cycleHours'] as const

function flowFigures(aggregate: TeamWeekAggregate | undefined): FlowFigures {
  const empty: Distribution = { count: 0, median: null, p85: null, mean: null }
  return {
    merged: aggregate?.mergedPullRequests ?? 0,
    engineerWeeks: aggregate?.engineerWeeks ?? 0,
    throughputPerEngineerWeek: throughputPerEngineerWeek(
      aggregate?.mergedPullRequests ?? 0,
      aggregate?.engineerWeeks ?? 0,
    ),
    coding: aggregate?.codingHours ?? empty,
    pickup: aggregate?.pickupHours ?? empty,
    review: aggregate?.reviewHours ?? empty,
    deploy: aggregate?.deployHours ?? empty,
    cycle: aggregate?.cycleHours ?? empty,
  }
}

export async function getFlow(
  filters: Filters,
  { db = getDb(), replicates }: { db?: Db; replicates?: number } = {},
): Promise<Flow> {
  const interval = wholeWeeks(filters.interval)
  const comparison = filters.comparison ? wholeWeeks(filters.comparison) : null
  const scope = { teamIds: filters.teamIds }
  const span = await getChartSpan(db, interval, comparison)
  const [teams, currentRows, previousRows, betweenRows, markers] = await Promise.all([
    listTeams(db),
    listTeamWeeks(db, { ...interval, ...scope }, { values: FLOW_VALUES }),
    comparison ? listTeamWeeks(db, { ...comparison, ...scope }, { values: FLOW_VALUES }) : Promise.resolve([]),
    span.between
      ? listTeamWeeks(db, { ...span.between, ...scope }, { values: ['cycleHours', 'reviewHours'] })
      : Promise.resolve([]),
    getChartMarkers(db, span, filters.teamIds),
  ])
  const [current] = summarizeTeamWeeks(currentRows, 'all')
  const [previous] = summarizeTeamWeeks(previousRows, 'all')
  const weekly = summarizeTeamWeeks(currentRows, 'week')
  const byTeam = summarizeTeamWeeks(currentRows, 'team')
  const previousByTeam = summarizeTeamWeeks(previousRows, 'team')
  const cells = { baseline: weekClusters(previousRows), evaluation: weekClusters(currentRows) }
  const teamsById = new Map(teams.map((team) => [String(team.id), team]))
  const previousOf = new Map(previousByTeam.map((row) => [row.key, row]))
  const trendWeeks = new Map(
    summarizeTeamWeeks(spanRows(interval, previousRows, betweenRows, currentRows), 'week').map((week) => [
      week.key,
      week,
    ]),
  )
  return {
    interval,
    comparison,
    teams,
    current: flowFigures(current),
    previous: comparison ? flowFigures(previous) : null,
    changes: comparison
      ? withClaims(
          COMPARED.map((key) => ({
            key,
            ...compareWindows(
              teamWeekMetric(key),
              cells,
              seedFrom(`flow:${key}:${JSON.stringify(filters)}`),
              replicates,
            ),
          })),
        )
      : [],
    byTeam: byTeam
      .filter((row) => teamsById.has(row.key))
      .map((row) => ({
        team: teamsById.get(row.key) as TeamRow,
        current: flowFigures(row),
        previous: comparison ? flowFigures(previousOf.get(row.key)) : null,
      })),
    weekly: weekly.map((week) => ({ weekStart: week.key, ...flowFigures(week) })),
    trend: weeklyPoints(span.weeks, ['cycle', 'review'], (week) => {
      const found = trendWeeks.get(week)
      return found ? { cycle: found.cycleHours.median, review: found.reviewHours.median } : undefined
    }),
    markers,
  }
}

/** The question the Flow page asks for `filters`; its unfiltered view is a standing answer (lib/data/standing.ts). */
export function flowQuestion(filters: Filters, { db }: { db?: Db } = {}): Question<Flow> {
  return { name: 'flow', inputs: filters, args: filters, compute: () => getFlow(filters, { db }) }
}

/**
 * getFlow, cached until the data changes (lib/data/read-cache.ts): what the page calls. The page's unfiltered
 * view (`standing`) is a standing answer: after a change it shows its last figures while the new ones compute.
 */
export function readFlow(filters: Filters, { standing = false }: { standing?: boolean } = {}) {
  return pageRead(flowQuestion(filters), { standing })
}
