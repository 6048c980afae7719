// One team's delivery history: pull requests through review and merge, production deployments that ship
// them, change failures with their incidents, rollbacks and hotfixes, and incidents unrelated to changes.
//
// The portal's effects, once a team has adopted it (see `adoption`):
// - coding, pickup and review times shrink by a quarter, and deployments get 30% more frequent, so change
//   lead time falls by about a quarter;
// - incidents are restored faster: mean time to resolve from about 90 to about 55 minutes;
// - the change fail rate does not move (13%): a metric the portal should show as "no change".
import { DAY_MS, MINUTE_MS } from '@/lib/dates'
import type { IncidentPriority } from '@/lib/domain'
import type { NewDeployment, NewDeploymentPullRequest, NewIncident } from '@/db/schema'
import { activityFactor, days, drift, workingMoment } from './calendar'
import type { IdCounters } from './ids'
import { adoption, type ServicePlan, type TeamPlan, type World } from './plans'
import { draftPullRequests, numberPullRequests, type DraftPullRequest, type PullRequestRow } from './pull-requests'
import { Random } from './random'
import { DEMO_EFFECTS } from './effects'

type DeploymentRow = NewDeployment & { id: number }
type IncidentRow = NewIncident & { id: number }

export interface TeamDelivery {
  pullRequests: PullRequestRow[]
  deployments: DeploymentRow[]
  deploymentPullRequests: NewDeploymentPullRequest[]
  incidents: IncidentRow[]
}

/** Successful production deployments of one service per working day, before the portal (its release cadence). */
const DEPLOYMENTS_PER_SERVICE_DAY = 0.22
/** Gamma shape of the gaps between releases: 1 would be a Poisson process; 4 is a steadier cadence. */
const RELEASE_REGULARITY = 4
const CHANGE_FAIL_RATE = 0.13
const INCIDENTS_PER_SERVICE_DAY = 0.0045
/** Log-normal σ of 0.6 puts the mean at 1.197 × the median: long-tailed, not wild. */
const RESTORE_SIGMA = 0.6
const PRIORITIES: readonly IncidentPriority[] = ['P1', 'P2', 'P3', 'P4', 'P5']
const PRIORITY_WEIGHTS = [0.05, 0.15, 0.35, 0.35, 0.1]

interface DraftDeployment {
  row: Omit<DeploymentRow, 'id'>
  service: ServicePlan
  ships: DraftPullRequest[]
  /** Set on a failed change: what happened next. */
  incident?: Omit<IncidentRow, 'id' | 'causedByDeploymentId'>
}

export function generateTeamDelivery(world: World, team: TeamPlan, ids: IdCounters): TeamDelivery {
  const random = Random.derive(world.options.seed, `delivery:${team.index}`)
  const services = world.services.filter((service) => service.teamIndex === team.index)
  const drafts = draftPullRequests(world, team, services, random)
  const pullRequests = numberPullRequests(world, drafts, ids)
  const deployments = draftDeployments(world, team, services, drafts, random)

  deployments.sort((a, b) => a.row.startedAt.getTime() - b.row.startedAt.getTime() || a.service.index - b.service.index)
  const deploymentRows: DeploymentRow[] = []
  const links: NewDeploymentPullRequest[] = []
  const incidentDrafts: { row: Omit<IncidentRow, 'id'> }[] = []
  const idOf = new Map<DraftPullRequest, number>(drafts.map((draft, i) => [draft, pullRequests.ids[i] as number]))
  for (const deployment of deployments) {
    const id = ++ids.deployment
    deploymentRows.push({ ...deployment.row, id, externalId: `demo-deploy-${id}` })
    for (const shipped of deployment.ships) links.push({ deploymentId: id, pullRequestId: idOf.get(shipped) as number })
    if (deployment.incident) incidentDrafts.push({ row: { ...deployment.incident, causedByDeploymentId: id } })
  }
  for (const incident of spontaneousIncidents(world, team, services, random)) incidentDrafts.push({ row: incident })
  incidentDrafts.sort((a, b) => a.row.openedAt.getTime() - b.row.openedAt.getTime())
  const incidents = incidentDrafts.map(({ row }) => {
    const id = ++ids.incident
    return { ...row, id, externalId: `demo-incident-${id}` }
  })
  return { pullRequests: pullRequests.rows, deployments: deploymentRows, deploymentPullRequests: links, incidents }
}

