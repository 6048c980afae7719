// Portal adoption: active engineers ÷ engineers, catalog coverage, scaffolder use, and how fast new services
// reach production when made from a template vs by hand.
//
// Adoption is at most 100% by construction: the numerator is a subset of the denominator. Engineers are the
// people on a team's roster (team_memberships) on a week's Monday, as the rollups count them; an active
// engineer is one of them who used the portal (any tracked event, attributed to whichever team) that week.
// Everyone else who used the portal (no person on the roster, or not on that team then: joined mid-week,
// left, moved) is an "other portal user", counted apart. Dividing every distinct portal user by the average
// headcount, as before, gave 262 users of 256 engineers (102%) over four weeks of the demo organisation.
import { startOfUtcWeek, toIsoDate, type Interval } from '@/lib/dates'
import { quantile } from '@/lib/stats/summary'
import { HOUR, type MembershipFact, type PortalEventFact } from './facts'

/** A portal event with the person it resolved to (by login, when stored), if any. */
export interface PortalUseFact extends PortalEventFact {
  personId: number | null
}

/**
 * One key per portal user: the person when the event resolved to one (someone seen under two user refs is
 * one user, and the key matches the roster's), else the user ref. Null for an anonymous event.
 * db/queries/adoption.ts listPortalUsers builds the same key in SQL.
 */
export function portalUserKey(event: { personId: number | null; userRef: string | null }): string | null {
  return event.personId !== null ? String(event.personId) : event.userRef !== null ? `ref:${event.userRef}` : null
}

/** A membership covers a day ('YYYY-MM-DD'): from inclusive, to exclusive. */
const covers = (membership: MembershipFact, day: string) =>
  membership.validFrom <= day && (membership.validTo === null || membership.validTo > day)

/** The Mondays ('YYYY-MM-DD') of the weeks starting in [startOfUtcWeek(from), to). */
function mondays(weeks: Interval): string[] {
  const out: string[] = []
  for (let at = startOfUtcWeek(weeks.from).getTime(); at < weeks.to.getTime(); at += 7 * 24 * HOUR)
    out.push(toIsoDate(new Date(at)))
  return out
}

export interface ActiveEngineerWeek {
  teamId: number
  weekStart: string
  /** Ascending. */
  personIds: number[]
}

/**
 * Active engineers per team-week, for the weeks starting in [startOfUtcWeek(from), to): the people on the
 * team's roster on the week's Monday with at least one portal event that week. Each is one of that
 * team-week's engineers, so active ÷ engineers ≤ 1 for every team-week. The rollups' portal_users column
 * holds these sets, computed in SQL (db/queries/rollup-rows.ts); lib/metrics/team-weeks.ts calls this.
 */
export function activeEngineerWeeks(
  memberships: readonly MembershipFact[],
  events: readonly PortalUseFact[],
  weeks: Interval,
): ActiveEngineerWeek[] {
  const first = startOfUtcWeek(weeks.from).getTime()
  const byPerson = new Map<number, MembershipFact[]>()
  for (const membership of memberships) {
    const list = byPerson.get(membership.personId)
    if (list) list.push(membership)
    else byPerson.set(membership.personId, [membership])
  }
  const personWeeks = new Set<string>()
  const rows = new Map<string, { teamId: number; weekStart: string; people: Set<number> }>()
  for (const event of events) {
    if (event.personId === null) continue
    const monday = startOfUtcWeek(event.occurredAt)
    if (monday.getTime() < first || monday >= weeks.to) continue
    const weekStart = toIsoDate(monday)
    if (personWeeks.has(`${event.personId}|${weekStart}`)) continue
    personWeeks.add(`${event.personId}|${weekStart}`)
    for (const membership of byPerson.get(event.personId) ?? []) {
      if (!covers(membership, weekStart)) continue
      const key = `${membership.teamId}|${weekStart}`
      const row = rows.get(key) ?? { teamId: membership.teamId, weekStart, people: new Set<number>() }
      row.people.add(event.personId)
      rows.set(key, row)
    }
  }
  return [...rows.values()]
    .map((row) => ({ teamId: row.teamId, weekStart: row.weekStart, personIds: [...row.people].sort((a, b) => a - b) }))
    .sort((a, b) => a.weekStart.localeCompare(b.weekStart) || a.teamId - b.teamId)
}

/**
 * The roster over the weeks starting in [startOfUtcWeek(from), to): each (team, person) with a membership on
 * one of their Mondays. A period's engineers are its distinct people. db/queries/adoption.ts listRoster is
 * the same in SQL.
 */
