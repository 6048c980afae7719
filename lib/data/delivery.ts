// The Delivery page's read model: the DORA keys for the selected teams and weeks, week by week and per team
// with their DORA performance levels, and against the comparison weeks with an interval and a verdict.
// Everything reads the team × week rollups. Server-only.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { listServiceDeployments } from '@/db/queries/dora'
import { listMilestones } from '@/db/queries/milestones'
import { listTeams, type TeamRow } from '@/db/queries/organisation'
import { listTeamWeeks } from '@/db/queries/team-weeks'
import { weeklyPoints, type WeeklyPoint } from '@/lib/charts/weekly-series'
import { parseIsoDate, type Interval } from '@/lib/dates'
import { teamWeekMetric, type MetricKey } from '@/lib/metrics/comparable'
import { compareWindows, withClaims, type CellFigure, type Outcome } from '@/lib/metrics/compare'
import { summarizeTeamWeeks, weekClusters, type Distribution, type TeamWeekAggregate } from '@/lib/metrics/team-weeks'
import { rateTiers, type TierInputs, type TierRating } from '@/lib/metrics/tiers'
import { weeksIn, wholeWeeks } from '@/lib/metrics/windows'
import { seedFrom } from '@/lib/stats/random'
import type { Filters } from './filters'
import { getChartSpan, spanRows } from './chart-span'
import { milestoneLabel, visibleMilestones } from './milestones'
import { pageRead, type Question } from './read-cache'

export interface DeliveryFigures {
  weeks: number
  deployments: number
  deploymentsPerWeek: number
  /** Per deployed service, the DORA unit (and the input to the performance levels). */
  deploymentsPerServiceWeek: number | null
  leadTimeHours: Distribution
  changeFailures: number
  changeFailRate: number | null
  recoveryMinutes: Distribution
  reworkRate: number | null
  restoreMinutes: Distribution
}

export interface KeyChange {
  key: MetricKey
  figures: { baseline: CellFigure; evaluation: CellFigure }
  outcome: Outcome
  /** Its verdict holds among all the page states (5% family-wise, lib/metrics/compare.ts withClaims). */
  confirmed: boolean
}

export interface Delivery {
  interval: Interval
  comparison: Interval | null
  teams: TeamRow[]
  selected: Filters['teamIds']
  current: DeliveryFigures
  previous: DeliveryFigures | null
  /** The selected weeks against the comparison weeks, resampled by calendar week. */
  changes: KeyChange[]
  weekly: (DeliveryFigures & { weekStart: string })[]
  /** Every week from the first compared with to the last shown, for the charts: deployments, leadTime (median hours), changeFailRate, recovery (median minutes). */
  trend: WeeklyPoint[]
  byTeam: {
    team: TeamRow
    figures: DeliveryFigures
    previous: DeliveryFigures | null
    tiers: Record<2023 | 2024, TierRating>
  }[]
  /** Deployment frequency per service (DORA's unit), most frequent first. */
  byService: { serviceId: number; name: string; teamId: number | null; deployments: number; perWeek: number }[]
  tiers: Record<2023 | 2024, TierRating>
  /** The milestones for the teams shown (lib/data/milestones.ts), up to the end of the weeks shown; `label` as the legend names it. */
  milestones: { name: string; label: string; kind: string; occurredOn: string }[]
}

const COMPARED: readonly MetricKey[] = [
  'deployment_frequency',
  'lead_time',
  'change_fail_rate',
  'recovery_time',
  'rework_rate',
  'time_to_restore',
]
/** The durations the Delivery page shows and compares. */
const DELIVERY_VALUES = ['leadTimeHours', 'recoveryMinutes', 'restoreMinutes'] as const

function deliveryFigures(aggregate: TeamWeekAggregate | undefined, weeks: number): DeliveryFigures {
  const empty: Distribution = { count: 0, median: null, p85: null, mean: null }
  const deployments = aggregate?.deployments ?? 0
  return {
    weeks,
    deployments,
    deploymentsPerWeek: weeks > 0 ? deployments / weeks : 0,
    deploymentsPerServiceWeek: aggregate && aggregate.serviceWeeks > 0 ? deployments / aggregate.serviceWeeks : null,
    leadTimeHours: aggregate?.leadTimeHours ?? empty,
    changeFailures: aggregate?.changeFailures ?? 0,
    changeFailRate: deployments > 0 ? (aggregate?.changeFailures ?? 0) / deployments : null,
    recoveryMinutes: aggregate?.recoveryMinutes ?? empty,
    reworkRate: deployments > 0 ? (aggregate?.reworkDeployments ?? 0) / deployments : null,
    restoreMinutes: aggregate?.restoreMinutes ?? empty,
  }
}

/** What the DORA performance tables rate. */
function inputsOf(figures: DeliveryFigures): TierInputs {
  return {
    deploymentsPerWeekPerService: figures.deploymentsPerServiceWeek,
    leadTimeMedianHours: figures.leadTimeHours.median,
    changeFailRate: figures.changeFailRate,
    recoveryMedianHours: figures.recoveryMinutes.median === null ? null : figures.recoveryMinutes.median / 60,
  }
}

