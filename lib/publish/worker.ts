// Deliveries on the job queue (pg-boss), worked by the web servers (they render the PDF). A cron schedule
// (UPSHOT_DELIVERY_CRON, every 5 minutes by default) sends the tick; the tick claims what is due – one delivery
// per subscription and period, however many servers tick at once (db/queries/subscriptions.ts) – and sends one
// job per delivery. A job that fails is retried by the queue with exponential backoff
// (UPSHOT_DELIVERY_RETRY_SECONDS, doubling, UPSHOT_DELIVERY_RETRIES times); each attempt is logged in the
// database and on the server's log, and the last failure marks the delivery failed. A receiver that asks for a
// longer wait (Slack's Retry-After) gets it: the job holds its failure back for the difference, up to 5 minutes,
// during which this server sends no other delivery (one at a time); a longer ask is left to the backoff.
import 'server-only'
import PgBoss from 'pg-boss'
import { getDb, resolveDatabaseTarget } from '@/db/client'
import { claimDueDeliveries, insertManualDelivery, sweepStalledDeliveries } from '@/db/queries/subscriptions'
import { env } from '@/lib/env'
import { ATTEMPT_TIME_LIMIT_MINUTES, deliver } from './deliver'
import { MAX_RETRY_AFTER_WAIT_SECONDS, waitBeyondBackoff } from './errors'

export const DELIVERY_TICK_QUEUE = 'deliveries-due'
export const DELIVERY_QUEUE = 'deliver-one-pager'

const globalForDeliveries = globalThis as unknown as {
  upshotDeliveries?: Promise<PgBoss | null>
  upshotDeliveriesFailedAt?: number
}

/** After a failed start, the next call tries again no sooner than this (a health check comes every few seconds). */
const RESTART_AFTER_MS = 60_000

/**
 * How long a pending delivery may go untouched before its job counts as lost: longer than the longest wait
 * between two retries (pg-boss backoff: up to twice the delay × 2^retries), plus a Retry-After held back
 * (MAX_RETRY_AFTER_WAIT_SECONDS), plus a slow render and send.
 */
export function stalledAfterSeconds(config: {
  UPSHOT_DELIVERY_RETRY_SECONDS: number
  UPSHOT_DELIVERY_RETRIES: number
}) {
  return (
    config.UPSHOT_DELIVERY_RETRY_SECONDS * 2 ** (config.UPSHOT_DELIVERY_RETRIES + 1) +
    MAX_RETRY_AFTER_WAIT_SECONDS +
    600
  )
}

const log = (line: string) => console.info(`deliveries: ${line}`)

/** Starts the tick and the delivery worker in this process, once; null when the queue could not start. */
export function startDeliveryWorker(): Promise<PgBoss | null> {
  const failedAt = globalForDeliveries.upshotDeliveriesFailedAt
  if (!globalForDeliveries.upshotDeliveries && failedAt !== undefined && Date.now() - failedAt < RESTART_AFTER_MS)
    return Promise.resolve(null)
  let started: PgBoss | null = null
  globalForDeliveries.upshotDeliveries ??= (async () => {
    const config = env()
    const boss = new PgBoss({
      connectionString: resolveDatabaseTarget().url,
      schema: 'pgboss',
      application_name: 'upshot-deliveries',
      max: 2,
    })
    boss.on('error', (error: Error) => console.error(`deliveries queue: ${error.message}`))
    started = boss
    await boss.start()
    await boss.createQueue(DELIVERY_TICK_QUEUE, {
      name: DELIVERY_TICK_QUEUE,
      policy: 'singleton',
      retryLimit: 0,
      expireInMinutes: 10,
    })
    await boss.createQueue(DELIVERY_QUEUE, {
      name: DELIVERY_QUEUE,
      retryLimit: config.UPSHOT_DELIVERY_RETRIES,
      retryDelay: config.UPSHOT_DELIVERY_RETRY_SECONDS,
      retryBackoff: true,
      expireInMinutes: ATTEMPT_TIME_LIMIT_MINUTES,
    })
    // createQueue keeps an existing queue's options: the environment's retry settings apply from this start on
    await boss.updateQueue(DELIVERY_QUEUE, {
      name: DELIVERY_QUEUE,
      retryLimit: config.UPSHOT_DELIVERY_RETRIES,
      retryDelay: config.UPSHOT_DELIVERY_RETRY_SECONDS,
      retryBackoff: true,
    })
    await boss.schedule(DELIVERY_TICK_QUEUE, config.UPSHOT_DELIVERY_CRON, {}, { tz: 'UTC' })
    await boss.work(DELIVERY_TICK_QUEUE, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
      const claimed = await claimDueDeliveries(getDb())
      for (const deliveryId of claimed) await boss.send(DELIVERY_QUEUE, { deliveryId })
      if (claimed.length > 0) log(`due now: ${claimed.map((id) => `delivery ${id}`).join(', ')}`)
      // deliveries whose job was lost (claimed, then the server stopped before queueing; a retry's wait cut short)
      const stalled = await sweepStalledDeliveries(getDb(), { idleSeconds: stalledAfterSeconds(config) })
      for (const deliveryId of stalled) await boss.send(DELIVERY_QUEUE, { deliveryId })
      if (stalled.length > 0)
        log(`queued again (their job was lost): ${stalled.map((id) => `delivery ${id}`).join(', ')}`)
    })
    await boss.work<{ deliveryId: number }>(
      DELIVERY_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 5, includeMetadata: true },
      async ([job]) => {
        if (!job) return
        try {
          await deliver(job.data.deliveryId, { final: job.retryCount >= job.retryLimit, log })
        } catch (error) {
          // a receiver that said when to come back (Slack's Retry-After) is not tried sooner than that
          // (the job's own retry settings: those it was queued with decide its next try, not this server's)
          const wait = waitBeyondBackoff(error, job)
          if (wait > 0) {
            log(`delivery ${job.data.deliveryId}: the receiver asked to wait; the retry comes ${wait} s later`)
            await new Promise((resolve) => setTimeout(resolve, wait * 1000))
          }
          throw error
        }
      },
    )
    log(
      `ticking on ${config.UPSHOT_DELIVERY_CRON} (UTC); a failure is retried ${config.UPSHOT_DELIVERY_RETRIES} times from ${config.UPSHOT_DELIVERY_RETRY_SECONDS} s, doubling`,
    )
    return boss
  })().catch(async (error: unknown) => {
    console.error(
      `deliveries: the worker did not start (tried again in a minute): ${error instanceof Error ? error.message : String(error)}`,
    )
    // a half-started queue keeps connections and timers: stop it before the next try makes another
    await (started as PgBoss | null)?.stop({ graceful: false, wait: false }).catch(() => undefined)
    globalForDeliveries.upshotDeliveries = undefined
    globalForDeliveries.upshotDeliveriesFailedAt = Date.now()
    return null
  })
  return globalForDeliveries.upshotDeliveries
}

/** "Send now": a delivery outside the schedule, sent by the worker like any other (retries included). */
export async function sendNow(subscriptionId: number): Promise<number> {
  const boss = await startDeliveryWorker()
  if (!boss) throw new Error('the delivery queue is not running; see the server log')
  const id = await insertManualDelivery(getDb(), { subscriptionId })
  await boss.send(DELIVERY_QUEUE, { deliveryId: id })
  return id
}
