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

/** The period a due time falls in: the ISO week ('2026-W49') or the month ('2026-12'), in UTC. */
const periodOf = (cadence: DeliveryCadence, dueAt: Date) =>
  cadence === 'weekly'
    ? sql`to_char(${dueAt.toISOString()}::timestamptz at time zone 'UTC', 'IYYY-"W"IW')`
    : sql`to_char(${dueAt.toISOString()}::timestamptz at time zone 'UTC', 'YYYY-MM')`

/**
 * Claims what is due at `now`: for each subscription not paused whose next due time has come, one delivery for
 * its period (none when that period already has one), and the due time moved past `now` by whole cadences (a
 * server that was down for three weeks sends once, not three times). Rows are locked and skipped when locked, so
 * any number of delivery ticks at once claim each period once. Returns the deliveries to send.
 */
export async function claimDueDeliveries(db: Db, { now = new Date() }: { now?: Date } = {}): Promise<number[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        id: reportSubscriptions.id,
        cadence: reportSubscriptions.cadence,
        nextDueAt: reportSubscriptions.nextDueAt,
      })
      .from(reportSubscriptions)
      .where(and(eq(reportSubscriptions.paused, false), lte(reportSubscriptions.nextDueAt, now)))
      .orderBy(reportSubscriptions.id)
      .for('update', { skipLocked: true })
    const claimed: number[] = []
    for (const subscription of due) {
      const [delivery] = await tx.execute<{ id: number }>(sql`
        insert into report_deliveries (subscription_id, period)
        values (${subscription.id}, ${periodOf(subscription.cadence, subscription.nextDueAt)})
        on conflict (subscription_id, period) do nothing
        returning id::int`)
      if (delivery) claimed.push(Number(delivery.id))
      const step = subscription.cadence === 'weekly' ? sql`interval '7 days'` : sql`interval '1 month'`
      // the first step after `now`: whole cadences from the old due time keep its weekday or day of month
      await tx.execute(sql`
        update report_subscriptions set next_due_at = (
          select next_due_at + ${step} * n from generate_series(1, 1200) as n
          where next_due_at + ${step} * n > ${now.toISOString()}::timestamptz order by n limit 1)
        where id = ${subscription.id}`)
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

export async function getDelivery(
  db: Db,
  { id }: { id: number },
): Promise<{ delivery: ReportDelivery; subscription: ReportSubscription } | null> {
  const [row] = await db
    .select({ delivery: reportDeliveries, subscription: reportSubscriptions })
    .from(reportDeliveries)
    .innerJoin(reportSubscriptions, eq(reportSubscriptions.id, reportDeliveries.subscriptionId))
    .where(eq(reportDeliveries.id, id))
  return row ?? null
}

export async function setDeliverySnapshot(db: Db, { id, snapshotId }: { id: number; snapshotId: number }) {
  await db.update(reportDeliveries).set({ snapshotId }).where(eq(reportDeliveries.id, id))
}

/**
 * Logs one attempt and its outcome: sent; or failed, with `final` when no retry follows (the delivery is then
 * given up and shown as failed; else it stays pending for the next try).
 */
export async function recordDeliveryAttempt(
  db: Db,
  { id, error, final }: { id: number; error: string | null; final: boolean },
): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(reportDeliveries)
      .set({
        attempts: sql`${reportDeliveries.attempts} + 1`,
        status: error === null ? 'sent' : final ? 'failed' : 'pending',
        lastError: error,
        sentAt: error === null ? sql`now()` : null,
      })
      .where(eq(reportDeliveries.id, id))
      .returning({ attempts: reportDeliveries.attempts })
    const attempt = row?.attempts ?? 0
    await tx.insert(deliveryAttempts).values({ deliveryId: id, attempt, ok: error === null, error })
    return attempt
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
