// The plans the demo generator works from: teams with when they adopt the portal, people and their stints
// in teams, repositories and services; and the adoption curve every effect follows.
import { DAY_MS } from '@/lib/dates'
import type { NewPerson, NewRepository, NewService, NewTeam, NewTeamMembership } from '@/db/schema'
import type { DemoOptions, Timeline } from './options'

/** Adoption reaches full effect this long after a team starts using the portal. */
export const RAMP_DAYS = 14

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
