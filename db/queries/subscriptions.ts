// Subscriptions to the one-pager, their deliveries (one per subscription and period) and each attempt, and the
// SMTP server they go through. Secrets arrive here already encrypted (lib/publish/secrets.ts) and leave as
// stored: the caller decrypts only to send.
import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import {
  deliveryAttempts,
  initiatives,
  reportDeliveries,
  reportSubscriptions,
  smtpSettings,
  type DeliveryAttempt,
  type NewReportSubscription,
  type ReportDelivery,
  type ReportSubscription,
  type SmtpSettings,
} from '@/db/schema'
import type { DeliveryCadence } from '@/lib/domain'

export async function insertSubscription(db: Db, subscription: NewReportSubscription): Promise<number> {
  const [row] = await db.insert(reportSubscriptions).values(subscription).returning({ id: reportSubscriptions.id })
  return row!.id
}

export async function deleteSubscription(db: Db, { id }: { id: number }): Promise<boolean> {
  const rows = await db
    .delete(reportSubscriptions)
    .where(eq(reportSubscriptions.id, id))
    .returning({ id: reportSubscriptions.id })
  return rows.length > 0
}

export async function setSubscriptionPaused(db: Db, { id, paused }: { id: number; paused: boolean }): Promise<boolean> {
  const rows = await db
    .update(reportSubscriptions)
    .set({ paused })
    .where(eq(reportSubscriptions.id, id))
    .returning({ id: reportSubscriptions.id })
  return rows.length > 0
}

export async function getSubscription(db: Db, { id }: { id: number }): Promise<ReportSubscription | null> {
  const [row] = await db.select().from(reportSubscriptions).where(eq(reportSubscriptions.id, id))
  return row ?? null
}

export type DeliveryWithAttempts = ReportDelivery & { attemptLog: DeliveryAttempt[] }

/** Every subscription with its initiative's name and its latest deliveries (newest first), each with its attempts. */
export async function listSubscriptions(
  db: Db,
  { deliveries = 5 }: { deliveries?: number } = {},
): Promise<(ReportSubscription & { initiativeName: string | null; deliveries: DeliveryWithAttempts[] })[]> {
  const subscriptions = await db
    .select({ subscription: reportSubscriptions, initiativeName: initiatives.name })
    .from(reportSubscriptions)
    .leftJoin(initiatives, eq(initiatives.id, reportSubscriptions.initiativeId))
    .orderBy(reportSubscriptions.id)
  if (subscriptions.length === 0) return []
  const recent = await db.execute<{ id: number }>(sql`
    select id::int from (
      select id, row_number() over (partition by subscription_id order by created_at desc, id desc) as n
      from report_deliveries) ranked
    where n <= ${deliveries}`)
  const ids = recent.map((row) => Number(row.id))
  const rows = ids.length
    ? await db
        .select()
        .from(reportDeliveries)
        .where(inArray(reportDeliveries.id, ids))
        .orderBy(desc(reportDeliveries.createdAt), desc(reportDeliveries.id))
    : []
  const attempts = ids.length
    ? await db
        .select()
        .from(deliveryAttempts)
        .where(inArray(deliveryAttempts.deliveryId, ids))
        .orderBy(deliveryAttempts.deliveryId, deliveryAttempts.attempt)
    : []
  return subscriptions.map(({ subscription, initiativeName }) => ({
    ...subscription,
    initiativeName,
    deliveries: rows
      .filter((row) => row.subscriptionId === subscription.id)
      .map((row) => ({ ...row, attemptLog: attempts.filter((attempt) => attempt.deliveryId === row.id) })),
  }))
}

/**
 * The next regular time strictly after `at` (UTC): Monday 08:00 for weekly, the 1st at 08:00 for monthly. A
 * subscription's first send may be "now"; every later one is at a regular time, so month ends never drift.
 */
const nextRegularSql = (cadence: DeliveryCadence, at: string) =>
  cadence === 'weekly'
    ? sql`(select t from (values (date_trunc('week', ${at}::timestamptz at time zone 'UTC') + interval '8 hours'),
        (date_trunc('week', ${at}::timestamptz at time zone 'UTC') + interval '7 days 8 hours')) v(t)
        where t at time zone 'UTC' > ${at}::timestamptz order by t limit 1) at time zone 'UTC'`
    : sql`(select t from (values (date_trunc('month', ${at}::timestamptz at time zone 'UTC') + interval '8 hours'),
        (date_trunc('month', ${at}::timestamptz at time zone 'UTC') + interval '1 month 8 hours')) v(t)
        where t at time zone 'UTC' > ${at}::timestamptz order by t limit 1) at time zone 'UTC'`

