// The demo organisation's repositories and catalog services: what exists when the data starts, and the new
// services over the period, made by hand (4–6 weeks) before a team has the portal and from a template (about
// a minute) after.
import { addUtcDays, DAY_MS, MINUTE_MS, SECOND_MS } from '@/lib/dates'
import type { ServiceOrigin } from '@/lib/domain'
import { workingMoment } from './calendar'
import type { DemoOptions, Timeline } from './options'
import { adoption, teamAt, type PersonPlan, type RepoPlan, type ServicePlan, type TeamPlan } from './plans'
import type { Random } from './random'

const SERVICE_NOUNS = [
  'api',
  'worker',
  'gateway',
  'web',
  'events',
  'jobs',
  'store',
  'sync',
  'admin',
  'search',
  'ledger',
  'auth',
  'feed',
  'router',
  'cache',
  'reports',
]

export function buildCatalog(
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

  const addService = (
    plan: Omit<ServicePlan, 'index' | 'row' | 'weight'> & {
      origin: ServiceOrigin
      name: string
      createdAt: Date
      requestedAt: Date | null
      hasDocs: boolean
      owned: boolean
      templateRef: string | null
    },
  ) => {
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
    const team =
      i < teams.length ? (teams[i] as TeamPlan) : (teams[random.weighted(teamIndexes, teamWeights)] as TeamPlan)
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
  const creationDays = Array.from({ length: newServices }, () =>
    addUtcDays(firstDay, Math.floor(random.next() * span)),
  ).sort((a, b) => a.getTime() - b.getTime())
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
