// The demo organisation's structure: teams and when each adopts the portal, people with hires, leavers and
// team moves, repositories and catalog services (some made by hand, later ones from templates).
import { addUtcDays, addUtcMonths, DAY_MS, startOfUtcWeek, toIsoDate } from '@/lib/dates'
import { buildCatalog } from './catalog'
import { workingMoment } from './calendar'
import { DEMO_EFFECTS } from './effects'
import type { DemoOptions, Timeline } from './options'
import { adoption, RAMP_DAYS, type PersonPlan, type Stint, type TeamPlan, type World } from './plans'
import { Random } from './random'

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
const PILOT_TEAMS = 3
const CONTROL_TEAMS = 3

const FIRST_NAMES = [
  'ada',
  'ben',
  'chen',
  'dara',
  'eli',
  'fatima',
  'gus',
  'hana',
  'ivan',
  'jo',
  'kofi',
  'lena',
  'mateo',
  'nia',
  'omar',
  'priya',
  'quinn',
  'rosa',
  'sami',
  'tariq',
  'uma',
  'vera',
  'wei',
  'xena',
  'yusuf',
  'zoe',
]
const LAST_NAMES = [
  'alvarez',
  'brandt',
  'costa',
  'dubois',
  'eriksen',
  'fischer',
  'garcia',
  'haddad',
  'ito',
  'jansen',
  'kowalski',
  'lopez',
  'moreau',
  'nakamura',
  'okafor',
  'petrov',
  'quist',
  'rossi',
  'silva',
  'tanaka',
  'urban',
  'varga',
  'weber',
  'yilmaz',
  'zhang',
]

/**
 * The pilot ran in the teams that hire the most, where onboarding matters most; their controls were chosen
 * to match them, so they hire as much. Relative to an ordinary team of the same size.
 */
const GROWTH_TEAM_HIRING = 2.5
/** Monthly share of engineers who leave (about 17% a year). */
const MONTHLY_ATTRITION = 0.015

export function buildWorld(options: DemoOptions, timeline: Timeline): World {
  const random = Random.derive(options.seed, 'organisation')
  const teams = buildTeams(options, timeline, random)
  const people = buildPeople(options, timeline, teams, random)
  planFirstMerges(people, teams, Random.derive(options.seed, 'onboarding'))
  const { repos, services } = buildCatalog(options, timeline, teams, people, random)
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
      role === 'pilot'
        ? timeline.launch
        : addUtcDays(timeline.generalAvailability, role === 'control' ? 0 : random.int(0, 13))
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
      stints: [
        { teamIndex: random.weighted(teamIndexes, isNewHire ? hiringWeights : teamWeights), from: start, to: null },
      ],
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
        person.stints.push({
          teamIndex: random.weighted(
            others,
            others.map((index) => teams[index]?.weight ?? 1),
          ),
          from: moveOn,
          to: null,
        })
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

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}
