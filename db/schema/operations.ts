// Operations: every sync run with its outcome, the resume point of each source, and team × week rollups.
import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { createdAt, day, id, instant, ref } from './columns'
import { syncStatus } from './enums'
import { teams } from './organisation'

export const syncRuns = pgTable(
  'sync_runs',
  {
    id: id(),
    /** github, pagerduty, opsgenie, backstage, csv:<kind>, demo */
    source: text('source').notNull(),
    /** What the run covered: a repository, a service, a file. */
    scope: text('scope').notNull(),
    startedAt: instant('started_at').notNull().defaultNow(),
    finishedAt: instant('finished_at'),
    /** A run that skipped or failed any item ends partial, never success. */
    status: syncStatus('status').notNull().default('running'),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    error: text('error'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    /** A running run touches this every few seconds; a stale one belongs to a process that died. */
    heartbeatAt: instant('heartbeat_at').notNull().defaultNow(),
    /** The process running it, as host:pid: on the same host, the next run sees at once that it is gone. */
    owner: text('owner'),
  },
  (t) => [
    // data sources page: the latest runs of each source
    index('sync_runs_source_started_idx').on(t.source, t.scope, t.startedAt),
    // at most one running run per source and scope: a second start fails on this index (both engines;
    // advisory locks cannot do it on the embedded database, whose connections share one session)
    uniqueIndex('sync_runs_one_running_idx')
      .on(t.source, t.scope)
      .where(sql`${t.status} = 'running'`),
  ],
)

/** Where each source and scope resumes: a page cursor during a run, a watermark between runs. */
export const syncState = pgTable(
  'sync_state',
  {
    source: text('source').notNull(),
    scope: text('scope').notNull(),
    cursor: jsonb('cursor').$type<Record<string, unknown>>(),
    /** Start time of the last successful run: the next run fetches what changed since. */
    watermark: instant('watermark'),
    /** ETags of polled URLs: a 304 answer means nothing changed and costs no rate limit. */
    etags: jsonb('etags')
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.scope] })],
)

/**
 * Team × week rollups of the facts (weeks start on Monday, UTC), recomputed only for the weeks writes queued
 * (dirty_weeks). Counts for rates, and the individual values (sorted) for durations, so medians, percentiles and
 * bootstrap resampling by team-week all read from here. Which week a value belongs to is in docs/metrics.md.
 */
