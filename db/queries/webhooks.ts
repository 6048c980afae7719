// The queue of GitHub webhook deliveries: stored once per delivery id (a redelivery is a no-op), then
// processed in arrival order by whichever process claims them first.
import { sql } from 'drizzle-orm'
import type { Database, Transaction } from '../client'

/** Stores a delivery; false when this delivery id was stored before. */
export async function enqueueWebhookDelivery(db: Database, delivery: { deliveryId: string; event: string; payload: Record<string, unknown> }): Promise<boolean> {
  const rows = await db.execute<{ delivery_id: string }>(sql`
    insert into webhook_deliveries (delivery_id, event, payload) values (${delivery.deliveryId}, ${delivery.event}, ${JSON.stringify(delivery.payload)}::jsonb)
    on conflict (delivery_id) do nothing returning delivery_id`)
  return rows.length === 1
}

export interface PendingDelivery {
  deliveryId: string
  event: string
  payload: Record<string, unknown>
}

/**
 * Claims up to `limit` unprocessed deliveries and hands each to `handle` in arrival order, all in one
 * transaction: a delivery is marked processed (or its error recorded) together with the rows it wrote, and
 * deliveries claimed by another process are skipped, never handled twice.
 */
export async function processWebhookDeliveries(
  db: Database,
  handle: (tx: Transaction, delivery: PendingDelivery) => Promise<void>,
  { limit = 100 }: { limit?: number } = {},
): Promise<{ processed: number; failed: number }> {
  return db.transaction(async (tx) => {
    const pending = await tx.execute<{ delivery_id: string; event: string; payload: Record<string, unknown> }>(sql`
      select delivery_id, event, payload from webhook_deliveries
      where processed_at is null order by received_at, delivery_id limit ${limit} for update skip locked`)
    let failed = 0
    for (const row of pending) {
      const delivery = { deliveryId: row.delivery_id, event: row.event, payload: row.payload }
      try {
        await tx.transaction(async (savepoint) => handle(savepoint, delivery))
        await tx.execute(sql`update webhook_deliveries set processed_at = now(), error = null where delivery_id = ${row.delivery_id}`)
      } catch (error) {
        failed++
        const message = error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500)
        await tx.execute(sql`update webhook_deliveries set processed_at = now(), error = ${message} where delivery_id = ${row.delivery_id}`)
      }
    }
    return { processed: pending.length - failed, failed }
  })
}
