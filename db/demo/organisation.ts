// The demo organisation's structure: teams and when each adopts the portal, people with hires, leavers and
// team moves, repositories and catalog services (some made by hand, later ones from templates).
import { addUtcDays, addUtcMonths, DAY_MS, MINUTE_MS, SECOND_MS, startOfUtcWeek, toIsoDate } from '../../lib/dates'
import type { ServiceOrigin } from '../../lib/domain'
import type { NewPerson, NewRepository, NewService, NewTeam, NewTeamMembership } from '../schema'
import { workingMoment } from './calendar'
import type { DemoOptions, Timeline } from './options'
import { Random } from './random'
import { DEMO_EFFECTS } from './effects'

/** The first three teams pilot the portal; the next three are their controls (same groups, similar size). */
const BASE_TEAMS: readonly [name: string, group: string][] = [
  ['Checkout', 'Commerce'],
  ['Search', 'Discovery'],
  ['Identity', 'Platform'],
  ['Payments', 'Commerce'],
  ['Recommendations', 'Discovery'],
  ['Data Platform', 'Platform'],
  ['Catalog', 'Commerce'],
  ['Notifications', 'Discovery'],
  ['Infrastructure', 'Platform'],
  ['Pricing', 'Commerce'],
  ['Mobile', 'Discovery'],
  ['Observability', 'Platform'],
]
export const PILOT_TEAMS = 3
export const CONTROL_TEAMS = 3

const FIRST_NAMES = ['ada', 'ben', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'jo', 'kofi', 'lena', 'mateo', 'nia', 'omar', 'priya', 'quinn', 'rosa', 'sami', 'tariq', 'uma', 'vera', 'wei', 'xena', 'yusuf', 'zoe']
const LAST_NAMES = ['alvarez', 'brandt', 'costa', 'dubois', 'eriksen', 'fischer', 'garcia', 'haddad', 'ito', 'jansen', 'kowalski', 'lopez', 'moreau', 'nakamura', 'okafor', 'petrov', 'quist', 'rossi', 'silva', 'tanaka', 'urban', 'varga', 'weber', 'yilmaz', 'zhang']
const SERVICE_NOUNS = ['api', 'worker', 'gateway', 'web', 'events', 'jobs', 'store', 'sync', 'admin', 'search', 'ledger', 'auth', 'feed', 'router', 'cache', 'reports']

/** Adoption reaches full effect this long after a team starts using the portal. */
export const RAMP_DAYS = 14
/**
 * The pilot ran in the teams that hire the most, where onboarding matters most; their controls were chosen
 * to match them, so they hire as much. Relative to an ordinary team of the same size.
 */
const GROWTH_TEAM_HIRING = 2.5
/** Monthly share of engineers who leave (about 17% a year). */
const MONTHLY_ATTRITION = 0.015

export interface TeamPlan {
  index: number
  row: NewTeam & { id: number }
  role: 'pilot' | 'control' | null
  /** When the team starts using the portal. */
  adoptsAt: Date
  /** Relative size and activity. */
  weight: number
  /** Relative share of new hires. */
  hiringWeight: number
  /** A team's own level of DX score, around the organisation's. */
  dxOffset: number
}

export interface Stint {
  teamIndex: number
  from: Date
  /** Exclusive; null while current. */
  to: Date | null
}

export interface PersonPlan {
  index: number
  row: NewPerson & { id: number }
  start: Date
  end: Date | null
  /** Hired during the data window (onboarding is measured for these). */
  isNewHire: boolean
  /** New hires: when their first pull request is merged. */
  firstMergeAt: Date | null
  stints: Stint[]
}

export interface RepoPlan {
  index: number
  row: NewRepository & { id: number }
  teamIndex: number
  createdAt: Date
}

export interface ServicePlan {
  index: number
  row: NewService & { id: number }
  teamIndex: number
  repoIndex: number
  /** Its share of its team's pull requests. */
  weight: number
  /** First production deployment (the service exists, or went live, from here). */
  liveAt: Date
  /** For template-made services: the scaffolder run that created it. */
  scaffolderRun: { startedAt: Date; finishedAt: Date; personIndex: number } | null
}

export interface World {
  options: DemoOptions
  timeline: Timeline
  teams: TeamPlan[]
  people: PersonPlan[]
  memberships: (NewTeamMembership & { id: number })[]
  repos: RepoPlan[]
  services: ServicePlan[]
}