/** The period a delivery is sent in: the ISO week ('2026-W49') or the month ('2026-12') of `at`, in UTC. */
const periodSql = (cadence: DeliveryCadence, at: string) =>
  cadence === 'weekly'
    ? sql`to_char(${at}::timestamptz at time zone 'UTC', 'IYYY-"W"IW')`
    : sql`to_char(${at}::timestamptz at time zone 'UTC', 'YYYY-MM')`

/**
 * Claims what is due at `now`: for each subscription not paused whose next due time has come, one delivery for
 * the period it is sent in (none when that period already has one), and the due time moved to the next regular
 * time after `now` (a server that was down for three weeks sends once, not three times). Rows are locked and
 * skipped when locked, and (subscription, period) is unique, so any number of ticks at once claim each period
 * once. Returns the deliveries to send.
 */
export async function claimDueDeliveries(db: Db, { now = new Date() }: { now?: Date } = {}): Promise<number[]> {
  const at = now.toISOString()
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: reportSubscriptions.id, cadence: reportSubscriptions.cadence })
      .from(reportSubscriptions)
      .where(and(eq(reportSubscriptions.paused, false), lte(reportSubscriptions.nextDueAt, now)))
      .orderBy(reportSubscriptions.id)
      .for('update', { skipLocked: true })
    const claimed: number[] = []
    for (const subscription of due) {
      const [delivery] = await tx.execute<{ id: number }>(sql`
        insert into report_deliveries (subscription_id, period)
        values (${subscription.id}, ${periodSql(subscription.cadence, at)})
        on conflict (subscription_id, period) do nothing
        returning id::int`)
      if (delivery) claimed.push(Number(delivery.id))
      await tx.execute(
        sql`update report_subscriptions set next_due_at = ${nextRegularSql(subscription.cadence, at)} where id = ${subscription.id}`,
      )
    }
    return claimed
  })
}

/** A delivery made at once ("Send now"), whatever the schedule; its period says when it was asked for. */
export async function insertManualDelivery(db: Db, { subscriptionId }: { subscriptionId: number }): Promise<number> {
  const [row] = await db.execute<{ id: number }>(sql`
    insert into report_deliveries (subscription_id, period)
    values (${subscriptionId}, 'now ' || to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'))
    returning id::int`)
  return Number(row!.id)
}

/** The delivery, its subscription, and how many of its attempts finished (were logged). */
export async function getDelivery(
  db: Db,
  { id }: { id: number },
): Promise<{ delivery: ReportDelivery; subscription: ReportSubscription; finished: number } | null> {
  const [row] = await db
    .select({
      delivery: reportDeliveries,
      subscription: reportSubscriptions,
      finished: sql<number>`(select count(*)::int from delivery_attempts a where a.delivery_id = ${reportDeliveries.id})`,
    })
    .from(reportDeliveries)
    .innerJoin(reportSubscriptions, eq(reportSubscriptions.id, reportDeliveries.subscriptionId))
    .where(eq(reportDeliveries.id, id))
  return row ? { ...row, finished: Number(row.finished) } : null
}

/**
 * Gives a delivery up whose attempt `attempt` never finished: it may have been sent, so it is not sent again. A
 * compare-and-set like startDeliveryAttempt: nothing changes when the delivery has moved on since (that attempt
 * finished, or another started). Returns whether it was given up.
 */
export async function failUnfinishedDelivery(
  db: Db,
  { id, attempt }: { id: number; attempt: number },
): Promise<boolean> {
  const message = UNFINISHED
  return db.transaction(async (tx) => {
    const given = await tx
      .update(reportDeliveries)
      .set({ status: 'failed', lastError: message })
      .where(
        and(
          eq(reportDeliveries.id, id),
          eq(reportDeliveries.status, 'pending'),
          eq(reportDeliveries.attempts, attempt),
        ),
      )
      .returning({ id: reportDeliveries.id })
    if (given.length === 0) return false
    await tx.insert(deliveryAttempts).values({ deliveryId: id, attempt, ok: false, error: message })
    return true
  })
}

const UNFINISHED =
  'Its last attempt never finished (the server stopped during it?), so it may or may not have arrived; not sent again. Use “Send now” to be sure.'

export async function setDeliverySnapshot(db: Db, { id, snapshotId }: { id: number; snapshotId: number }) {
  await db.update(reportDeliveries).set({ snapshotId }).where(eq(reportDeliveries.id, id))
}

