// The Adoption page's read model: portal weekly and monthly active users per engineer, catalog coverage,
// scaffolder runs and templates, new services template vs by hand, and the funnel from portal user to
// template run to service in production, by team. Server-only.
import 'server-only'
import { getDb, type Db } from '../../db/client'
import { countActiveUsers, listCatalog, listScaffolderRuns } from '../../db/queries/adoption'
import { listTeams, type TeamRow } from '../../db/queries/organisation'
import { listTeamWeeks } from '../../db/queries/rollups'
import { addUtcDays, toIsoDate, type Interval } from '../dates'
import { catalogCoverage, scaffolderSummary, serviceCreation, share } from '../metrics/adoption'
import { summarizeTeamWeeks } from '../metrics/team-weeks'
import { weeksIn, wholeWeeks } from '../metrics/windows'
import type { Filters } from './filters'
import { cachedRead } from './read-cache'

export interface Adoption {
  interval: Interval
  teams: TeamRow[]
  weekly: { weekStart: string; activeUsers: number; engineers: number; activeShare: number | null }[]
  /** Over the last four weeks of the interval. */
  monthly: { activeUsers: number; engineers: number; activeShare: number | null }
  catalog: ReturnType<typeof catalogCoverage>
  scaffolder: ReturnType<typeof scaffolderSummary>
  newServices: ReturnType<typeof serviceCreation>
  funnel: { team: TeamRow; engineers: number; portalUsers: number; templateUsers: number; servicesFromTemplates: number; servicesInProduction: number }[]
}

export async function getAdoption(filters: Filters, { db = getDb() }: { db?: Db } = {}): Promise<Adoption> {
  const interval = wholeWeeks(filters.interval)
  const lastMonth = { from: addUtcDays(interval.to, -28), to: interval.to }
  const scope = { teamIds: filters.teamIds }
  const [teams, rows, monthlyUsers, catalog, runs] = await Promise.all([
    listTeams(db),
    // counts and portal users only: adoption needs no durations
    listTeamWeeks(db, { from: lastMonth.from < interval.from ? lastMonth.from : interval.from, to: interval.to, ...scope }, { values: false }),
    countActiveUsers(db, { ...lastMonth, ...scope }),
    listCatalog(db, scope),
    listScaffolderRuns(db, { ...interval, ...scope }),
  ])
  const since = (from: Date) => rows.filter((week) => week.weekStart >= toIsoDate(from))
  const inInterval = since(interval.from)
  const weekly = summarizeTeamWeeks(inInterval, 'week')
  const byTeam = summarizeTeamWeeks(inInterval, 'team')
  const [month] = summarizeTeamWeeks(since(lastMonth.from), 'all')
  const engineersLastMonth = month ? month.engineerWeeks / weeksIn(lastMonth) : 0
  const teamsById = new Map(teams.map((team) => [String(team.id), team]))
  return {
    interval,
    teams,
    weekly: weekly.map((week) => ({ weekStart: week.key, activeUsers: week.portalUsers, engineers: week.engineerWeeks, activeShare: share(week.portalUsers, week.engineerWeeks) })),
    monthly: { activeUsers: monthlyUsers, engineers: Math.round(engineersLastMonth), activeShare: share(monthlyUsers, engineersLastMonth) },
    catalog: catalogCoverage(catalog),
    scaffolder: scaffolderSummary(runs, interval),
    newServices: serviceCreation(catalog, interval),
    funnel: byTeam
      .filter((row) => teamsById.has(row.key))
      .map((row) => {
        const teamId = Number(row.key)
        const teamRuns = runs.filter((run) => run.teamId === teamId)
        const created = teamRuns.filter((run) => run.status === 'completed' && run.serviceId !== null)
        const inProduction = catalog.filter((service) => service.ownerTeamId === teamId && service.origin === 'template' && service.firstProductionDeployAt && service.createdAt >= interval.from && service.createdAt < interval.to)
        return {
          team: teamsById.get(row.key) as TeamRow,
          engineers: Math.round(row.engineerWeeks / weeksIn(interval)),
          portalUsers: row.portalUsers,
          templateUsers: new Set(teamRuns.map((run) => run.userRef).filter(Boolean)).size,
          servicesFromTemplates: created.length,
          servicesInProduction: inProduction.length,
        }
      }),
  }
}

/** getAdoption, cached until the data changes (lib/data/read-cache.ts): what the page calls. */
export function readAdoption(filters: Filters): Promise<Adoption> {
  return cachedRead('adoption', filters, () => getAdoption(filters))
}