/** 0 before the team adopts the portal, rising to 1 over RAMP_DAYS. */
export function adoption(team: TeamPlan, at: Date, rampDays = RAMP_DAYS): number {
  const elapsed = (at.getTime() - team.adoptsAt.getTime()) / DAY_MS
  if (elapsed <= 0) return 0
  return Math.min(1, elapsed / rampDays)
}

/** The team a person was in at `at`, if employed. */
export function teamAt(person: PersonPlan, at: Date): number | null {
  for (const stint of person.stints) {
    if (stint.from <= at && (stint.to === null || at < stint.to)) return stint.teamIndex
  }
  return null
}

export function buildWorld(options: DemoOptions, timeline: Timeline): World {
  const random = Random.derive(options.seed, 'organisation')
  const teams = buildTeams(options, timeline, random)
  const people = buildPeople(options, timeline, teams, random)
  planFirstMerges(people, teams, Random.derive(options.seed, 'onboarding'))
  const { repos, services } = buildRepositoriesAndServices(options, timeline, teams, people, random)
  let membershipId = 0
  const memberships = people.flatMap((person) =>
    person.stints.map((stint) => ({
      id: ++membershipId,
      personId: person.row.id,
      teamId: stint.teamIndex + 1,
      validFrom: toIsoDate(stint.from),
      validTo: stint.to ? toIsoDate(stint.to) : null,
    })),
  )
  return { options, timeline, teams, people, memberships, repos, services }
}

function buildTeams(options: DemoOptions, timeline: Timeline, random: Random): TeamPlan[] {
  const count = Math.max(PILOT_TEAMS + CONTROL_TEAMS, Math.round(12 * options.scale))
  return Array.from({ length: count }, (_, index) => {
    const [baseName, group] = BASE_TEAMS[index % BASE_TEAMS.length] as [string, string]
    const round = Math.floor(index / BASE_TEAMS.length)
    const name = round === 0 ? baseName : `${baseName} ${round + 1}`
    const role = index < PILOT_TEAMS ? 'pilot' : index < PILOT_TEAMS + CONTROL_TEAMS ? 'control' : null
    // Pilot and control teams are alike in size, so the comparison is fair; the rest vary more.
    const weight = role ? random.between(0.9, 1.1) : random.between(0.6, 1.4)
    const adoptsAt =
      role === 'pilot' ? timeline.launch : addUtcDays(timeline.generalAvailability, role === 'control' ? 0 : random.int(0, 13))
    return {
      index,
      row: {
        id: index + 1,
        slug: name.toLowerCase().replaceAll(' ', '-'),
        name,
        groupName: group,
        externalId: `demo-team-${index + 1}`,
        createdAt: timeline.end,
      },
      role,
      adoptsAt,
      weight,
      hiringWeight: role ? weight * GROWTH_TEAM_HIRING : weight,
      dxOffset: random.normal(0, 0.2),
    }
  })
}

