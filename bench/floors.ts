// The floor of each cold page: every query its read model runs (lib/data/<page>.ts get*), in the order and
// with the concurrency the read model has (a first read, then the rest together through Promise.all), with
// the page's default filters, timed on their own with nothing computed on the rows. The read models cannot
// be imported here (they are server-only and throw outside Next), so each list below mirrors one of them;
// when a read model gains or loses a query, its list here should follow.
import type { Db } from '@/db/client'
import {
  listCatalog,
  listPortalUsers,
  listRoster,
  listScaffolderRuns,
  listTopPortalSubjects,
} from '@/db/queries/adoption'
import { listServiceDeployments } from '@/db/queries/dora'
import { getLatestActivity } from '@/db/queries/health'
import { countInvited, listAnswers, listWaves } from '@/db/queries/experience'
import { getInitiativeWithTeams, listInitiatives } from '@/db/queries/initiatives'
import { listMilestones } from '@/db/queries/milestones'
import { listHires } from '@/db/queries/onboarding'
import { listTeams } from '@/db/queries/organisation'
import { countForRoi, listAssumptionHistory, listCurrentAssumptions } from '@/db/queries/roi'
import { factWeeks } from '@/db/queries/rollups'
import { listTeamWeeks } from '@/db/queries/team-weeks'
import { chartWeeks } from '@/lib/charts/weekly-series'
import { addUtcDays, parseIsoDate, startOfUtcWeek, type Interval } from '@/lib/dates'
import { DEFAULT_WINDOW_WEEKS, launchWindows } from '@/lib/metrics/windows'

export interface FloorContext {
  now: Date
  initiativeId: number
}

type FloorAll = (db: Db, context: FloorContext) => Promise<unknown>

// the value arrays the read models ask for (lib/data/delivery.ts DELIVERY_VALUES, lib/data/flow.ts FLOW_VALUES)
const DELIVERY_VALUES = ['leadTimeHours', 'recoveryMinutes', 'restoreMinutes'] as const
const FLOW_VALUES = ['codingHours', 'pickupHours', 'reviewHours', 'deployHours', 'cycleHours'] as const
const none = Promise.resolve([])

/** The portal launch as lib/data/milestones.ts launchOf finds it: for every team, else the first. */
async function launchDay(db: Db): Promise<Date | null> {
  const launches = (await listMilestones(db)).filter((milestone) => milestone.kind === 'portal_launch')
  const launch = launches.find((milestone) => milestone.teamIds.length === 0) ?? launches[0]
  return launch ? parseIsoDate(launch.occurredOn) : null
}

/**
 * The default filters of a page without any in its URL (lib/data/filters.ts filtersFrom): the latest 26 full
 * weeks, compared with the 26 weeks before the launch when it came before them (else the 26 weeks before).
 */
function defaultWindows(now: Date, launch: Date | null): { interval: Interval; comparison: Interval } {
  const end = startOfUtcWeek(now)
  const interval = { from: addUtcDays(end, -7 * DEFAULT_WINDOW_WEEKS), to: end }
  const comparison =
    launch && startOfUtcWeek(launch) <= interval.from
      ? { from: addUtcDays(startOfUtcWeek(launch), -7 * DEFAULT_WINDOW_WEEKS), to: startOfUtcWeek(launch) }
      : { from: addUtcDays(interval.from, -7 * DEFAULT_WINDOW_WEEKS), to: interval.from }
  return { interval, comparison }
}

/** getChartSpan: the week of the latest fact, then the weeks drawn (and those between the two windows). */
async function chartSpan(db: Db, interval: Interval, comparison: Interval | null) {
  const facts = await factWeeks(db)
  return chartWeeks({ interval, comparison, lastWeek: facts?.last ?? null })
}

/** getChartMarkers' reads. */
const markers = (db: Db) => Promise.all([listMilestones(db), listTeams(db)])

/** getInitiative's reads (lib/data/initiative.ts). */
async function initiativeReads(db: Db, id: number) {
  const initiative = await getInitiativeWithTeams(db, id)
  if (!initiative) throw new Error(`no initiative ${id}`)
  const teamIds = initiative.teams.map((team) => team.teamId)
  const span = { from: parseIsoDate(initiative.baselineStart), to: parseIsoDate(initiative.evaluationEnd), teamIds }
  const [, , waves] = await Promise.all([
    listTeamWeeks(db, span),
    listHires(db, span),
    listWaves(db, span),
    listCatalog(db, { teamIds }),
  ])
  await listAnswers(db, { waveIds: waves.map((wave) => wave.id), teamIds })
  return initiative
}

/** For each cold page: the reads of its read model, given the page's default filters (resolved before timing). */
export async function floorsOf(
  db: Db,
  { now }: { now: Date },
): Promise<
  Record<'/' | '/delivery' | '/flow' | '/onboarding' | '/experience' | '/adoption' | 'initiative' | '/report', FloorAll>
