// Postgres enums, built from the vocabularies in lib/domain.ts so the database, zod and the UI agree.
import { pgEnum } from 'drizzle-orm/pg-core'
import {
  deliveryCadences,
  deliveryChannels,
  deliveryStatuses,
  deploymentSources,
  deploymentStatuses,
  incidentPriorities,
  incidentSources,
  incidentStatuses,
  initiativeTeamRoles,
  milestoneKinds,
  pullRequestStates,
  scaffolderStatuses,
  serviceOrigins,
  studyPhases,
  syncStatuses,
  useCases,
} from '@/lib/domain'

export const pullRequestState = pgEnum('pull_request_state', pullRequestStates)
export const deploymentStatus = pgEnum('deployment_status', deploymentStatuses)
export const deploymentSource = pgEnum('deployment_source', deploymentSources)
export const incidentSource = pgEnum('incident_source', incidentSources)
export const incidentPriority = pgEnum('incident_priority', incidentPriorities)
export const incidentStatus = pgEnum('incident_status', incidentStatuses)
export const scaffolderStatus = pgEnum('scaffolder_status', scaffolderStatuses)
export const serviceOrigin = pgEnum('service_origin', serviceOrigins)
export const studyPhase = pgEnum('study_phase', studyPhases)
export const useCase = pgEnum('use_case', useCases)
export const initiativeTeamRole = pgEnum('initiative_team_role', initiativeTeamRoles)
export const milestoneKind = pgEnum('milestone_kind', milestoneKinds)
export const syncStatus = pgEnum('sync_status', syncStatuses)
export const deliveryCadence = pgEnum('delivery_cadence', deliveryCadences)
export const deliveryChannel = pgEnum('delivery_channel', deliveryChannels)
export const deliveryStatus = pgEnum('delivery_status', deliveryStatuses)