function buildPeople(options: DemoOptions, timeline: Timeline, teams: TeamPlan[], random: Random): PersonPlan[] {
  const people: PersonPlan[] = []
  const teamWeights = teams.map((team) => team.weight)
  const hiringWeights = teams.map((team) => team.hiringWeight)
  const teamIndexes = teams.map((team) => team.index)
  const add = (start: Date, isNewHire: boolean) => {
    const index = people.length
    const first = FIRST_NAMES[index % FIRST_NAMES.length] as string
    const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length] as string
    const round = Math.floor(index / (FIRST_NAMES.length * LAST_NAMES.length))
    const login = round === 0 ? `${first}-${last}` : `${first}-${last}-${round + 1}`
    const person: PersonPlan = {
      index,
      row: {
        id: index + 1,
        login,
        name: `${capitalise(first)} ${capitalise(last)}`,
        email: `${login}@example.com`,
        startDate: toIsoDate(start),
        endDate: null,
        isEngineer: true,
        createdAt: timeline.end,
      },
      start,
      end: null,
      isNewHire,
      firstMergeAt: null,
      stints: [{ teamIndex: random.weighted(teamIndexes, isNewHire ? hiringWeights : teamWeights), from: start, to: null }],
    }
    people.push(person)
  }

  const initial = Math.round(175 * options.scale)
  for (let i = 0; i < initial; i++) add(addUtcDays(timeline.start, -random.int(60, 2500)), false)

  // Month by month: leavers (MONTHLY_ATTRITION), team moves (~0.8%), and hires for attrition plus growth
  // to about 250 engineers per unit of scale at the end.
  const growthPerMonth = (75 * options.scale) / options.months
  for (let month = timeline.start; month < timeline.end; month = addUtcMonths(month, 1)) {
    const monthEnd = addUtcMonths(month, 1)
    const monthDays = Math.round((monthEnd.getTime() - month.getTime()) / DAY_MS)
    const active = people.filter((person) => person.end === null && person.start < month)
    let leavers = 0
    for (const person of active) {
      const current = person.stints[person.stints.length - 1] as Stint
      if (random.chance(MONTHLY_ATTRITION)) {
        const leaveOn = addUtcDays(month, random.int(0, monthDays - 1))
        person.end = leaveOn
        person.row.endDate = toIsoDate(leaveOn)
        current.to = leaveOn
        leavers++
      } else if (random.chance(0.008) && current.from < addUtcDays(month, -90)) {
        const moveOn = startOfUtcWeek(addUtcDays(month, random.int(7, monthDays - 1)))
        const others = teamIndexes.filter((index) => index !== current.teamIndex)
        current.to = moveOn
        person.stints.push({ teamIndex: random.weighted(others, others.map((index) => teams[index]?.weight ?? 1)), from: moveOn, to: null })
      }
    }
    const hires = random.poisson(leavers + growthPerMonth)
    for (let i = 0; i < hires; i++) {
      // New hires mostly start on a Monday.
      const day = addUtcDays(month, random.int(0, monthDays - 1))
      const start = random.chance(0.7) ? startOfUtcWeek(day) : day
      if (start >= timeline.start && start < monthEnd && start < timeline.end) add(start, true)
    }
  }
  return people
}

/**
 * Days from start to first merged pull request: about 14 (median) for a team without the portal, about 5
 * once the team's portal has golden-path templates and docs for setting up (log-normal spread).
 */
function planFirstMerges(people: PersonPlan[], teams: TeamPlan[], random: Random): void {
  for (const person of people) {
    if (!person.isNewHire) continue
    const firstTeam = teams[person.stints[0]?.teamIndex ?? 0] as TeamPlan
    // The portal helps a hire who has it within their first weeks.
    const level = adoption(firstTeam, addUtcDays(person.start, RAMP_DAYS))
    const { before, after } = DEMO_EFFECTS.daysToFirstMerge
    const days = random.logNormal(before + (after - before) * level, 0.45)
    person.firstMergeAt = workingMoment(random, addUtcDays(person.start, Math.max(1, Math.round(days))))
  }
}