function draftDeployments(
  world: World,
  team: TeamPlan,
  services: ServicePlan[],
  pullRequests: DraftPullRequest[],
  random: Random,
): DraftDeployment[] {
  const { start, end } = world.timeline
  // Every service has its own release cadence, whatever its share of the team's pull requests: a busy
  // service ships bigger batches, not more often. A team deploys more when it runs more services.
  const deployments: DraftDeployment[] = []
  for (const service of services) {
    const waiting = pullRequests
      .filter((draft) => draft.service === service && draft.row.mergedAt)
      .sort((a, b) => (a.row.mergedAt as Date).getTime() - (b.row.mergedAt as Date).getTime())
    let next = 0
    const shipUpTo = (at: Date) => {
      const shipped: DraftPullRequest[] = []
      while (next < waiting.length && (waiting[next]?.row.mergedAt as Date) <= at)
        shipped.push(waiting[next++] as DraftPullRequest)
      return shipped
    }
    // Releases follow the service's cadence: a renewal process in working time whose gaps are gamma
    // distributed (shape 4: regular, but not clockwork), faster once the team has the portal.
    const live = new Date(Math.max(service.liveAt.getTime(), start.getTime()))
    const moments: Date[] = service.liveAt >= start ? [service.liveAt] : []
    const firstDay = new Date(Math.floor(live.getTime() / DAY_MS) * DAY_MS + (service.liveAt >= start ? DAY_MS : 0))
    let due = random.gammaUnit(RELEASE_REGULARITY)
    for (const day of days(firstDay, end)) {
      due -=
        DEPLOYMENTS_PER_SERVICE_DAY *
        activityFactor(day, 0.1) *
        (1 + DEMO_EFFECTS.deploymentFrequency * adoption(team, day)) *
        drift(start, day, 0.04)
      while (due <= 0) {
        moments.push(workingMoment(random, day))
        due += random.gammaUnit(RELEASE_REGULARITY)
      }
    }
    moments.sort((a, b) => a.getTime() - b.getTime())
    for (const startedAt of moments) {
      const finishedAt = new Date(startedAt.getTime() + random.logNormal(9, 0.5) * MINUTE_MS)
      if (finishedAt >= end) continue
      if (random.chance(0.3)) deployments.push(staging(world, team, service, startedAt, random))
      const failed = random.chance(0.04)
      const deployment: DraftDeployment = {
        service,
        ships: failed ? [] : shipUpTo(startedAt),
        row: production(team, service, startedAt, failed ? null : finishedAt, failed ? 'failure' : 'success', world),
      }
      deployments.push(deployment)
      if (!failed && random.chance(CHANGE_FAIL_RATE))
        deployments.push(...changeFailure(world, team, deployment, random))
    }
  }
  return deployments
}

function production(
  team: TeamPlan,
  service: ServicePlan,
  startedAt: Date,
  finishedAt: Date | null,
  status: 'success' | 'failure',
  world: World,
  flags: { isRollback?: boolean; isHotfix?: boolean } = {},
): Omit<DeploymentRow, 'id'> {
  return {
    source: 'demo',
    externalId: '',
    serviceId: service.row.id,
    repositoryId: service.repoIndex + 1,
    teamId: team.row.id,
    environment: 'production',
    isProduction: true,
    status,
    startedAt,
    finishedAt: finishedAt ?? new Date(startedAt.getTime() + 4 * MINUTE_MS),
    commitSha: null,
    isRollback: flags.isRollback ?? false,
    isHotfix: flags.isHotfix ?? false,
    createdAt: world.timeline.end,
  }
}

function staging(
  world: World,
  team: TeamPlan,
  service: ServicePlan,
  productionAt: Date,
  random: Random,
): DraftDeployment {
  const startedAt = new Date(productionAt.getTime() - random.between(20, 90) * MINUTE_MS)
  return {
    service,
    ships: [],
    row: {
      source: 'demo',
      externalId: '',
      serviceId: service.row.id,
      repositoryId: service.repoIndex + 1,
      teamId: team.row.id,
      environment: 'staging',
      isProduction: false,
      status: 'success',
      startedAt,
      finishedAt: new Date(startedAt.getTime() + random.logNormal(7, 0.4) * MINUTE_MS),
      commitSha: null,
      isRollback: false,
      isHotfix: false,
      createdAt: world.timeline.end,
    },
  }
}

