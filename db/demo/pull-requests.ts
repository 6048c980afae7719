// One team's pull requests: each engineer opens them on working days at a steady pace (new hires start with
// a first pull request timed to their onboarding, then ramp up), through coding, pickup, review and merge.
// Once the team has the portal, each phase takes a quarter less time.
import { DAY_MS, HOUR_MS } from '@/lib/dates'
import type { NewPullRequest } from '@/db/schema'
import { activityFactor, days, drift, workingMoment } from './calendar'
import type { IdCounters } from './ids'
import { adoption, type PersonPlan, type ServicePlan, type TeamPlan, type World } from './plans'
import type { Random } from './random'
import { DEMO_EFFECTS } from './effects'

export type PullRequestRow = NewPullRequest & { id: number }

export interface DraftPullRequest {
  row: Omit<PullRequestRow, 'id' | 'number'>
  service: ServicePlan
}

/** Pull requests a tenured engineer opens per working day. */
const PULL_REQUESTS_PER_DAY = 0.42

export function draftPullRequests(
  world: World,
  team: TeamPlan,
  services: ServicePlan[],
  random: Random,
): DraftPullRequest[] {
  const { start, end } = world.timeline
  const drafts: DraftPullRequest[] = []
  for (const person of world.people) {
    for (const stint of person.stints) {
      if (stint.teamIndex !== team.index) continue
      const from = new Date(Math.max(stint.from.getTime(), start.getTime()))
      const to = new Date(Math.min((stint.to ?? end).getTime(), end.getTime()))
      if (person.firstMergeAt && person.firstMergeAt >= from && person.firstMergeAt < to) {
        const firstMerge = person.firstMergeAt
        const draft = firstPullRequest(world, team, services, person, firstMerge, random)
        if (draft) drafts.push(draft)
      }
      for (const day of days(from, to)) {
        const rampUp = person.firstMergeAt ? rampAfterFirstMerge(person.firstMergeAt, day) : 1
        if (rampUp === 0) continue
        const rate =
          PULL_REQUESTS_PER_DAY *
          activityFactor(day) *
          rampUp *
          (1 + DEMO_EFFECTS.throughput * adoption(team, day)) *
          drift(start, day, 0.03)
        for (let n = random.poisson(rate); n > 0; n--) {
          const draft = pullRequest(world, team, services, person, workingMoment(random, day), random)
          if (draft) drafts.push(draft)
        }
      }
    }
  }
  return drafts
}

/** A new hire works up to full pace over two months after the first merge. */
function rampAfterFirstMerge(firstMergeAt: Date, day: Date): number {
  const since = (day.getTime() - firstMergeAt.getTime()) / DAY_MS
  if (since < 1) return 0
  return Math.min(1, 0.3 + (0.7 * since) / 60)
}

function pickService(services: ServicePlan[], at: Date, random: Random): ServicePlan | null {
  const open = services.filter((service) => (service.row.createdAt as Date) <= at)
  if (open.length === 0) return null
  return random.weighted(
    open,
    open.map((service) => service.weight),
  )
}

/** Phase durations in hours, shortened by a quarter once the team has the portal. */
function phases(team: TeamPlan, at: Date, random: Random) {
  const factor = 1 + DEMO_EFFECTS.flowPhases * adoption(team, at)
  return {
    coding: random.logNormal(14 * factor, 0.9),
    pickup: random.logNormal(4 * factor, 1.0),
    review: random.logNormal(8 * factor, 0.9),
  }
}

function pullRequest(
  world: World,
  team: TeamPlan,
  services: ServicePlan[],
  person: PersonPlan,
  firstCommitAt: Date,
  random: Random,
): DraftPullRequest | null {
  const service = pickService(services, firstCommitAt, random)
  if (!service) return null
  const { coding, pickup, review } = phases(team, firstCommitAt, random)
  const openedAt = new Date(firstCommitAt.getTime() + coding * HOUR_MS)
  const firstReviewAt = new Date(openedAt.getTime() + pickup * HOUR_MS)
  const abandoned = random.chance(0.07)
  const mergedAt = abandoned ? null : new Date(firstReviewAt.getTime() + review * HOUR_MS)
  const closedAt = abandoned ? new Date(openedAt.getTime() + random.logNormal(40, 1) * HOUR_MS) : mergedAt
  const approvedAt = mergedAt ? new Date(firstReviewAt.getTime() + review * random.between(0.6, 0.95) * HOUR_MS) : null
  return draft(world, team, service, person, random, {
    firstCommitAt,
    openedAt,
    firstReviewAt,
    approvedAt,
    mergedAt,
    closedAt,
  })
}

