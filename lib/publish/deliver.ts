// One delivery of a subscription: keep the snapshot (once: a retry sends the same one), make sure it has its PDF,
// send it by e-mail or to Slack, and log the attempt. A failure that may pass is logged and thrown, so the job
// queue tries again with backoff (lib/publish/worker.ts); one that cannot (a refused password, an unknown channel,
// nothing to report) is logged and the delivery given up at once; the last retry's failure gives it up too.
// Each attempt starts with a compare-and-set on the delivery (db/queries/subscriptions.ts), so two jobs for one
// delivery never both send, and an attempt that started but never finished (the server stopped mid-send) is
// given up rather than sent again: it may have arrived. What is logged or stored about a failure never holds a
// secret: the channels' errors name none, and any secret of the subscription in an unexpected error is replaced.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { getSnapshot, getSnapshotPdf, insertShareLink, listShareLinks } from '@/db/queries/snapshots'
import {
  failUnfinishedDelivery,
  finishDeliveryAttempt,
  getDelivery,
  getPreviousSentSnapshot,
  getSmtpSettings,
  setDeliverySnapshot,
  startDeliveryAttempt,
} from '@/db/queries/subscriptions'
import type { ReportSubscription } from '@/db/schema'
import type { ReportDocumentData } from '@/lib/data/report-page'
import { fromStoredJson } from '@/lib/data/stored-json'
import { env } from '@/lib/env'
import { isUpshotError, UpshotError } from '@/lib/errors'
import { firstLine, internalOrigin } from '@/lib/export/render'
import { sendEmail } from './email'
import { DeliveryError, isDeliveryError, redact } from './errors'
import type { DeliveryContent } from './message'
import { decryptSecret, signShareToken } from './secrets'
import { sendSlack } from './slack'
import { renderSnapshotPdf, takeSnapshot } from './snapshot'
import { deliverySummary, newCallouts } from './summary'

/**
 * The longest one attempt runs (render, then send, each with its timeouts): its job expires after this (worker.ts),
 * and an unfinished attempt younger than this is taken to be still under way.
 */
export const ATTEMPT_TIME_LIMIT_MINUTES = 15

/** How long the link a Slack webhook message carries (it cannot attach the PDF) stays open. */
const SLACK_LINK_DAYS = 30

export type DeliveryOutcome =
  | { state: 'sent'; attempt: number }
  | { state: 'failed'; attempt: number; reason: string }
  | { state: 'skipped'; why: string }

/** Sends delivery `id` once. `final`: no retry follows a failure (the delivery is then marked failed). */
export async function deliver(
  id: number,
  { final, db = getDb(), log = console.info }: { final: boolean; db?: Db; log?: (line: string) => void },
): Promise<DeliveryOutcome> {
  const found = await getDelivery(db, { id })
  if (!found) return { state: 'skipped', why: 'the delivery no longer exists (its subscription was deleted)' }
  const { delivery, subscription, finished } = found
  if (delivery.status !== 'pending') return { state: 'skipped', why: `the delivery is already ${delivery.status}` }
  const label = `delivery ${id} (${subscription.name}, ${delivery.period})`
  if (delivery.attempts > finished) {
    // started and not logged: under way in another job, or cut off (its job expires, and is retried, only after
    // ATTEMPT_TIME_LIMIT_MINUTES; the sweep finds it later still)
    const startedAt = delivery.lastAttemptAt?.getTime() ?? 0
    if (Date.now() - startedAt < ATTEMPT_TIME_LIMIT_MINUTES * 60_000)
      return { state: 'skipped', why: `attempt ${delivery.attempts} is under way` }
    if (!(await failUnfinishedDelivery(db, { id, attempt: delivery.attempts })))
      return { state: 'skipped', why: 'the delivery moved on' }
    log(`${label}: attempt ${delivery.attempts} never finished; given up, not sent again (it may have arrived)`)
    return { state: 'failed', attempt: delivery.attempts, reason: 'an earlier attempt never finished' }
  }
  const attempt = await startDeliveryAttempt(db, { id, seen: delivery.attempts })
  if (attempt === null) return { state: 'skipped', why: 'another attempt started first' }
  const secrets: string[] = []
  try {
    await send(db, delivery.id, delivery.snapshotId, delivery.period, subscription, secrets)
  } catch (error) {
    const reason = redact(firstLine(error), secrets)
    // what sending again cannot change is final at once: a refused login, an unknown channel, nothing to report
    const giveUp =
      final ||
      (isDeliveryError(error) && !error.retryable) ||
      (isUpshotError(error) && (error.code === 'bad_request' || error.code === 'not_found'))
    await finishDeliveryAttempt(db, { id, attempt, error: reason, final: giveUp })
    log(`${label}: attempt ${attempt} failed${giveUp ? ', given up' : ', retried with backoff'}: ${reason}`)
    if (giveUp) return { state: 'failed', attempt, reason }
    // the reason, redacted, and when the receiver asked to be tried again (the worker waits for it)
    throw isDeliveryError(error)
      ? new DeliveryError(error.channel, reason, { retryable: true, retryAfterSeconds: error.retryAfterSeconds })
      : new UpshotError('unavailable', reason)
  }
  // Sent. Recording it must not turn into a second send: the write is tried a few times, and if the database
  // stays away the delivery is left unfinished, which is given up later rather than sent again.
  for (let tries = 1; ; tries++) {
    try {
      await finishDeliveryAttempt(db, { id, attempt, error: null, final })
      break
    } catch (error) {
      if (tries >= 3) {
        console.error(`${label}: sent, but recording it failed: ${firstLine(error)}`)
        return { state: 'sent', attempt }
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 * tries))
    }
  }
  log(`${label}: sent by ${subscription.channel}, attempt ${attempt}`)
  return { state: 'sent', attempt }
}