export const rollupsTeamWeeks = pgTable(
  'rollups_team_weeks',
  {
    teamId: ref('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    weekStart: day('week_start').notNull(),
    /** Members of the team on the week's Monday. */
    engineers: integer('engineers').notNull().default(0),
    /** Services (deployment streams) the team had deployed to production by the end of the week. */
    liveServices: integer('live_services').notNull().default(0),
    mergedPullRequests: integer('merged_pull_requests').notNull().default(0),
    /** Successful production deployments. */
    deployments: integer('deployments').notNull().default(0),
    changeFailures: integer('change_failures').notNull().default(0),
    reworkDeployments: integer('rework_deployments').notNull().default(0),
    /** Hours from first commit to first production deployment, of changes first deployed this week. */
    leadTimeHours: doublePrecision('lead_time_hours')
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** Minutes to recover, of this week's change failures that have recovered. */
    recoveryMinutes: doublePrecision('recovery_minutes')
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** Flow phases in hours, of pull requests merged this week. */
    codingHours: doublePrecision('coding_hours')
      .array()
      .notNull()
      .default(sql`'{}'`),
    pickupHours: doublePrecision('pickup_hours')
      .array()
      .notNull()
      .default(sql`'{}'`),
    reviewHours: doublePrecision('review_hours')
      .array()
      .notNull()
      .default(sql`'{}'`),
    deployHours: doublePrecision('deploy_hours')
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** First commit → first production deployment, of pull requests merged this week and deployed. */
    cycleHours: doublePrecision('cycle_hours')
      .array()
      .notNull()
      .default(sql`'{}'`),
    incidents: integer('incidents').notNull().default(0),
    /** Minutes from opened to resolved, of incidents opened this week and resolved. */
    restoreMinutes: doublePrecision('restore_minutes')
      .array()
      .notNull()
      .default(sql`'{}'`),
    acknowledgeMinutes: doublePrecision('acknowledge_minutes')
      .array()
      .notNull()
      .default(sql`'{}'`),
    /**
     * Active engineers: people on the team on the week's Monday who used the portal that week (person ids), so
     * active ÷ engineers is at most 100% (lib/metrics/adoption.ts).
     */
    portalUsers: text('portal_users')
      .array()
      .notNull()
      .default(sql`'{}'`),
    refreshedAt: instant('refreshed_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.weekStart] }),
    // organisation-wide trends: all teams for a range of weeks
    index('rollups_team_weeks_week_idx').on(t.weekStart),
  ],
)

/**
 * Weeks whose rollups are stale: written by triggers on the facts (migration 0011), in the transaction that
 * changed them, so no writer can commit facts without queuing their weeks. `from_week` null means from the
 * first week, `to_week` null up to the last. Drained by one serialized refresh (db/queries/rollups.ts,
 * drainDirtyWeeks), which deletes the rows it recomputes in the transaction that recomputes them.
 */
export const dirtyWeeks = pgTable('dirty_weeks', {
  id: id(),
  fromWeek: day('from_week'),
  toWeek: day('to_week'),
  queuedAt: instant('queued_at').notNull().defaultNow(),
})

/**
 * One row: the weeks the rollups cover, from the week of the first fact to the week of the last. A clean
 * recomputation covers exactly these weeks; when new facts widen the span, the weeks between are refreshed too.
 */
export const rollupSpan = pgTable(
  'rollup_span',
  {
    id: smallint('id').primaryKey().default(1),
    firstWeek: day('first_week'),
    lastWeek: day('last_week'),
  },
  (t) => [check('rollup_span_one_row', sql`${t.id} = 1`)],
)

/**
 * One row: a number that goes up with every committed change the dashboards' read models depend on. Caches
 * of read models (lib/data/read-cache.ts) are keyed on it, so one indexed read per request tells every web
 * process whether what it holds is current. Who moves it (migration 0006): a sync run's completion, a rollup
 * refresh (db/queries/rollups.ts), and any change to the organisation, initiatives, milestones, survey waves,
 * ROI assumptions or settings, each at its transaction's commit. Facts (pull requests, deployments,
 * incidents, survey answers, portal events, scaffolder runs) count once their sync completes or their weeks
 * are refreshed.
 */
export const dataVersion = pgTable(
  'data_version',
  {
    id: smallint('id').primaryKey().default(1),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    changedAt: instant('changed_at').notNull().defaultNow(),
  },
  (t) => [check('data_version_one_row', sql`${t.id} = 1`)],
)

/** Organisation-wide settings that change how metrics are computed (each change recomputes the rollups). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
})

/** GitHub webhook deliveries: deduplicated on GitHub's delivery id, queued, then processed. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    deliveryId: text('delivery_id').primaryKey(),
    event: text('event').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    receivedAt: instant('received_at').notNull().defaultNow(),
    processedAt: instant('processed_at'),
    error: text('error'),
  },
  (t) => [
    // the queue: unprocessed deliveries in arrival order
    index('webhook_deliveries_pending_idx')
      .on(t.receivedAt)
      .where(sql`${t.processedAt} is null`),
  ],
)

/** Tokens for machines (e.g. the portal-events forwarder): only a hash is kept; shown once when made. */
export const apiTokens = pgTable('api_tokens', {
  id: id(),
  name: text('name').notNull(),
  /** SHA-256 of the token, hex. */
  tokenHash: text('token_hash').notNull().unique(),
  scopes: text('scopes').array().notNull(),
  createdAt: createdAt(),
  lastUsedAt: instant('last_used_at'),
  revokedAt: instant('revoked_at'),
})

export type SyncRun = typeof syncRuns.$inferSelect
export type NewSyncRun = typeof syncRuns.$inferInsert
export type SyncState = typeof syncState.$inferSelect
export type NewSyncState = typeof syncState.$inferInsert
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect
export type ApiToken = typeof apiTokens.$inferSelect
export type RollupTeamWeek = typeof rollupsTeamWeeks.$inferSelect
export type Setting = typeof settings.$inferSelect

/**
 * Read models stored once computed (lib/data/read-cache.ts): the answer to a page's question (`name` and its
 * `inputs`, the cache key), with the data version and day it was computed for. Every web process and worker
 * shares them, so an answer computed by one (or by the standing-answers job after a rollup refresh) is served
 * by all; a standing page serves its last answer, saying "as of", while a newer one computes. Not a fact:
 * writing here moves no data version.
 */
export const readModels = pgTable(
  'read_models',
  {
    name: text('name').notNull(),
    inputs: text('inputs').notNull(),
    day: day('day').notNull(),
    dataVersion: bigint('data_version', { mode: 'number' }).notNull(),
    computedAt: instant('computed_at').notNull().defaultNow(),
    /** The answer as JSON, with dates and non-finite numbers tagged (lib/data/stored-json.ts). */
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.inputs] }), index('read_models_computed_at').on(t.computedAt)],
)
