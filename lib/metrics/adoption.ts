// Portal adoption: active users ÷ engineers, catalog coverage, scaffolder use, and how fast new services
// reach production when made from a template vs by hand.
import type { Interval } from '../dates'
import { quantile } from '../stats/summary'
import { HOUR, type PortalEventFact } from './facts'

/** Distinct portal users with at least one event in the interval. */
export function activeUsers(events: readonly PortalEventFact[], interval: Interval): Set<string> {
  const users = new Set<string>()
  for (const event of events) if (event.userRef && event.occurredAt >= interval.from && event.occurredAt < interval.to) users.add(event.userRef)
  return users
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
  return { services: services.length, owned, withDocs, ownedShare: share(owned, services.length), docsShare: share(withDocs, services.length) }
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
    const list = services.filter((service) => service.origin === origin && service.createdAt >= interval.from && service.createdAt < interval.to)
    const setup = list.filter((s) => s.requestedAt).map((s) => (s.createdAt.getTime() - (s.requestedAt as Date).getTime()) / HOUR)
    const toProduction = list.filter((s) => s.firstProductionDeployAt).map((s) => ((s.firstProductionDeployAt as Date).getTime() - s.createdAt.getTime()) / HOUR)
    return { services: list.length, setupMedianHours: quantile(setup, 0.5), toProductionMedianHours: quantile(toProduction, 0.5), notYetInProduction: list.length - toProduction.length }
  }
  return { template: summarise('template'), manual: summarise('manual') }
}