/**
 * Starts an attempt when the delivery is still pending and no other attempt started since `seen` attempts (a
 * compare-and-set: of two jobs for one delivery – a retry and a sweep, say – only one sends). Returns the attempt's
 * number, or null when another started first or the delivery is no longer pending.
 */
export async function startDeliveryAttempt(db: Db, { id, seen }: { id: number; seen: number }): Promise<number | null> {
  const [row] = await db
    .update(reportDeliveries)
    .set({ attempts: sql`${reportDeliveries.attempts} + 1`, lastAttemptAt: sql`now()` })
    .where(
      and(eq(reportDeliveries.id, id), eq(reportDeliveries.status, 'pending'), eq(reportDeliveries.attempts, seen)),
    )
    .returning({ attempts: reportDeliveries.attempts })
  return row?.attempts ?? null
}

/**
 * Logs attempt `attempt`'s outcome: sent; or failed, with `final` when no retry follows (the delivery is then given
 * up and shown as failed; else it stays pending for the next try).
 */
export async function finishDeliveryAttempt(
  db: Db,
  { id, attempt, error, final }: { id: number; attempt: number; error: string | null; final: boolean },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(reportDeliveries)
      .set({
        status: error === null ? 'sent' : final ? 'failed' : 'pending',
        lastError: error,
        sentAt: error === null ? sql`now()` : null,
      })
      .where(eq(reportDeliveries.id, id))
    await tx.insert(deliveryAttempts).values({ deliveryId: id, attempt, ok: error === null, error })
  })
}

/**
 * Pending deliveries nothing has touched for `idleSeconds` (their job was lost: a server stopped between claiming
 * and queueing, or during a retry's wait). Those whose latest attempt never finished may have been sent – that
 * attempt's outcome is unknown – so they are marked failed, never sent twice; the others (nothing started, or the
 * last attempt failed) are returned to be queued again.
 */
export async function sweepStalledDeliveries(db: Db, { idleSeconds }: { idleSeconds: number }): Promise<number[]> {
  return db.transaction(async (tx) => {
    const stalled = await tx.execute<{ id: number; unfinished: boolean }>(sql`
      select d.id::int, d.attempts > (select count(*) from delivery_attempts a where a.delivery_id = d.id) as unfinished
      from report_deliveries d
      where d.status = 'pending'
        and coalesce(d.last_attempt_at, d.created_at) < now() - make_interval(secs => ${idleSeconds})
      for update skip locked`)
    const unknown = stalled.filter((row) => row.unfinished).map((row) => Number(row.id))
    for (const id of unknown) {
      const [row] = await tx
        .select({ attempts: reportDeliveries.attempts })
        .from(reportDeliveries)
        .where(eq(reportDeliveries.id, id))
      await failUnfinishedDelivery(tx, { id, attempt: row?.attempts ?? 0 })
    }
    const again = stalled.filter((row) => !row.unfinished).map((row) => Number(row.id))
    // touched now, so the next sweep leaves them to their new job
    if (again.length > 0)
      await tx
        .update(reportDeliveries)
        .set({ lastAttemptAt: sql`now()` })
        .where(inArray(reportDeliveries.id, again))
    return again
  })
}

export async function getSmtpSettings(db: Db): Promise<SmtpSettings | null> {
  const [row] = await db.select().from(smtpSettings).where(eq(smtpSettings.id, 1))
  return row ?? null
}

/** Saves the SMTP server; a null password secret keeps the stored one (the form never shows it back). */
export async function putSmtpSettings(
  db: Db,
  settings: Omit<SmtpSettings, 'id' | 'updatedAt' | 'passwordSecret'> & { passwordSecret: string | null | 'keep' },
): Promise<void> {
  const { passwordSecret, ...rest } = settings
  const password = passwordSecret === 'keep' ? {} : { passwordSecret }
  await db
    .insert(smtpSettings)
    .values({ id: 1, ...rest, passwordSecret: passwordSecret === 'keep' ? null : passwordSecret })
    .onConflictDoUpdate({ target: smtpSettings.id, set: { ...rest, ...password, updatedAt: sql`now()` } })
}

/** The figures of the snapshot this subscription last sent before snapshot `before`, or null (its first delivery). */
export async function getPreviousSentSnapshot(
  db: Db,
  { subscriptionId, before }: { subscriptionId: number; before: number },
): Promise<string | null> {
  const [row] = await db.execute<{ figures: string }>(sql`
    select s.figures from report_deliveries d join report_snapshots s on s.id = d.snapshot_id
    where d.subscription_id = ${subscriptionId} and d.status = 'sent' and d.snapshot_id <> ${before}
    order by d.sent_at desc, d.id desc limit 1`)
  return row?.figures ?? null
}