> {
  const launch = await launchDay(db)
  const { interval, comparison } = defaultWindows(now, launch)
  return {
    // getOverview: milestones and teams, the chart's span, then the windows around the launch and the trend
    '/': async (db) => {
      await Promise.all([listMilestones(db), listTeams(db)])
      const windows = launch ? launchWindows(launch, now) : { before: interval, after: null }
      const span = windows.after
        ? await chartSpan(db, windows.after, windows.before)
        : await chartSpan(db, windows.before, null)
      const first = span.weeks[0]?.week
      const last = span.weeks.at(-1)?.week
      const spanned = {
        from: first ? parseIsoDate(first) : windows.before.from,
        to: addUtcDays(last ? parseIsoDate(last) : windows.before.from, 7),
      }
      const values = ['leadTimeHours', 'recoveryMinutes'] as const
      await Promise.all([
        listTeamWeeks(db, windows.before, { values }),
        windows.after ? listTeamWeeks(db, windows.after, { values }) : none,
        listTeamWeeks(db, spanned, { values: false }),
        getLatestActivity(db),
      ])
    },
    '/delivery': async (db) => {
      const span = await chartSpan(db, interval, comparison)
      await Promise.all([
        listTeams(db),
        listMilestones(db),
        listTeamWeeks(db, interval, { values: DELIVERY_VALUES }),
        listTeamWeeks(db, comparison, { values: DELIVERY_VALUES }),
        listServiceDeployments(db, interval),
        span.between ? listTeamWeeks(db, span.between, { values: DELIVERY_VALUES }) : none,
      ])
    },
    '/flow': async (db) => {
      const span = await chartSpan(db, interval, comparison)
      await Promise.all([
        listTeams(db),
        listTeamWeeks(db, interval, { values: FLOW_VALUES }),
        listTeamWeeks(db, comparison, { values: FLOW_VALUES }),
        span.between ? listTeamWeeks(db, span.between, { values: ['cycleHours', 'reviewHours'] }) : none,
        markers(db),
      ])
    },
    '/onboarding': async (db) => {
      await Promise.all([listHires(db, interval), listHires(db, comparison), factWeeks(db)])
    },
    '/experience': async (db) => {
      const span = await chartSpan(db, interval, comparison)
      const [waves, previous, , between] = await Promise.all([
        listWaves(db, interval),
        listWaves(db, comparison),
        listTeams(db),
        span.between ? listWaves(db, span.between) : Promise.resolve([]),
        markers(db),
      ])
      const waveIds = waves.map((wave) => wave.id)
      const previousIds = previous.map((wave) => wave.id)
      await Promise.all([
        listAnswers(db, { waveIds }),
        listAnswers(db, { waveIds: previousIds }),
        countInvited(db, { waveIds }),
        listAnswers(db, {
          waveIds: between.map((wave) => wave.id).filter((id) => !waveIds.includes(id) && !previousIds.includes(id)),
        }),
      ])
    },
    '/adoption': async (db) => {
      const chart = await chartSpan(db, interval, comparison)
      const chartFrom = comparison.from < interval.from ? comparison.from : interval.from
      const chartTo = comparison.to > interval.to ? comparison.to : interval.to
      const lastMonth = { from: addUtcDays(interval.to, -28), to: interval.to }
      const span = { from: lastMonth.from < interval.from ? lastMonth.from : interval.from, to: interval.to }
      await Promise.all([
        listTeams(db),
        listTeamWeeks(db, span, { values: false }),
        listRoster(db, interval),
        listRoster(db, lastMonth),
        listPortalUsers(db, span),
        listCatalog(db, {}),
        listScaffolderRuns(db, { from: chartFrom, to: chartTo }),
        listTeamWeeks(db, comparison, { values: false }),
        chart.between ? listTeamWeeks(db, chart.between, { values: false }) : none,
        listTopPortalSubjects(db, interval),
        markers(db),
      ])
    },
    initiative: (db, { initiativeId }) => initiativeReads(db, initiativeId),
    // getReport: the initiative in view, its reads, then the money, the deployments chart and the latest facts
    '/report': async (db, { initiativeId }) => {
      await listInitiatives(db)
      const initiative = await initiativeReads(db, initiativeId)
      const trendTo = startOfUtcWeek(now)
      const evaluationEnd = parseIsoDate(initiative.evaluationEnd)
      const spanned = {
        from: parseIsoDate(initiative.baselineStart),
        to: evaluationEnd < trendTo ? evaluationEnd : trendTo,
      }
      await Promise.all([
        listCurrentAssumptions(db),
        listAssumptionHistory(db),
        countForRoi(db, { asOf: now }),
        listTeamWeeks(db, spanned, { values: false }),
        getLatestActivity(db),
      ])
    },
  }
}
