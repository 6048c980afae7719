// The Adoption page's read model: the share of engineers who use the portal, week by week and over the last
// four weeks, catalog coverage, scaffolder runs and templates, new services template vs by hand, and the
// funnel from engineer to template run to service in production, by team. Server-only.
//
// Adoption is active engineers ÷ engineers on the roster, at most 100% by construction (lib/metrics/adoption.ts
// says why and how); people who used the portal without being on the chosen teams' roster then are counted
// apart as other portal users.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import {
  listCatalog,
  listPortalUsers,
  listRoster,
  listScaffolderRuns,
  listTopPortalSubjects,
  type TopPortalSubject,
} from '@/db/queries/adoption'
import { listTeams, type TeamRow } from '@/db/queries/organisation'
import { listTeamWeeks } from '@/db/queries/team-weeks'
import { weeklyPoints, type WeekMarker, type WeeklyPoint } from '@/lib/charts/weekly-series'
import { addUtcDays, toIsoDate, type Interval } from '@/lib/dates'
import {
  adoptionOver,
  catalogCoverage,
  scaffolderSummary,
  serviceCreation,
  share,
  type AdoptionFigure,
} from '@/lib/metrics/adoption'
import { summarizeTeamWeeks } from '@/lib/metrics/team-weeks'
import { wholeWeeks } from '@/lib/metrics/windows'
import { getChartMarkers, getChartSpan, spanRows } from './chart-span'
import type { Filters } from './filters'
import { pageRead, type Question } from './read-cache'

export interface Adoption {
  interval: Interval
  comparison: Interval | null
  teams: TeamRow[]
  /** Per week: active engineers ÷ the engineers on the roster on its Monday (summed over the teams). */
  weekly: { weekStart: string; activeEngineers: number; engineers: number; activeShare: number | null }[]
  /** Over the last four weeks of the interval: distinct people. */
  monthly: AdoptionFigure
  catalog: ReturnType<typeof catalogCoverage>
  scaffolder: ReturnType<typeof scaffolderSummary>
  newServices: ReturnType<typeof serviceCreation>
  /** Per team over the interval: engineers and active engineers are distinct people; other users, portal users of the team not on its roster then. */
  funnel: (AdoptionFigure & {
    team: TeamRow
    templateUsers: number
    servicesFromTemplates: number
    servicesInProduction: number
  })[]
  /**
   * Every week from the first compared with to the last shown, for the charts: activeShare; templateRuns
   * started; docsShare and ownedShare of the catalog services that existed by the week's end (their owner
   * and docs as the catalog says now: it keeps no history of them).
   */
  trend: WeeklyPoint[]
  /** Mean weekly active share over the weeks compared with and the complete weeks shown. */
  activeShare: { before: number | null; now: number | null }
  /** Over the weeks shown: the templates run most, the TechDocs pages read most, the searches made most. */
  top: {
    templates: { templateRef: string; runs: number; completed: number }[]
    techdocs: TopPortalSubject[]
    searches: TopPortalSubject[]
  }
  /** The milestones in the weeks drawn. */
  markers: WeekMarker[]
}

/** The mean of the weeks' values that are numbers; null when none is. */
const meanOf = (values: readonly (number | null)[]) => {
  const numbers = values.filter((value): value is number => value !== null)
  return numbers.length > 0 ? numbers.reduce((sum, value) => sum + value, 0) / numbers.length : null
}

