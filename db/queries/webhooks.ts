// The queue of webhook deliveries (GitHub's; GitLab's, their ids and events prefixed gitlab:): stored once per
// delivery id (a redelivery is a no-op), then processed one at a time, in arrival order, by whichever process
// claims each first, each source's processor claiming only its own events.
import { sql } from 'drizzle-orm'
import { describeError, isRetryableDatabaseError } from '@/lib/errors'
import type { Database, Transaction } from '@/db/client'
import { bumpDataVersion } from './data-version'

/** Stores a delivery; false when this delivery id was stored before. */
export async function enqueueWebhookDelivery(
  db: Database,
  delivery: { deliveryId: string; event: string; payload: Record<string, unknown> },
): Promise<boolean> {
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
 * Claims the unprocessed deliveries one at a time, each in its own transaction, and hands each to `handle`: a
 * delivery is marked processed (or its error recorded) together with the rows it wrote and the weeks those
 * rows queued, and a delivery claimed by another process is skipped, never handled twice. A deadlock or
 * serialization failure with a concurrent writer leaves the delivery queued and it is tried again (a few times
 * here, then by the next processing); any other error is stored with the delivery, described by `describe`.
 */
export async function processWebhookDeliveries(
  db: Database,
  handle: (tx: Transaction, delivery: PendingDelivery) => Promise<void>,
  {
    limit = 100,
    describe = describeError,
    events,
  }: {
    limit?: number
    describe?: (error: unknown) => string
    /** Claim only deliveries of these events (each source's processor handles its own). */
    events?: readonly string[]
  } = {},
): Promise<{ processed: number; failed: number }> {
  const outcome = { processed: 0, failed: 0 }
  let conflicts = 0
  for (let handled = 0; handled < limit; handled++) {
    let claimed: 'none' | 'processed' | 'failed' = 'none'
    try {
      claimed = await db.transaction(async (tx) => {
        const [row] = await tx.execute<{ delivery_id: string; event: string; payload: Record<string, unknown> }>(sql`
          select delivery_id, event, payload from webhook_deliveries
          where processed_at is null ${events ? sql`and event = any(${sql.param([...events])}::text[])` : sql``}
          order by received_at, delivery_id limit 1 for update skip locked`)
        if (!row) return 'none' as const
        try {
          await tx.transaction((savepoint) =>
            handle(savepoint, { deliveryId: row.delivery_id, event: row.event, payload: row.payload }),
          )
        } catch (error) {
          if (isRetryableDatabaseError(error)) throw error
          await tx.execute(
            sql`update webhook_deliveries set processed_at = now(), error = ${describe(error).slice(0, 1000)} where delivery_id = ${row.delivery_id}`,
          )
          return 'failed' as const
        }
        await tx.execute(
          sql`update webhook_deliveries set processed_at = now(), error = null where delivery_id = ${row.delivery_id}`,
        )
        // pages read facts beyond the weekly figures (open pull requests, counts per source): cached read models
        // are stale from this commit, whether or not the delivery queued a week (last: the version row's lock)
        await bumpDataVersion(tx)
        return 'processed' as const
      })
    } catch (error) {
      if (!isRetryableDatabaseError(error) || ++conflicts > 5) throw error
      await new Promise((resolve) => setTimeout(resolve, 20 * conflicts))
      continue
    }
    if (claimed === 'none') break
    outcome[claimed]++
  }
  return outcome
}