/** What the DORA performance tables rate, from a rollup aggregate (the rates do not depend on the weeks). */
export function tierInputs(aggregate: TeamWeekAggregate | undefined): TierInputs {
  return inputsOf(deliveryFigures(aggregate, 1))
}

function tiersOf(figures: DeliveryFigures): Record<2023 | 2024, TierRating> {
  return { 2023: rateTiers(inputsOf(figures), 2023), 2024: rateTiers(inputsOf(figures), 2024) }
}

export async function getDelivery(
  filters: Filters,
  { db = getDb(), replicates }: { db?: Db; replicates?: number } = {},
): Promise<Delivery> {
  const interval = wholeWeeks(filters.interval)
  const comparison = filters.comparison ? wholeWeeks(filters.comparison) : null
  const scope = { teamIds: filters.teamIds }
  const span = await getChartSpan(db, interval, comparison)
  const [teams, milestones, currentRows, previousRows, services, betweenRows] = await Promise.all([
    listTeams(db),
    listMilestones(db),
    listTeamWeeks(db, { ...interval, ...scope }, { values: DELIVERY_VALUES }),
    comparison ? listTeamWeeks(db, { ...comparison, ...scope }, { values: DELIVERY_VALUES }) : Promise.resolve([]),
    listServiceDeployments(db, { ...interval, ...scope }),
    span.between ? listTeamWeeks(db, { ...span.between, ...scope }, { values: DELIVERY_VALUES }) : Promise.resolve([]),
  ])
  const [current] = summarizeTeamWeeks(currentRows, 'all')
  const [previous] = summarizeTeamWeeks(previousRows, 'all')
  const weekly = summarizeTeamWeeks(currentRows, 'week')
  const byTeam = summarizeTeamWeeks(currentRows, 'team')
  const previousOf = new Map(summarizeTeamWeeks(previousRows, 'team').map((row) => [row.key, row]))
  const trendWeeks = new Map(
    summarizeTeamWeeks(spanRows(interval, previousRows, betweenRows, currentRows), 'week').map((week) => [
      week.key,
      deliveryFigures(week, 1),
    ]),
  )
  const cells = { baseline: weekClusters(previousRows), evaluation: weekClusters(currentRows) }
  const currentFigures = deliveryFigures(current, weeksIn(interval))
  const teamsById = new Map(teams.map((team) => [String(team.id), team]))
  const teamNames = new Map(teams.map((team) => [team.id, team.name]))

  const changes: KeyChange[] = comparison
    ? withClaims(
        COMPARED.map((key) => {
          const compared = compareWindows(
            teamWeekMetric(key),
            cells,
            seedFrom(`delivery:${key}:${JSON.stringify(filters)}`),
            replicates,
          )
          return { key, ...compared }
        }),
      )
    : []

  return {
    interval,
    comparison,
    teams,
    selected: filters.teamIds,
    current: currentFigures,
    previous: comparison ? deliveryFigures(previous, weeksIn(comparison)) : null,
    changes,
    weekly: weekly.map((week) => ({ weekStart: week.key, ...deliveryFigures(week, 1) })),
    trend: weeklyPoints(
      span.weeks,
      ['deployments', 'leadTime', 'changeFailRate', 'recovery'],
      (week): Record<string, number | null> => {
        const figures = trendWeeks.get(week)
        // a week without a row: no deployment and no team-week at all, so zero deployments and no medians
        return figures
          ? {
              deployments: figures.deployments,
              leadTime: figures.leadTimeHours.median,
              changeFailRate: figures.changeFailRate,
              recovery: figures.recoveryMinutes.median,
            }
          : { deployments: 0 }
      },
    ),
    byTeam: byTeam
      .filter((row) => teamsById.has(row.key))
      .map((row) => {
        const figures = deliveryFigures(row, weeksIn(interval))
        return {
          team: teamsById.get(row.key) as TeamRow,
          figures,
          previous: comparison ? deliveryFigures(previousOf.get(row.key), weeksIn(comparison)) : null,
          tiers: tiersOf(figures),
        }
      }),
    byService: services.map((service) => ({ ...service, perWeek: service.deployments / weeksIn(interval) })),
    tiers: tiersOf(currentFigures),
    milestones: visibleMilestones(milestones, filters.teamIds)
      .filter((milestone) => parseIsoDate(milestone.occurredOn) < interval.to)
      .map((milestone) => ({
        name: milestone.name,
        label: milestoneLabel(milestone, teamNames),
        kind: milestone.kind,
        occurredOn: milestone.occurredOn,
      })),
  }
}

/** The question the Delivery page asks for `filters`; its unfiltered view is a standing answer (lib/data/standing.ts). */
export function deliveryQuestion(filters: Filters, { db }: { db?: Db } = {}): Question<Delivery> {
  return { name: 'delivery', inputs: filters, args: filters, compute: () => getDelivery(filters, { db }) }
}

/**
 * getDelivery, cached until the data changes (lib/data/read-cache.ts): what the page calls. The page's unfiltered
 * view (`standing`) is a standing answer: after a change it shows its last figures while the new ones compute.
 */
export function readDelivery(filters: Filters, { standing = false }: { standing?: boolean } = {}) {
  return pageRead(deliveryQuestion(filters), { standing })
}
