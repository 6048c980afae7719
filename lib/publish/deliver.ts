// One delivery of a subscription: keep the snapshot (once: a retry sends the same one), make sure it has its PDF,
// send it by e-mail or to Slack, and log the attempt. A failure is logged and thrown, so the job queue tries
// again with backoff (lib/publish/worker.ts); the last failure marks the delivery failed. What is logged or
// stored about a failure never holds a secret: the channels' errors name none, and any secret of the
// subscription found in an unexpected error's text is replaced.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { getSnapshot, getSnapshotPdf, insertShareLink } from '@/db/queries/snapshots'
import { getDelivery, getSmtpSettings, recordDeliveryAttempt, setDeliverySnapshot } from '@/db/queries/subscriptions'
import type { ReportSubscription } from '@/db/schema'
import type { ReportDocumentData } from '@/lib/data/report'
import { fromStoredJson } from '@/lib/data/stored-json'
import { env } from '@/lib/env'
import { UpshotError } from '@/lib/errors'
import { internalOrigin } from '@/lib/export/render'
import { sendEmail } from './email'
import type { DeliveryContent } from './message'
import { decryptSecret, signShareToken } from './secrets'
import { sendSlack } from './slack'
import { renderSnapshotPdf, takeSnapshot } from './snapshot'
import { isDeliveryError, redact } from './errors'
import { deliverySummary } from './summary'

/** How long the link a Slack webhook message carries (it cannot attach the PDF) stays open. */
const SLACK_LINK_DAYS = 30

export type DeliveryOutcome =
  | { state: 'sent'; attempt: number }
  | { state: 'failed'; attempt: number; reason: string }
  | { state: 'skipped'; why: string }

/**
 * Sends delivery `id` once. `final`: no retry follows a failure (the delivery is then marked failed). A failure
 * that may pass is logged and thrown, so the queue retries; one that cannot (a refused password, an unknown
 * channel) is logged and the delivery marked failed at once.
 */
export async function deliver(
  id: number,
  { final, db = getDb(), log = console.info }: { final: boolean; db?: Db; log?: (line: string) => void },
): Promise<DeliveryOutcome> {
  const found = await getDelivery(db, { id })
  if (!found) return { state: 'skipped', why: 'the delivery no longer exists (its subscription was deleted)' }
  const { delivery, subscription } = found
  if (delivery.status !== 'pending') return { state: 'skipped', why: `the delivery is already ${delivery.status}` }
  const secrets: string[] = []
  try {
    let snapshotId = delivery.snapshotId
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
    const content = await contentOf(db, subscription, snapshotId, delivery.period)
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
          'unavailable',
          'No SMTP server is set: save one on the Subscriptions page, or set UPSHOT_SMTP_URL.',
        )
      }
      const sent = await sendEmail({ smtp, to: subscription.recipients, content })
      if (sent.rejected.length > 0)
        log(
          `delivery ${id} (${subscription.name}): the SMTP server refused ${sent.rejected.join(', ')}; sent to the others`,
        )
    } else {
      if (!subscription.secret) throw new UpshotError('unavailable', 'The subscription has no Slack webhook or token.')
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
    const attempt = await recordDeliveryAttempt(db, { id, error: null, final })
    log(
      `delivery ${id} (${subscription.name}, ${delivery.period}): sent by ${subscription.channel}, attempt ${attempt}`,
    )
    return { state: 'sent', attempt }
  } catch (error) {
    const reason = redact(firstLine(error), secrets)
    // a refusal that sending again cannot change (a wrong password, an unknown channel) is final at once
    const giveUp = final || (isDeliveryError(error) && !error.retryable)
    const attempt = await recordDeliveryAttempt(db, { id, error: reason, final: giveUp })
    log(
      `delivery ${id} (${subscription.name}, ${delivery.period}): attempt ${attempt} failed${giveUp ? ', given up' : ', retried with backoff'}: ${reason}`,
    )
    if (giveUp) return { state: 'failed', attempt, reason }
    throw new UpshotError('unavailable', reason)
  }
}

async function contentOf(
  db: Db,
  subscription: ReportSubscription,
  snapshotId: number,
  period: string,
): Promise<DeliveryContent> {
  const [snapshot, pdf] = await Promise.all([
    getSnapshot(db, { id: snapshotId }),
    getSnapshotPdf(db, { id: snapshotId }),
  ])
  if (!snapshot || !pdf) throw new UpshotError('not_found', `snapshot ${snapshotId} or its PDF is gone`)
  const document = fromStoredJson<ReportDocumentData>(snapshot.figures)
  const summary = deliverySummary(document)
  const when = period.startsWith('now ') ? period.slice(4, 14) : period
  return {
    title: `Upshot one-pager: ${document.report.initiative.name} – ${when}`,
    headlines: summary.headlines,
    callouts: summary.callouts,
    moneyLine: summary.moneyLine,
    link: null,
    pdf,
    fileName: `upshot-one-pager-${when.replaceAll(/[^0-9A-Za-z-]/g, '-')}.pdf`,
  }
}

/** A share link to the snapshot, for a message that cannot carry the PDF; revocable on the snapshot's page. */
async function slackLink(db: Db, subscription: ReportSubscription, snapshotId: number): Promise<string> {
  const expiresAt = new Date(Date.now() + SLACK_LINK_DAYS * 24 * 3600 * 1000)
  const link = await insertShareLink(db, {
    snapshotId,
    label: `Slack: ${subscription.name}`,
    expiresAt,
    createdBy: `subscription “${subscription.name}”`,
  })
  const base = env().UPSHOT_URL ?? internalOrigin()
  return new URL(`/share/${signShareToken(link.id, link.expiresAt)}`, base).toString()
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 500) ?? ''
}