function buildRepositoriesAndServices(
  options: DemoOptions,
  timeline: Timeline,
  teams: TeamPlan[],
  people: PersonPlan[],
  random: Random,
): { repos: RepoPlan[]; services: ServicePlan[] } {
  const repos: RepoPlan[] = []
  const services: ServicePlan[] = []
  const teamWeights = teams.map((team) => team.weight)
  const teamIndexes = teams.map((team) => team.index)

  const addRepo = (teamIndex: number, name: string, createdAt: Date): RepoPlan => {
    const index = repos.length
    const repo: RepoPlan = {
      index,
      teamIndex,
      createdAt,
      row: {
        id: index + 1,
        provider: 'github',
        externalId: `R_demo_${index + 1}`,
        owner: 'acme',
        name,
        fullName: `acme/${name}`,
        teamId: teamIndex + 1,
        defaultBranch: 'main',
        archived: false,
        upstreamCreatedAt: createdAt,
        createdAt: timeline.end,
      },
    }
    repos.push(repo)
    return repo
  }

  const addService = (plan: Omit<ServicePlan, 'index' | 'row' | 'weight'> & { origin: ServiceOrigin; name: string; createdAt: Date; requestedAt: Date | null; hasDocs: boolean; owned: boolean; templateRef: string | null }) => {
    const index = services.length
    services.push({
      index,
      teamIndex: plan.teamIndex,
      repoIndex: plan.repoIndex,
      liveAt: plan.liveAt,
      scaffolderRun: plan.scaffolderRun,
      weight: random.logNormal(1, 0.3),
      row: {
        id: index + 1,
        entityRef: `component:default/${plan.name}`,
        name: plan.name,
        ownerTeamId: plan.owned ? plan.teamIndex + 1 : null,
        repositoryId: plan.repoIndex + 1,
        lifecycle: 'production',
        hasDocs: plan.hasDocs,
        origin: plan.origin,
        templateRef: plan.templateRef,
        requestedAt: plan.requestedAt,
        createdAt: plan.createdAt,
      },
    })
  }

  const taken = new Set<string>()
  const uniqueName = (team: TeamPlan) => {
    for (;;) {
      const name = `${team.row.slug}-${random.pick(SERVICE_NOUNS)}`
      const candidate = taken.has(name) ? `${name}-${random.int(2, 99)}` : name
      if (!taken.has(candidate)) {
        taken.add(candidate)
        return candidate
      }
    }
  }

  // What exists when the data starts: every team has at least one repository; some repositories hold two
  // services; a few services have no owner in the catalog and fewer than half have docs.
  const initialRepos = Math.max(teams.length, Math.round(46 * options.scale))
  for (let i = 0; i < initialRepos; i++) {
    const team = i < teams.length ? (teams[i] as TeamPlan) : (teams[random.weighted(teamIndexes, teamWeights)] as TeamPlan)
    addRepo(team.index, uniqueName(team), addUtcDays(timeline.start, -random.int(100, 2000)))
  }
  const initialServices = Math.max(initialRepos, Math.round(62 * options.scale))
  for (let i = 0; i < initialServices; i++) {
    const repo = i < initialRepos ? (repos[i] as RepoPlan) : random.pick(repos)
    const team = teams[repo.teamIndex] as TeamPlan
    const createdAt = addUtcDays(repo.createdAt, random.int(0, 60))
    addService({
      teamIndex: team.index,
      repoIndex: repo.index,
      name: i < initialRepos ? repo.row.name : uniqueName(team),
      origin: 'manual',
      createdAt,
      requestedAt: null,
      liveAt: timeline.start,
      scaffolderRun: null,
      hasDocs: random.chance(0.4),
      owned: !random.chance(0.08),
      templateRef: null,
    })
  }

  // New services over the period. Before a team adopts the portal, a service takes 4–6 weeks of tickets
  // and hand-made pipelines; after, a template run of about a minute makes the repository, pipeline,
  // docs and catalog entry, and the first deployment follows within days.
  const newServices = Math.round(18 * options.scale)
  const firstDay = addUtcDays(timeline.start, 45)
  const span = (timeline.end.getTime() - 14 * DAY_MS - firstDay.getTime()) / DAY_MS
  const creationDays = Array.from({ length: newServices }, () => addUtcDays(firstDay, Math.floor(random.next() * span))).sort(
    (a, b) => a.getTime() - b.getTime(),
  )
  for (const day of creationDays) {
    const team = teams[random.weighted(teamIndexes, teamWeights)] as TeamPlan
    const byTemplate = adoption(team, day) >= 0.5
    const name = uniqueName(team)
    if (byTemplate) {
      const members = people.filter((person) => teamAt(person, day) === team.index)
      const startedAt = workingMoment(random, day)
      const finishedAt = new Date(startedAt.getTime() + random.logNormal(55, 0.35) * SECOND_MS)
      const repo = addRepo(team.index, name, finishedAt)
      addService({
        teamIndex: team.index,
        repoIndex: repo.index,
        name,
        origin: 'template',
        createdAt: finishedAt,
        requestedAt: startedAt,
        liveAt: new Date(finishedAt.getTime() + random.between(0.2, 2.5) * DAY_MS),
        scaffolderRun: members.length > 0 ? { startedAt, finishedAt, personIndex: random.pick(members).index } : null,
        hasDocs: true,
        owned: true,
        templateRef: random.chance(0.6) ? 'template:default/service-node' : 'template:default/service-go',
      })
    } else {
      const createdAt = workingMoment(random, day)
      const requestedAt = new Date(createdAt.getTime() - random.between(28, 42) * DAY_MS)
      const ownRepo = random.chance(0.5)
      const teamRepos = repos.filter((repo) => repo.teamIndex === team.index)
      const repo = ownRepo || teamRepos.length === 0 ? addRepo(team.index, name, createdAt) : random.pick(teamRepos)
      addService({
        teamIndex: team.index,
        repoIndex: repo.index,
        name,
        origin: 'manual',
        createdAt,
        requestedAt,
        liveAt: new Date(createdAt.getTime() + random.between(5, 15) * DAY_MS + random.int(0, 59) * MINUTE_MS),
        scaffolderRun: null,
        hasDocs: random.chance(0.4),
        owned: true,
        templateRef: null,
      })
    }
  }
  return { repos, services }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}