/** A new hire's first pull request, timed so that it merges at `firstMergeAt`. */
function firstPullRequest(
  world: World,
  team: TeamPlan,
  services: ServicePlan[],
  person: PersonPlan,
  mergedAt: Date,
  random: Random,
): DraftPullRequest | null {
  const service = pickService(services, mergedAt, random)
  if (!service) return null
  const { coding, pickup, review } = phases(team, mergedAt, random)
  const total = Math.min(coding + pickup + review, ((mergedAt.getTime() - person.start.getTime()) / HOUR_MS) * 0.8)
  const scale = total / (coding + pickup + review)
  const firstCommitAt = new Date(mergedAt.getTime() - total * HOUR_MS)
  const openedAt = new Date(firstCommitAt.getTime() + coding * scale * HOUR_MS)
  const firstReviewAt = new Date(openedAt.getTime() + pickup * scale * HOUR_MS)
  const approvedAt = new Date(firstReviewAt.getTime() + review * scale * 0.8 * HOUR_MS)
  return draft(world, team, service, person, random, {
    firstCommitAt,
    openedAt,
    firstReviewAt,
    approvedAt,
    mergedAt,
    closedAt: mergedAt,
  })
}

function draft(
  world: World,
  team: TeamPlan,
  service: ServicePlan,
  person: PersonPlan,
  random: Random,
  times: Record<'firstCommitAt' | 'openedAt' | 'firstReviewAt' | 'approvedAt' | 'mergedAt' | 'closedAt', Date | null>,
): DraftPullRequest | null {
  const { end } = world.timeline
  const openedAt = times.openedAt as Date
  if (openedAt >= end) return null
  // What has not happened by the end of the data has not happened.
  const seen = (date: Date | null) => (date && date < end ? date : null)
  const mergedAt = seen(times.mergedAt)
  const closedAt = seen(times.closedAt)
  const additions = Math.round(random.logNormal(80, 1.1))
  return {
    service,
    row: {
      provider: 'github',
      externalId: '', // set with the number
      repositoryId: service.repoIndex + 1,
      title: `${random.pick(['Add', 'Fix', 'Refactor', 'Update', 'Remove', 'Speed up'])} ${random.pick(['retry logic', 'validation', 'pagination', 'logging', 'schema', 'feature flag', 'cache', 'tests', 'metrics', 'config'])}`,
      authorLogin: person.row.login,
      authorPersonId: person.row.id,
      teamId: team.row.id,
      state: mergedAt ? 'merged' : closedAt ? 'closed' : 'open',
      isDraft: false,
      firstCommitAt: times.firstCommitAt,
      openedAt,
      firstReviewAt: seen(times.firstReviewAt),
      approvedAt: seen(times.approvedAt),
      mergedAt,
      closedAt,
      additions,
      deletions: Math.round(additions * random.between(0.1, 0.8)),
      changedFiles: 1 + Math.round(random.logNormal(3, 0.8)),
      commits: 1 + random.poisson(2),
      headRef: null,
      mergeCommitSha: mergedAt ? random.hex(40) : null,
      upstreamUpdatedAt: closedAt ?? seen(times.firstReviewAt) ?? openedAt,
      createdAt: end,
    },
  }
}

/** Numbers pull requests per repository in the order they were opened, and gives them ids. */
export function numberPullRequests(
  world: World,
  drafts: DraftPullRequest[],
  ids: IdCounters,
): { rows: PullRequestRow[]; ids: number[] } {
  const order = drafts
    .map((draft, index) => ({ draft, index }))
    .sort((a, b) => a.draft.row.openedAt.getTime() - b.draft.row.openedAt.getTime() || a.index - b.index)
  const nextNumber = new Map<number, number>()
  const rows: PullRequestRow[] = []
  const idByIndex: number[] = Array.from({ length: drafts.length }, () => 0)
  for (const { draft, index } of order) {
    const repoId = draft.row.repositoryId
    const number = (nextNumber.get(repoId) ?? 0) + 1
    nextNumber.set(repoId, number)
    const id = ++ids.pullRequest
    const repo = world.repos[repoId - 1]
    rows.push({
      ...draft.row,
      id,
      number,
      externalId: `PR_demo_${repoId}_${number}`,
      headRef: `${repo?.row.name ?? 'repo'}/change-${number}`,
    })
    idByIndex[index] = id
  }
  return { rows, ids: idByIndex }
}
