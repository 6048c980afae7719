// The filters a dashboard page works on, read from its URL: the teams (or a group), the weeks shown and the
// weeks they are compared with. What cannot be read is named and replaced by its default, never guessed.
// Server-only.
import 'server-only'
import { cache } from 'react'
import { getDb, type Db } from '@/db/client'
import { getInitiativeWithTeams, listInitiatives } from '@/db/queries/initiatives'
import { listMilestones } from '@/db/queries/milestones'
import { listTeams, type TeamRow } from '@/db/queries/organisation'
import { parseIsoDate, toIsoDate } from '@/lib/dates'
import {
  aroundLaunch,
  filterParamsSchema,
  filtersFrom,
  initiativeInView,
  type FilterParams,
  type Filters,
} from './filters'
import { COHORTS, FILTER_KEYS, isCohort, keptFilters } from './filter-keys'
import { launchOf } from './milestones'
import type { LaunchWindows } from '@/lib/metrics/windows'

export type SearchParams = Record<string, string | string[] | undefined>

/** The pilot and control teams of the initiative in view, which the group select offers as two groups. */
export interface Cohorts {
  initiative: { id: number; name: string }
  pilot: number[]
  control: number[]
}

export interface PageFilters {
  filters: Filters
  /** The parameters as the URL gave them (after dropping what could not be read). */
  chosen: FilterParams
  /** The weeks in effect, as dates for the filter inputs. */
  window: { from: string; to: string; compareFrom: string | null; compareTo: string | null }
  teams: TeamRow[]
  groups: string[]
  /** The initiative in view (the one named, else the latest launched) and its teams; null without one. */
  cohorts: Cohorts | null
  /** The portal launch (for every team, else the earliest), for the "before launch" comparison. */
  launch: string | null
  /** The weeks a page comparing around the launch shows (the Overview: lib/data/filters.ts aroundLaunch); null without a launch. */
  aroundLaunch: LaunchWindows | null
  /** Who the page is about, in words: "All teams", "Payments (group)", "Checkout, Search". */
  scope: string
  /** Each parameter that could not be read, and why; the default is used in its place. */
  problems: string[]
}

/** Reads the filter parameters; a parameter that fails is dropped and reported, the others kept. */
export function readFilterParams(searchParams: SearchParams): { params: FilterParams; problems: string[] } {
  const raw: Record<string, string> = {}
  for (const key of FILTER_KEYS) {
    const value = searchParams[key]
    const first = Array.isArray(value) ? value[0] : value
    if (first !== undefined && first !== '') raw[key] = first
  }
  const problems = new Set<string>()
  for (;;) {
    const parsed = filterParamsSchema.safeParse(raw)
    if (parsed.success) return { params: parsed.data, problems: [...problems] }
    const before = Object.keys(raw).length
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'filters')
      problems.add(`${key}: ${issue.message}`)
      // the comparison weeks stand or fall together
      for (const drop of key === 'compareFrom' || key === 'compareTo' ? ['compareFrom', 'compareTo'] : [key])
        delete raw[drop]
    }
    // nothing left to drop: give up on the filters rather than loop
    if (Object.keys(raw).length === before) return { params: {}, problems: [...problems] }
  }
}

/** The filters of a request (its query string as `filterQuery` writes it), resolved against the database. */
export async function getPageFilters(
  query: string,
  { db = getDb(), now = new Date() }: { db?: Db; now?: Date } = {},
): Promise<PageFilters> {
  const { params, problems } = readFilterParams(Object.fromEntries(new URLSearchParams(query)))
  const [teams, milestones, initiatives] = await Promise.all([listTeams(db), listMilestones(db), listInitiatives(db)])
  const launch = launchOf(milestones)?.occurredOn ?? null
  // `pilot` and `control` are the initiative's teams (COHORTS), never a group of that name
  const groups = [
    ...new Set(
      teams.map((team) => team.groupName).filter((group): group is string => group !== null && !isCohort(group)),
    ),
  ].sort()
  const known = new Map(teams.map((team) => [team.id, team]))

  // the initiative in view: the one the link names (with a pilot or control group), else the latest launched
  let named =
    params.initiative === undefined
      ? undefined
      : initiatives.find((initiative) => initiative.id === Number(params.initiative))
  if (!isCohort(params.group)) {
    named = undefined
    delete params.initiative
  } else if (params.initiative !== undefined && !named) {
    problems.push(`initiative: no initiative has the id ${params.initiative}`)
    delete params.initiative
  }
  const inView = named ?? initiativeInView(initiatives, now)
  const withTeams = inView ? await getInitiativeWithTeams(db, inView.id) : null
  const cohorts: Cohorts | null = withTeams
    ? {
        initiative: { id: withTeams.id, name: withTeams.name },
        pilot: withTeams.teams.filter((team) => team.role === 'pilot').map((team) => team.teamId),
        control: withTeams.teams.filter((team) => team.role === 'control').map((team) => team.teamId),
      }
    : null

  let teamIds: number[] | undefined
  let scope = 'All teams'
  if (isCohort(params.group)) {
    const members = cohorts ? cohorts[params.group] : []
    if (!cohorts || members.length === 0) {
      problems.push(
        cohorts
          ? `group: ${cohorts.initiative.name} has no ${params.group} teams`
          : `group: there is no initiative yet, so no ${params.group} teams`,
      )
      delete params.group
      delete params.initiative
    } else {
      teamIds = members
      scope = `${COHORTS[params.group]} of ${cohorts.initiative.name}`
    }
  } else if (params.group) {
    const members = teams.filter((team) => team.groupName === params.group)
    if (members.length === 0) {
      problems.push(`group: there is no group called “${params.group}”`)
      delete params.group
    } else {
      teamIds = members.map((team) => team.id)
      scope = `${params.group} (group)`
    }
  } else if (params.teams) {
    const ids = [...new Set(params.teams.split(',').map(Number))]
    const unknown = ids.filter((id) => !known.has(id))
    if (unknown.length > 0) problems.push(`teams: no team has the id ${unknown.join(', ')}`)
    const found = ids.filter((id) => known.has(id))
    if (found.length === 0) delete params.teams
    else {
      teamIds = found
      params.teams = found.join(',')
      scope = found.map((id) => known.get(id)?.name).join(', ')
    }
  }

  const filters = { ...filtersFrom(params, { now, launch: launch ? parseIsoDate(launch) : null }), teamIds }
  return {
    filters,
    chosen: params,
    window: {
      from: toIsoDate(filters.interval.from),
      to: toIsoDate(filters.interval.to),
      compareFrom: filters.comparison ? toIsoDate(filters.comparison.from) : null,
      compareTo: filters.comparison ? toIsoDate(filters.comparison.to) : null,
    },
    teams,
    groups,
    cohorts,
    launch,
    aroundLaunch: launch ? aroundLaunch(params, filters, { now, launch: parseIsoDate(launch) }) : null,
    scope,
    problems,
  }
}

/** The filter parameters of a request as a query string: the key that read models are cached on. */
export function filterQuery(searchParams: SearchParams): string {
  return keptFilters(searchParams)
}

// One resolution per request, shared by the page and its sections; "now" is read once per request too.
const resolveCached = cache((query: string) => getPageFilters(query))

/** The filters of a page request, from `filterQuery(searchParams)`. */
export function pageFilters(query: string): Promise<PageFilters> {
  return resolveCached(query)
}
