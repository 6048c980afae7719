// The facts the pure metric functions read: plain rows, shaped like the database's but independent of it
// (lib/metrics imports no database code). Times are instants in UTC.

export interface DeploymentFact {
  id: number
  teamId: number | null
  serviceId: number | null
  repositoryId: number | null
  isProduction: boolean
  status: string
  finishedAt: Date | null
  isRollback: boolean
  isHotfix: boolean
}

export interface IncidentFact {
  id: number
  teamId: number | null
  openedAt: Date
  acknowledgedAt: Date | null
  resolvedAt: Date | null
  causedByDeploymentId: number | null
}

export interface PullRequestFact {
  id: number
  teamId: number | null
  authorPersonId: number | null
  firstCommitAt: Date | null
  openedAt: Date
  firstReviewAt: Date | null
  mergedAt: Date | null
}

export interface DeploymentLinkFact {
  deploymentId: number
  pullRequestId: number
}

export interface MembershipFact {
  personId: number
  teamId: number
  /** 'YYYY-MM-DD', inclusive. */
  validFrom: string
  /** 'YYYY-MM-DD', exclusive; null while current. */
  validTo: string | null
}

export interface PortalEventFact {
  teamId: number | null
  userRef: string | null
  occurredAt: Date
}

export const HOUR = 3_600_000
export const MINUTE = 60_000
