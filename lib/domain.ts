// The domain's closed vocabularies, declared once and reused by the database enums (db/schema), the zod
// schemas at the edges and the UI. Leaf module: imports nothing of ours.

export const pullRequestStates = ['open', 'closed', 'merged'] as const
export type PullRequestState = (typeof pullRequestStates)[number]

/** Normalised from GitHub deployment statuses (error → failure; inactive → success, it was superseded). */
export const deploymentStatuses = ['queued', 'in_progress', 'success', 'failure', 'cancelled'] as const
export type DeploymentStatus = (typeof deploymentStatuses)[number]

export const deploymentSources = [
  'github_deployments',
  'github_actions',
  'github_releases',
  'gitlab',
  'webhook',
  'csv',
  'demo',
] as const
export type DeploymentSource = (typeof deploymentSources)[number]

/** github_issues: issues with an incident label, for teams without an incident tool. */
export const incidentSources = ['pagerduty', 'opsgenie', 'github_issues', 'gitlab', 'csv', 'demo'] as const
export type IncidentSource = (typeof incidentSources)[number]

/** PagerDuty priorities and Opsgenie priorities are both P1 (highest) to P5. */
export const incidentPriorities = ['P1', 'P2', 'P3', 'P4', 'P5'] as const
export type IncidentPriority = (typeof incidentPriorities)[number]

export const incidentStatuses = ['triggered', 'acknowledged', 'resolved'] as const
export type IncidentStatus = (typeof incidentStatuses)[number]

/** Backstage scaffolder task statuses. */
export const scaffolderStatuses = ['open', 'processing', 'completed', 'failed', 'cancelled', 'skipped'] as const
export type ScaffolderStatus = (typeof scaffolderStatuses)[number]

/** How a service came to exist: from a portal template, or set up by hand. */
export const serviceOrigins = ['template', 'manual', 'unknown'] as const
export type ServiceOrigin = (typeof serviceOrigins)[number]

/** A time-in-motion study's two phases: before the portal (or its docs) and after. */
export const studyPhases = ['before', 'after'] as const
export type StudyPhase = (typeof studyPhases)[number]

/** Look-ups a study can time when nothing is recorded yet: everyday questions central docs should answer. */
export const DEFAULT_STUDY_TASKS = [
  'Find the runbook for a service’s on-call alert',
  'Find which team owns a service and how to reach them',
  'Find how to get access to the staging database',
  'Find the API reference of an internal service',
  'Find how to create a new service from the standard template',
  'Find how a service is deployed to production',
] as const

/** The seed's use cases, each measured before vs after. */
export const useCases = [
  'developer_experience',
  'onboarding',
  'scaffolding',
  'delivery',
  'incident_response',
  'docs',
] as const
export type UseCase = (typeof useCases)[number]

/** The use cases in words, for forms and pages. */
export const useCaseLabels: Record<UseCase, string> = {
  developer_experience: 'Developer experience',
  onboarding: 'New-hire onboarding',
  scaffolding: 'Service scaffolding',
  delivery: 'Delivery throughput',
  incident_response: 'Incident response',
  docs: 'Docs find-time',
}

export const initiativeTeamRoles = ['pilot', 'control'] as const
export type InitiativeTeamRole = (typeof initiativeTeamRoles)[number]

export const milestoneKinds = [
  'portal_launch',
  'catalog_launch',
  'techdocs_launch',
  'scaffolder_launch',
  'other',
] as const
export type MilestoneKind = (typeof milestoneKinds)[number]

/** The milestone kinds in words, for forms, charts and imports. */
export const milestoneKindLabels: Record<MilestoneKind, string> = {
  portal_launch: 'Portal launch',
  catalog_launch: 'Catalog launch',
  techdocs_launch: 'TechDocs launch',
  scaffolder_launch: 'Scaffolder launch',
  other: 'Other event',
}

/** What a CSV import can hold (collectors/csv/kinds.ts has each kind's columns). */
export const importKinds = [
  'roster',
  'repositories',
  'survey',
  'deployments',
  'incidents',
  'portal-usage',
  'milestones',
  'pull-requests',
  'services',
  'study',
] as const
export type ImportKind = (typeof importKinds)[number]

export const syncStatuses = ['running', 'success', 'partial', 'failed'] as const
export type SyncStatus = (typeof syncStatuses)[number]

/**
 * Which signals make a successful production deployment a change failure: a linked incident, and/or a
 * rollback or hotfix as the next deployment of the same service within `windowHours`. Per organisation.
 */
export interface ChangeFailureRule {
  incidents: boolean
  rollbacks: boolean
  hotfixes: boolean
  windowHours: number
}

export const DEFAULT_CHANGE_FAILURE_RULE: ChangeFailureRule = {
  incidents: true,
  rollbacks: true,
  hotfixes: true,
  windowHours: 24,
}

/**
 * One team's week (Monday, UTC) of rolled-up facts: counts, and the individual durations (sorted) that
 * medians and the bootstrap need. Computed by db/queries/rollup-rows.ts and, from raw facts, by
 * lib/metrics/team-weeks.ts; which week each value belongs to is documented there.
 */
export type TeamWeek = {
  teamId: number
  weekStart: string
  engineers: number
  liveServices: number
  mergedPullRequests: number
  deployments: number
  changeFailures: number
  reworkDeployments: number
  leadTimeHours: number[]
  recoveryMinutes: number[]
  codingHours: number[]
  pickupHours: number[]
  reviewHours: number[]
  deployHours: number[]
  cycleHours: number[]
  incidents: number
  restoreMinutes: number[]
  acknowledgeMinutes: number[]
  portalUsers: string[]
}

/** How often a subscription sends the one-pager. */
export const deliveryCadences = ['weekly', 'monthly'] as const
export type DeliveryCadence = (typeof deliveryCadences)[number]

/** Where it goes: e-mail over SMTP, or Slack (an incoming webhook, or a bot token and a channel). */
export const deliveryChannels = ['email', 'slack'] as const
export type DeliveryChannel = (typeof deliveryChannels)[number]

/** A delivery: waiting for its (next) attempt, sent, or given up after its last retry. */
export const deliveryStatuses = ['pending', 'sent', 'failed'] as const
export type DeliveryStatus = (typeof deliveryStatuses)[number]