export async function getAdoption(filters: Filters, { db = getDb() }: { db?: Db } = {}): Promise<Adoption> {
  const interval = wholeWeeks(filters.interval)
  const comparison = filters.comparison ? wholeWeeks(filters.comparison) : null
  const chart = await getChartSpan(db, interval, comparison)
  const chartFrom = comparison && comparison.from < interval.from ? comparison.from : interval.from
  const chartTo = comparison && comparison.to > interval.to ? comparison.to : interval.to
  const lastMonth = { from: addUtcDays(interval.to, -28), to: interval.to }
  // both periods end at interval.to, so a user's last event there tells which of them they were seen in
  const span = { from: lastMonth.from < interval.from ? lastMonth.from : interval.from, to: interval.to }
  const scope = { teamIds: filters.teamIds }
  const [
    teams,
    rows,
    roster,
    monthRoster,
    portalUsers,
    catalog,
    chartRuns,
    previousRows,
    betweenRows,
    subjects,
    markers,
  ] = await Promise.all([
    listTeams(db),
    // counts and active engineers only: adoption needs no durations
    listTeamWeeks(db, { ...span, ...scope }, { values: false }),
    listRoster(db, { ...interval, ...scope }),
    listRoster(db, { ...lastMonth, ...scope }),
    listPortalUsers(db, { ...span, ...scope }),
    listCatalog(db, scope),
    listScaffolderRuns(db, { from: chartFrom, to: chartTo, ...scope }),
    comparison ? listTeamWeeks(db, { ...comparison, ...scope }, { values: false }) : Promise.resolve([]),
    chart.between ? listTeamWeeks(db, { ...chart.between, ...scope }, { values: false }) : Promise.resolve([]),
    listTopPortalSubjects(db, { ...interval, ...scope }),
    getChartMarkers(db, chart, filters.teamIds),
  ])
  const runs = chartRuns.filter((run) => run.startedAt >= interval.from && run.startedAt < interval.to)
  const since = (from: Date) => rows.filter((week) => week.weekStart >= toIsoDate(from))
  const inInterval = since(interval.from)
  const seenSince = (from: Date) => portalUsers.filter((user) => user.lastAt >= from)
  const teamsById = new Map(teams.map((team) => [team.id, team]))

  const byTeam = <T extends { teamId: number | null }>(list: readonly T[]) => {
    const groups = new Map<number, T[]>()
    for (const item of list) {
      if (item.teamId === null) continue
      const group = groups.get(item.teamId)
      if (group) group.push(item)
      else groups.set(item.teamId, [item])
    }
    return groups
  }
  const [rosterByTeam, weeksByTeam, usersByTeam] = [
    byTeam(roster),
    byTeam(inInterval),
    byTeam(seenSince(interval.from)),
  ]
  const trendWeeks = new Map(
    summarizeTeamWeeks(spanRows(interval, previousRows, betweenRows, inInterval), 'week').map((week) => [
      week.key,
      week,
    ]),
  )
  const runsByWeek = new Map<string, number>()
  for (const run of chartRuns) {
    const week = toIsoDate(addUtcDays(run.startedAt, -((run.startedAt.getUTCDay() + 6) % 7)))
    runsByWeek.set(week, (runsByWeek.get(week) ?? 0) + 1)
  }
  const trend = weeklyPoints(chart.weeks, ['activeShare', 'templateRuns', 'docsShare', 'ownedShare'], (week) => {
    const found = trendWeeks.get(week)
    const end = addUtcDays(new Date(`${week}T00:00:00Z`), 7)
    const coverage = catalogCoverage(catalog.filter((service) => service.createdAt < end))
    return {
      activeShare: found ? share(found.portalUsers, found.engineerWeeks) : null,
      templateRuns: runsByWeek.get(week) ?? 0,
      docsShare: coverage.docsShare,
      ownedShare: coverage.ownedShare,
    }
  })
  const templateCounts = new Map<string, { templateRef: string; runs: number; completed: number }>()
  for (const run of runs) {
    const count = templateCounts.get(run.templateRef) ?? { templateRef: run.templateRef, runs: 0, completed: 0 }
    count.runs++
    if (run.status === 'completed') count.completed++
    templateCounts.set(run.templateRef, count)
  }
  const funnelTeams = [...new Set([...rosterByTeam.keys(), ...weeksByTeam.keys(), ...usersByTeam.keys()])]
    .filter((id) => teamsById.has(id))
    .sort((a, b) => a - b)

  return {
    interval,
    comparison,
    teams,
    weekly: summarizeTeamWeeks(inInterval, 'week').map((week) => ({
      weekStart: week.key,
      activeEngineers: week.portalUsers,
      engineers: week.engineerWeeks,
      activeShare: share(week.portalUsers, week.engineerWeeks),
    })),
    monthly: adoptionOver({
      roster: monthRoster.map((row) => String(row.personId)),
      active: since(lastMonth.from).flatMap((week) => week.portalUsers),
      portalUsers: seenSince(lastMonth.from).map((user) => user.user),
    }),
    catalog: catalogCoverage(catalog),
    scaffolder: scaffolderSummary(runs, interval),
    newServices: serviceCreation(catalog, interval),
    funnel: funnelTeams.map((teamId) => {
      const teamRuns = runs.filter((run) => run.teamId === teamId)
      const created = teamRuns.filter((run) => run.status === 'completed' && run.serviceId !== null)
      const inProduction = catalog.filter(
        (service) =>
          service.ownerTeamId === teamId &&
          service.origin === 'template' &&
          service.firstProductionDeployAt &&
          service.createdAt >= interval.from &&
          service.createdAt < interval.to,
      )
      return {
        team: teamsById.get(teamId) as TeamRow,
        ...adoptionOver({
          roster: (rosterByTeam.get(teamId) ?? []).map((row) => String(row.personId)),
          active: (weeksByTeam.get(teamId) ?? []).flatMap((week) => week.portalUsers),
          portalUsers: (usersByTeam.get(teamId) ?? []).map((user) => user.user),
        }),
        templateUsers: new Set(teamRuns.map((run) => run.userRef).filter(Boolean)).size,
        servicesFromTemplates: created.length,
        servicesInProduction: inProduction.length,
      }
    }),
    trend,
    activeShare: {
      before: comparison
        ? meanOf(
            trend.filter((point) => point.period === 'comparison').map((point) => point.values.activeShare ?? null),
          )
        : null,
      now: meanOf(trend.filter((point) => point.period === 'shown').map((point) => point.values.activeShare ?? null)),
    },
    top: {
      templates: [...templateCounts.values()]
        .sort((a, b) => b.runs - a.runs || a.templateRef.localeCompare(b.templateRef))
        .slice(0, 5),
      techdocs: subjects.filter((subject) => subject.kind === 'techdocs'),
      searches: subjects.filter((subject) => subject.kind === 'search'),
    },
    markers,
  }
}

/** The question the Adoption page asks for `filters`; its unfiltered view is a standing answer (lib/data/standing.ts). */
export function adoptionQuestion(filters: Filters, { db }: { db?: Db } = {}): Question<Adoption> {
  return { name: 'adoption', inputs: filters, args: filters, compute: () => getAdoption(filters, { db }) }
}

/**
 * getAdoption, cached until the data changes (lib/data/read-cache.ts): what the page calls. The page's unfiltered
 * view (`standing`) is a standing answer: after a change it shows its last figures while the new ones compute.
 */
export function readAdoption(filters: Filters, { standing = false }: { standing?: boolean } = {}) {
  return pageRead(adoptionQuestion(filters), { standing })
}