/**
 * A deployment that needed immediate intervention: either it raised an incident (and half of those were
 * rolled back before resolution), or it was rolled back or hot-fixed without one.
 */
function changeFailure(world: World, team: TeamPlan, failed: DraftDeployment, random: Random): DraftDeployment[] {
  const { end } = world.timeline
  const at = failed.row.finishedAt as Date
  const level = adoption(team, at)
  const remediations: DraftDeployment[] = []
  const remediate = (finishedAt: Date, kind: 'rollback' | 'hotfix') => {
    const startedAt = new Date(finishedAt.getTime() - random.between(4, 10) * MINUTE_MS)
    if (finishedAt >= end) return
    remediations.push({
      service: failed.service,
      ships: [],
      row: production(team, failed.service, startedAt, finishedAt, 'success', world, {
        isRollback: kind === 'rollback',
        isHotfix: kind === 'hotfix',
      }),
    })
  }
  if (random.chance(0.45)) {
    const openedAt = new Date(at.getTime() + random.logNormal(12, 0.6) * MINUTE_MS)
    const incident = incidentTimes(team, failed.service, openedAt, level, random, end)
    failed.incident = incident
    if (incident.resolvedAt && random.chance(0.5)) {
      remediate(new Date(incident.resolvedAt.getTime() - random.between(2, 10) * MINUTE_MS), 'rollback')
    }
  } else {
    const delay = random.logNormal(45 * restoreFactor(level), 0.7) * MINUTE_MS
    remediate(new Date(at.getTime() + delay), random.chance(0.6) ? 'rollback' : 'hotfix')
  }
  return remediations
}

/** Mean time to resolve about 90 minutes without the portal, about 55 with it (log-normal). */
function incidentTimes(
  team: TeamPlan,
  service: ServicePlan,
  openedAt: Date,
  level: number,
  random: Random,
  end: Date,
): Omit<IncidentRow, 'id' | 'causedByDeploymentId'> {
  const { before, after } = DEMO_EFFECTS.restoreMinutes
  const meanMinutes = before + (after - before) * level
  const restore = random.logNormal(meanMinutes / Math.exp((RESTORE_SIGMA * RESTORE_SIGMA) / 2), RESTORE_SIGMA)
  const acknowledge = Math.min(restore * 0.8, random.logNormal(4, 0.8))
  const acknowledgedAt = new Date(openedAt.getTime() + acknowledge * MINUTE_MS)
  const resolvedAt = new Date(openedAt.getTime() + restore * MINUTE_MS)
  const resolved = resolvedAt < end
  return {
    source: 'demo',
    externalId: '',
    serviceId: service.row.id,
    teamId: team.row.id,
    title: `${service.row.name}: ${random.pick(['elevated error rate', 'latency above SLO', 'failing health checks', 'queue backlog growing', '5xx on checkout path', 'database connections exhausted'])}`,
    priority: random.weighted(PRIORITIES, PRIORITY_WEIGHTS),
    urgency: random.chance(0.3) ? 'low' : 'high',
    status: resolved ? 'resolved' : acknowledgedAt < end ? 'acknowledged' : 'triggered',
    openedAt,
    acknowledgedAt: acknowledgedAt < end ? acknowledgedAt : null,
    resolvedAt: resolved ? resolvedAt : null,
    url: null,
    createdAt: end,
  }
}

/** How much faster recovery is at adoption level `level`: 55/90 at full adoption. */
function restoreFactor(level: number): number {
  const { before, after } = DEMO_EFFECTS.restoreMinutes
  return 1 + ((after - before) / before) * level
}

function spontaneousIncidents(
  world: World,
  team: TeamPlan,
  services: ServicePlan[],
  random: Random,
): Omit<IncidentRow, 'id'>[] {
  const { start, end } = world.timeline
  const incidents: Omit<IncidentRow, 'id'>[] = []
  for (const service of services) {
    const from = new Date(Math.max(service.liveAt.getTime(), start.getTime()))
    for (const day of days(new Date(Math.ceil(from.getTime() / DAY_MS) * DAY_MS), end)) {
      if (!random.chance(INCIDENTS_PER_SERVICE_DAY)) continue
      const openedAt = new Date(day.getTime() + random.next() * DAY_MS)
      if (openedAt >= end) continue
      const level = adoption(team, openedAt)
      incidents.push({ ...incidentTimes(team, service, openedAt, level, random, end), causedByDeploymentId: null })
    }
  }
  return incidents
}
