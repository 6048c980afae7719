// Publishing the numbers: goals set for a pilot's metrics before it starts, one-pagers sent on a schedule
// (subscriptions, their deliveries and each attempt), the snapshot kept of every one-pager sent, and the
// expiring, revocable share links that open one snapshot without an account. Secrets (an SMTP password, a Slack
// webhook URL or bot token) are stored only as AES-GCM ciphertext (lib/secrets.ts); `*_hint` columns hold a
// few characters to recognise them by, never enough to use them.
import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { bytes, createdAt, day, id, instant, ref } from './columns'
import { deliveryCadence, deliveryChannel, deliveryStatus } from './enums'
import { initiatives } from './evidence'

/** A target for one of an initiative's metrics: "ramp-up from 14 days to 7 by June". */
export const initiativeGoals = pgTable(
  'initiative_goals',
  {
    id: id(),
    initiativeId: ref('initiative_id')
      .notNull()
      .references(() => initiatives.id, { onDelete: 'cascade' }),
    /** A metric key of lib/metrics/comparable.ts. */
    metric: text('metric').notNull(),
    /** The pilot teams' value to reach, in the metric's unit. */
    target: doublePrecision('target').notNull(),
    dueOn: day('due_on').notNull(),
    setBy: text('set_by').notNull(),
    setAt: instant('set_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('initiative_goals_metric_idx').on(t.initiativeId, t.metric)],
)

/** The SMTP server deliveries go through (one row; UPSHOT_SMTP_URL stands in while there is none). */
export const smtpSettings = pgTable(
  'smtp_settings',
  {
    id: integer('id').primaryKey().default(1),
    host: text('host').notNull(),
    port: integer('port').notNull(),
    /** TLS from the first byte (port 465); else STARTTLS when the server offers it. */
    secure: boolean('secure').notNull().default(false),
    username: text('username'),
    /** lib/secrets.ts ciphertext. */
    passwordSecret: text('password_secret'),
    fromAddress: text('from_address').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('smtp_settings_one_row', sql`${t.id} = 1`),
    check('smtp_settings_port', sql`${t.port} between 1 and 65535`),
  ],
)

/** A one-pager (the organisation's, or one initiative's) sent weekly or monthly to e-mail or Slack. */
export const reportSubscriptions = pgTable(
  'report_subscriptions',
  {
    id: id(),
    name: text('name').notNull(),
    /** null: the organisation's one-pager (the latest launched initiative at the time of sending). */
    initiativeId: ref('initiative_id').references(() => initiatives.id, { onDelete: 'cascade' }),
    cadence: deliveryCadence('cadence').notNull(),
    channel: deliveryChannel('channel').notNull(),
    /** E-mail: the addresses. */
    recipients: text('recipients')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Slack with a bot token: the channel id (C…); with an incoming webhook the URL names the channel. */
    slackChannel: text('slack_channel'),
    /** Slack: the incoming-webhook URL or the bot token (xoxb-…), as lib/secrets.ts ciphertext. */
    secret: text('secret'),
    secretHint: text('secret_hint'),
    /** The next time it is due; the delivery tick sends what is due and moves this on by one cadence. */
    nextDueAt: instant('next_due_at').notNull(),
    paused: boolean('paused').notNull().default(false),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'report_subscriptions_target',
      sql`(${t.channel} = 'email' and cardinality(${t.recipients}) > 0) or (${t.channel} = 'slack' and ${t.secret} is not null)`,
    ),
    // the delivery tick: what is due now
    index('report_subscriptions_due_idx').on(t.nextDueAt),
  ],
)

/** Every one-pager sent (or made by hand): the figures as data, the PDF, and the data version they are of. */
export const reportSnapshots = pgTable(
  'report_snapshots',
  {
    id: id(),
    initiativeId: ref('initiative_id').references(() => initiatives.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    /** The one-pager's read model as stored JSON text (lib/data/stored-json.ts: dates stay dates). */
    figures: text('figures').notNull(),
    dataVersion: bigint('data_version', { mode: 'number' }).notNull(),
    pdf: bytes('pdf'),
    subscriptionId: ref('subscription_id').references(() => reportSubscriptions.id, { onDelete: 'set null' }),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  // the snapshots page, newest first
  (t) => [index('report_snapshots_created_idx').on(t.createdAt)],
)

/** One sending of a subscription for one period (its week or month): made once, retried until sent or given up. */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: id(),
    subscriptionId: ref('subscription_id')
      .notNull()
      .references(() => reportSubscriptions.id, { onDelete: 'cascade' }),
    /** '2026-W49' or '2026-12': a subscription sends once per period, whatever the number of workers. */
    period: text('period').notNull(),
    status: deliveryStatus('status').notNull().default('pending'),
    snapshotId: ref('snapshot_id').references(() => reportSnapshots.id, { onDelete: 'set null' }),
    /** Attempts started; one more than the attempts logged while one is under way. */
    attempts: integer('attempts').notNull().default(0),
    /**
     * When the latest attempt started, or the delivery was queued again: a delivery pending long after that has lost
     * its job (db/queries/subscriptions.ts sweepStalledDeliveries).
     */
    lastAttemptAt: instant('last_attempt_at'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: instant('sent_at'),
  },
  (t) => [
    uniqueIndex('report_deliveries_period_idx').on(t.subscriptionId, t.period),
    // the subscriptions page: each subscription's latest deliveries
    index('report_deliveries_subscription_idx').on(t.subscriptionId, t.createdAt),
  ],
)

/** Each try of a delivery, with what the server answered when it failed. */
export const deliveryAttempts = pgTable(
  'delivery_attempts',
  {
    id: id(),
    deliveryId: ref('delivery_id')
      .notNull()
      .references(() => reportDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    at: instant('at').notNull().defaultNow(),
    ok: boolean('ok').notNull(),
    error: text('error'),
  },
  (t) => [index('delivery_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
)

/**
 * A read-only link to one snapshot for someone without an account. The link carries its id, its expiry and an
 * HMAC of both (lib/secrets.ts); nothing of it is stored but this row, which revocation and expiry are checked on.
 */
export const shareLinks = pgTable(
  'share_links',
  {
    id: id(),
    snapshotId: ref('snapshot_id')
      .notNull()
      .references(() => reportSnapshots.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    lastOpenedAt: instant('last_opened_at'),
  },
  (t) => [index('share_links_snapshot_idx').on(t.snapshotId)],
)

export type InitiativeGoal = typeof initiativeGoals.$inferSelect
export type NewInitiativeGoal = typeof initiativeGoals.$inferInsert
export type SmtpSettings = typeof smtpSettings.$inferSelect
export type NewSmtpSettings = typeof smtpSettings.$inferInsert
export type ReportSubscription = typeof reportSubscriptions.$inferSelect
export type NewReportSubscription = typeof reportSubscriptions.$inferInsert
export type ReportSnapshot = typeof reportSnapshots.$inferSelect
export type NewReportSnapshot = typeof reportSnapshots.$inferInsert
export type ReportDelivery = typeof reportDeliveries.$inferSelect
export type NewReportDelivery = typeof reportDeliveries.$inferInsert
export type DeliveryAttempt = typeof deliveryAttempts.$inferSelect
export type NewDeliveryAttempt = typeof deliveryAttempts.$inferInsert
export type ShareLink = typeof shareLinks.$inferSelect
export type NewShareLink = typeof shareLinks.$inferInsert