async function send(
  db: Db,
  id: number,
  kept: number | null,
  period: string,
  subscription: ReportSubscription,
  secrets: string[],
): Promise<void> {
  let snapshotId = kept
  if (snapshotId === null) {
    const taken = await takeSnapshot({
      initiativeId: subscription.initiativeId,
      createdBy: `subscription “${subscription.name}”`,
      subscriptionId: subscription.id,
      db,
    })
    snapshotId = taken.id
    await setDeliverySnapshot(db, { id, snapshotId })
  }
  const pdfError = await renderSnapshotPdf({ id: snapshotId, db })
  if (pdfError) throw new UpshotError('unavailable', pdfError)
  const content = await contentOf(db, subscription, snapshotId, period)
  if (subscription.channel === 'email') {
    const stored = await getSmtpSettings(db)
    const config = env()
    let smtp: Parameters<typeof sendEmail>[0]['smtp']
    if (stored) {
      const password = stored.passwordSecret ? decryptSecret(stored.passwordSecret, 'smtp-password') : null
      if (password) secrets.push(password)
      smtp = {
        host: stored.host,
        port: stored.port,
        secure: stored.secure,
        username: stored.username,
        password,
        from: stored.fromAddress,
      }
    } else if (config.UPSHOT_SMTP_URL) {
      secrets.push(config.UPSHOT_SMTP_URL, decodeURIComponent(new URL(config.UPSHOT_SMTP_URL).password))
      smtp = { url: config.UPSHOT_SMTP_URL, from: config.UPSHOT_SMTP_FROM ?? 'Upshot <upshot@localhost>' }
    } else {
      throw new UpshotError(
        'bad_request',
        'No SMTP server is set: save one on the Subscriptions page, or set UPSHOT_SMTP_URL.',
      )
    }
    const sent = await sendEmail({ smtp, to: subscription.recipients, content })
    if (sent.rejected.length > 0)
      console.info(`delivery ${id} (${subscription.name}): the SMTP server refused ${sent.rejected.join(', ')}`)
    return
  }
  if (!subscription.secret) throw new UpshotError('bad_request', 'The subscription has no Slack webhook or token.')
  const kind = subscription.slackChannel ? 'slack-token' : 'slack-webhook'
  const secret = decryptSecret(subscription.secret, kind)
  secrets.push(secret)
  const target =
    kind === 'slack-token'
      ? { kind: 'bot' as const, token: secret, channel: subscription.slackChannel as string }
      : { kind: 'webhook' as const, url: secret }
  if (target.kind === 'webhook') content.link = await slackLink(db, subscription, snapshotId)
  await sendSlack({ target, apiUrl: env().UPSHOT_SLACK_API_URL, content })
}

async function contentOf(
  db: Db,
  subscription: ReportSubscription,
  snapshotId: number,
  period: string,
): Promise<DeliveryContent> {
  const [snapshot, pdf, previous] = await Promise.all([
    getSnapshot(db, { id: snapshotId }),
    getSnapshotPdf(db, { id: snapshotId }),
    getPreviousSentSnapshot(db, { subscriptionId: subscription.id, before: snapshotId }),
  ])
  if (!snapshot || !pdf) throw new UpshotError('not_found', `snapshot ${snapshotId} or its PDF is gone`)
  const document = fromStoredJson<ReportDocumentData>(snapshot.figures)
  const summary = deliverySummary(document)
  const when = period.startsWith('now ') ? period.slice(4, 14) : period
  return {
    title: `Upshot one-pager: ${document.report.initiative.name} – ${when}`,
    headlines: summary.headlines,
    // a goal is called out in the first delivery after it is met, or shown at risk or missed: not every time
    callouts: newCallouts(document, previous ? fromStoredJson<ReportDocumentData>(previous) : null),
    moneyLine: summary.moneyLine,
    link: null,
    pdf,
    fileName: `upshot-one-pager-${when.replaceAll(/[^0-9A-Za-z-]/g, '-')}.pdf`,
  }
}

/**
 * A share link to the snapshot, for a message that cannot carry the PDF; revocable on the snapshot's page. A
 * retried delivery reuses its link (the token is the same for the same row) instead of making another.
 */
async function slackLink(db: Db, subscription: ReportSubscription, snapshotId: number): Promise<string> {
  const label = `Slack: ${subscription.name}`
  const now = Date.now()
  const live = (await listShareLinks(db, { snapshotId })).find(
    (link) => link.label === label && link.revokedAt === null && link.expiresAt.getTime() > now + 24 * 3600 * 1000,
  )
  const link =
    live ??
    (await insertShareLink(db, {
      snapshotId,
      label,
      expiresAt: new Date(now + SLACK_LINK_DAYS * 24 * 3600 * 1000),
      createdBy: `subscription “${subscription.name}”`,
    }))
  const config = env()
  // a link to 127.0.0.1 opens nothing for a reader elsewhere: a server others use must say where it is
  if (!config.UPSHOT_URL && config.DATABASE_URL)
    throw new UpshotError(
      'bad_request',
      'Set UPSHOT_URL (the address people open Upshot at): a Slack webhook message links to the one-pager there.',
    )
  const base = config.UPSHOT_URL ?? internalOrigin()
  return new URL(`/share/${signShareToken(link.id, link.expiresAt)}`, base).toString()
}
