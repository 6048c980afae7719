// Delivery facts: pull requests, deployments and what each shipped, incidents and what caused them.
import { sql } from 'drizzle-orm'
import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core'
import { createdAt, id, instant, ref } from './columns'
import {
  deploymentSource,
  deploymentStatus,
  incidentPriority,
  incidentSource,
  incidentStatus,
  pullRequestState,
} from './enums'
import { people, repositories, services, teams } from './organisation'

export const pullRequests = pgTable(
  'pull_requests',
  {
    id: id(),
    provider: text('provider').notNull().default('github'),
    /** The upstream's stable id (GitHub node id): upserts key on it. */
    externalId: text('external_id').notNull(),
    repositoryId: ref('repository_id')
      .notNull()
      .references(() => repositories.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    title: text('title').notNull().default(''),
    authorLogin: text('author_login'),
    authorPersonId: ref('author_person_id').references(() => people.id, { onDelete: 'set null' }),
    /** The author's team when the pull request was opened (see team_memberships). */
    teamId: ref('team_id').references(() => teams.id, { onDelete: 'set null' }),
    state: pullRequestState('state').notNull(),
    isDraft: boolean('is_draft').notNull().default(false),
    firstCommitAt: instant('first_commit_at'),
    openedAt: instant('opened_at').notNull(),
    firstReviewAt: instant('first_review_at'),
    approvedAt: instant('approved_at'),
    mergedAt: instant('merged_at'),
    closedAt: instant('closed_at'),
    additions: integer('additions').notNull().default(0),
    deletions: integer('deletions').notNull().default(0),
    changedFiles: integer('changed_files').notNull().default(0),
    commits: integer('commits').notNull().default(0),
    headRef: text('head_ref'),
    mergeCommitSha: text('merge_commit_sha'),
    /** The last commit of the pull request's branch: a deployment of it ships the pull request too. */
    headSha: text('head_sha'),
    upstreamUpdatedAt: instant('upstream_updated_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('pull_requests_provider_external_idx').on(t.provider, t.externalId),
    uniqueIndex('pull_requests_repository_number_idx').on(t.repositoryId, t.number),
    // throughput and flow per team × week
    index('pull_requests_team_merged_idx').on(t.teamId, t.mergedAt),
    // a rollup refresh: the pull requests merged in the weeks it recomputes, whatever their team
    index('pull_requests_merged_idx').on(t.mergedAt),
    // the rollups' span: the first week with a fact (db/queries/rollups.ts, factWeeks)
    index('pull_requests_opened_idx').on(t.openedAt),
    // onboarding: a person's first and tenth merged pull request
    index('pull_requests_author_merged_idx').on(t.authorPersonId, t.mergedAt),
    // linking a deployment's commit to the pull request that produced it
    index('pull_requests_merge_commit_idx').on(t.mergeCommitSha),
    index('pull_requests_head_sha_idx').on(t.headSha),
  ],
)

export const deployments = pgTable(
  'deployments',
  {
    id: id(),
    source: deploymentSource('source').notNull(),
    externalId: text('external_id').notNull(),
    serviceId: ref('service_id').references(() => services.id, { onDelete: 'set null' }),
    repositoryId: ref('repository_id').references(() => repositories.id, { onDelete: 'set null' }),
    /** The owning team of the service at deployment time. */
    teamId: ref('team_id').references(() => teams.id, { onDelete: 'set null' }),
    environment: text('environment').notNull(),
    isProduction: boolean('is_production').notNull(),
    status: deploymentStatus('status').notNull(),
    startedAt: instant('started_at').notNull(),
    finishedAt: instant('finished_at'),
    commitSha: text('commit_sha'),
    /** What was deployed as named upstream: a branch, a tag (a release), a ref. */
    ref: text('ref'),
    /** Rework (DORA 2024): an unplanned deployment that undoes a previous one... */
    isRollback: boolean('is_rollback').notNull().default(false),
    /** ...or that fixes one in a hurry. */
    isHotfix: boolean('is_hotfix').notNull().default(false),
    /** The pull requests it shipped have been worked out (a collector compares it with the deployment before). */
    changesLinked: boolean('changes_linked').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('deployments_source_external_idx').on(t.source, t.externalId),
    // deployment frequency, change fail rate per team × week: successful production deployments
    // a rollup refresh: the deployments that finished in the weeks it recomputes (and the changes they shipped)
    index('deployments_finished_idx').on(t.finishedAt),
    index('deployments_team_finished_prod_idx')
      .on(t.teamId, t.finishedAt)
      .where(sql`${t.isProduction} and ${t.status} = 'success'`),
    // "the next deployment of this service" (rollback / hotfix detection, recovery)
    index('deployments_service_finished_idx').on(t.serviceId, t.finishedAt),
  ],
)

/** The pull requests each deployment shipped (change lead time runs first commit → this deployment). */
export const deploymentPullRequests = pgTable(
  'deployment_pull_requests',
  {
    deploymentId: ref('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    pullRequestId: ref('pull_request_id')
      .notNull()
      .references(() => pullRequests.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.deploymentId, t.pullRequestId] }),
    // a pull request's first production deployment
    index('deployment_pull_requests_pr_idx').on(t.pullRequestId),
  ],
)

export const incidents = pgTable(
  'incidents',
  {
    id: id(),
    source: incidentSource('source').notNull(),
    externalId: text('external_id').notNull(),
    serviceId: ref('service_id').references(() => services.id, { onDelete: 'set null' }),
    teamId: ref('team_id').references(() => teams.id, { onDelete: 'set null' }),
    title: text('title').notNull().default(''),
    priority: incidentPriority('priority'),
    urgency: text('urgency'),
    status: incidentStatus('status').notNull(),
    openedAt: instant('opened_at').notNull(),
    acknowledgedAt: instant('acknowledged_at'),
    resolvedAt: instant('resolved_at'),
    /** The deployment that caused it, when known: makes that deployment a change failure. */
    causedByDeploymentId: ref('caused_by_deployment_id').references((): AnyPgColumn => deployments.id, {
      onDelete: 'set null',
    }),
    /** What the upstream names as the cause (a commit SHA or a deployment id), resolved to `caused_by_deployment_id` when that deployment is known. */
    deploymentRef: text('deployment_ref'),
    url: text('url'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('incidents_source_external_idx').on(t.source, t.externalId),
    // time to restore per team × week
    index('incidents_team_opened_idx').on(t.teamId, t.openedAt),
    // the rollups' span: the first and last week with a fact
    index('incidents_opened_idx').on(t.openedAt),
    // change failures: deployments with a linked incident
    index('incidents_caused_by_idx').on(t.causedByDeploymentId),
  ],
)

export type PullRequest = typeof pullRequests.$inferSelect
export type NewPullRequest = typeof pullRequests.$inferInsert
export type Deployment = typeof deployments.$inferSelect
export type NewDeployment = typeof deployments.$inferInsert
export type DeploymentPullRequest = typeof deploymentPullRequests.$inferSelect
export type NewDeploymentPullRequest = typeof deploymentPullRequests.$inferInsert
export type Incident = typeof incidents.$inferSelect
export type NewIncident = typeof incidents.$inferInsert
