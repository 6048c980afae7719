// The Adoption page's read model: the share of engineers who use the portal, week by week and over the last
// four weeks, catalog coverage, scaffolder runs and templates, new services template vs by hand, and the
// funnel from engineer to template run to service in production, by team. Server-only.
//
// Adoption is active engineers ÷ engineers on the roster, at most 100% by construction (lib/metrics/adoption.ts
// says why and how); people who used the portal without being on the chosen teams' roster then are counted
// apart as other portal users.
import 'server-only'
import { getDb, type Db } from '../../db/client'
import { listCatalog, listPortalUsers, listRoster, listScaffolderRuns } from '../../db/queries/adoption'
import { listTeams, type TeamRow } from '../../db/queries/organisation'
import { listTeamWeeks } from '../../db/queries/rollups'
import { addUtcDays, toIsoDate, type Interval } from '../dates'
import { adoptionOver, catalogCoverage, scaffolderSummary, serviceCreation, share, type AdoptionFigure } from '../metrics/adoption'
import { summarizeTeamWeeks } from '../metrics/team-weeks'
import { wholeWeeks } from '../metrics/windows'
import type { Filters } from './filters'
import { cachedRead } from './read-cache'

export interface Adoption {
  interval: Interval
  teams: TeamRow[]
  /** Per week: active engineers ÷ the engineers on the roster on its Monday (summed over the teams). */
  weekly: { weekStart: string; activeEngineers: number; engineers: number; activeShare: number | null }[]
  /** Over the last four weeks of the interval: distinct people. */
  monthly: AdoptionFigure
  catalog: ReturnType<typeof catalogCoverage>
  scaffolder: ReturnType<typeof scaffolderSummary>
  newServices: ReturnType<typeof serviceCreation>
  /** Per team over the interval: engineers and active engineers are distinct people; other users, portal users of the team not on its roster then. */
  funnel: (AdoptionFigure & { team: TeamRow; templateUsers: number; servicesFromTemplates: number; servicesInProduction: number })[]
}

export async function getAdoption(filters: Filters, { db = getDb() }: { db?: Db } = {}): Promise<Adoption> {
  const interval = wholeWeeks(filters.interval)
  const lastMonth = { from: addUtcDays(interval.to, -28), to: interval.to }
  // both periods end at interval.to, so a user's last event there tells which of them they were seen in
  const span = { from: lastMonth.from < interval.from ? lastMonth.from : interval.from, to: interval.to }
  const scope = { teamIds: filters.teamIds }
  const [teams, rows, roster, monthRoster, portalUsers, catalog, runs] = await Promise.all([
    listTeams(db),
    // counts and active engineers only: adoption needs no durations
    listTeamWeeks(db, { ...span, ...scope }, { values: false }),
    listRoster(db, { ...interval, ...scope }),
    listRoster(db, { ...lastMonth, ...scope }),
    listPortalUsers(db, { ...span, ...scope }),
    listCatalog(db, scope),
    listScaffolderRuns(db, { ...interval, ...scope }),
  ])
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
  const [rosterByTeam, weeksByTeam, usersByTeam] = [byTeam(roster), byTeam(inInterval), byTeam(seenSince(interval.from))]
  const funnelTeams = [...new Set([...rosterByTeam.keys(), ...weeksByTeam.keys(), ...usersByTeam.keys()])].filter((id) => teamsById.has(id)).sort((a, b) => a - b)

  return {
    interval,
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
      const inProduction = catalog.filter((service) => service.ownerTeamId === teamId && service.origin === 'template' && service.firstProductionDeployAt && service.createdAt >= interval.from && service.createdAt < interval.to)
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
  }
}

/** getAdoption, cached until the data changes (lib/data/read-cache.ts): what the page calls. */
export function readAdoption(filters: Filters): Promise<Adoption> {
  return cachedRead('adoption', filters, () => getAdoption(filters))
}