export function rosterOver(
  memberships: readonly MembershipFact[],
  weeks: Interval,
): { teamId: number; personId: number }[] {
  const days = mondays(weeks)
  const pairs = new Map<string, { teamId: number; personId: number }>()
  for (const membership of memberships) {
    if (days.some((day) => covers(membership, day)))
      pairs.set(`${membership.teamId}|${membership.personId}`, {
        teamId: membership.teamId,
        personId: membership.personId,
      })
  }
  return [...pairs.values()].sort((a, b) => a.teamId - b.teamId || a.personId - b.personId)
}

/**
 * Each (team the event was attributed to, portal user) with an event in [from, to). db/queries/adoption.ts
 * listPortalUsers is the same in SQL.
 */
export function portalUsersOver(
  events: readonly PortalUseFact[],
  interval: Interval,
): { teamId: number | null; user: string }[] {
  const pairs = new Map<string, { teamId: number | null; user: string }>()
  for (const event of events) {
    const user = portalUserKey(event)
    if (user === null || event.occurredAt < interval.from || event.occurredAt >= interval.to) continue
    pairs.set(`${event.teamId}|${user}`, { teamId: event.teamId, user })
  }
  return [...pairs.values()]
}

export interface AdoptionFigure {
  /** Engineers on the roster who used the portal in a week they were on it. */
  activeEngineers: number
  /** Distinct people on the roster (on a Monday of the period). */
  engineers: number
  /** activeEngineers ÷ engineers: at most 1. */
  activeShare: number | null
  /** Portal users of the period who are not among its active engineers: not on the roster then. */
  otherUsers: number
}

/**
 * Adoption over a period (four weeks, the weeks shown), for one team or several, from person keys: the
 * roster's people, the active engineers of its team-weeks (the rollups' sets), and every portal user seen.
 * Active engineers are kept only if on the roster: the definition, and what the rollups already hold
 * while they are current.
 */
export function adoptionOver({
  roster,
  active,
  portalUsers,
}: {
  roster: Iterable<string>
  active: Iterable<string>
  portalUsers: Iterable<string>
}): AdoptionFigure {
  const engineers = new Set(roster)
  const activeEngineers = new Set([...active].filter((person) => engineers.has(person)))
  let otherUsers = 0
  for (const user of new Set(portalUsers)) if (!activeEngineers.has(user)) otherUsers++
  return {
    activeEngineers: activeEngineers.size,
    engineers: engineers.size,
    activeShare: share(activeEngineers.size, engineers.size),
    otherUsers,
  }
}

export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null
}

export interface CatalogEntity {
  ownerTeamId: number | null
  hasDocs: boolean
}

export function catalogCoverage(services: readonly CatalogEntity[]) {
  const owned = services.filter((service) => service.ownerTeamId !== null).length
  const withDocs = services.filter((service) => service.hasDocs).length
  return {
    services: services.length,
    owned,
    withDocs,
    ownedShare: share(owned, services.length),
    docsShare: share(withDocs, services.length),
  }
}

export interface ScaffolderRunFact {
  status: string
  templateRef: string
  startedAt: Date
  serviceId: number | null
}

/** Runs started in the interval; success rate = completed ÷ (completed + failed): a cancelled run is a choice, not a failure. */
export function scaffolderSummary(runs: readonly ScaffolderRunFact[], interval: Interval) {
  const inside = runs.filter((run) => run.startedAt >= interval.from && run.startedAt < interval.to)
  const completed = inside.filter((run) => run.status === 'completed').length
  const failed = inside.filter((run) => run.status === 'failed').length
  return {
    runs: inside.length,
    completed,
    failed,
    successRate: share(completed, completed + failed),
    servicesCreated: inside.filter((run) => run.status === 'completed' && run.serviceId !== null).length,
    templates: [...new Set(inside.map((run) => run.templateRef))].sort(),
  }
}

export interface NewService {
  origin: 'template' | 'manual' | 'unknown'
  requestedAt: Date | null
  createdAt: Date
  firstProductionDeployAt: Date | null
}

/** For services created in the interval, by origin: hours from request to creation, and from creation to first production deployment. */
export function serviceCreation(services: readonly NewService[], interval: Interval) {
  const summarise = (origin: 'template' | 'manual') => {
    const list = services.filter(
      (service) => service.origin === origin && service.createdAt >= interval.from && service.createdAt < interval.to,
    )
    const setup = list
      .filter((s) => s.requestedAt)
      .map((s) => (s.createdAt.getTime() - (s.requestedAt as Date).getTime()) / HOUR)
    const toProduction = list
      .filter((s) => s.firstProductionDeployAt)
      .map((s) => ((s.firstProductionDeployAt as Date).getTime() - s.createdAt.getTime()) / HOUR)
    return {
      services: list.length,
      setupMedianHours: quantile(setup, 0.5),
      toProductionMedianHours: quantile(toProduction, 0.5),
      notYetInProduction: list.length - toProduction.length,
    }
  }
  return { template: summarise('template'), manual: summarise('manual') }
}
