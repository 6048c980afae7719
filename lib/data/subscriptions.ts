// The Subscriptions page (admin): who gets the one-pager, how often and where; each delivery and its attempts;
// the SMTP server. Secrets are encrypted on the way in (subscription-form.ts, smtp-form.ts) and never come back
// out: the page shows a hint of each ("hooks.slack.com/…1234"), the form's password field is always empty.
// Pausing and removing a subscription. Server-only.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { listInitiatives } from '@/db/queries/initiatives'
import {
  deleteSubscription,
  getSmtpSettings,
  listSubscriptions,
  setSubscriptionPaused,
  type DeliveryWithAttempts,
} from '@/db/queries/subscriptions'
import type { DeliveryCadence, DeliveryChannel } from '@/lib/domain'
import { env } from '@/lib/env'
import { masterKey } from '@/lib/publish/secrets'
import { readFormId } from './form-id'

export type { DeliveryWithAttempts }

export interface SubscriptionView {
  id: number
  name: string
  /** The initiative's name, or null for the organisation's one-pager. */
  initiative: string | null
  cadence: DeliveryCadence
  channel: DeliveryChannel
  /** "2 addresses: a@x.com, b@y.com", "Slack webhook hooks.slack.com/…1234", "Slack #C0123 with bot xoxb-…abcd". */
  destination: string
  nextDueAt: Date
  paused: boolean
  deliveries: DeliveryWithAttempts[]
}

export interface SubscriptionsPage {
  subscriptions: SubscriptionView[]
  initiatives: { id: number; name: string }[]
  smtp: {
    host: string
    port: number
    secure: boolean
    username: string | null
    from: string
    hasPassword: boolean
  } | null
  /** UPSHOT_SMTP_URL is set (its value is never shown). */
  smtpFromEnvironment: boolean
  /** Why secrets cannot be saved (no key), or null. */
  keyProblem: string | null
}

export async function getSubscriptionsPage({ db = getDb() }: { db?: Db } = {}): Promise<SubscriptionsPage> {
  const [subscriptions, initiatives, smtp] = await Promise.all([
    listSubscriptions(db),
    listInitiatives(db),
    getSmtpSettings(db),
  ])
  let keyProblem: string | null = null
  try {
    masterKey()
  } catch (error) {
    keyProblem = error instanceof Error ? error.message : String(error)
  }
  return {
    subscriptions: subscriptions.map((row) => ({
      id: row.id,
      name: row.name,
      initiative: row.initiativeName,
      cadence: row.cadence,
      channel: row.channel,
      destination:
        row.channel === 'email'
          ? `${row.recipients.length === 1 ? '1 address' : `${row.recipients.length} addresses`}: ${row.recipients.join(', ')}`
          : row.slackChannel
            ? `Slack channel ${row.slackChannel} with bot token ${row.secretHint ?? ''}`
            : `Slack webhook ${row.secretHint ?? ''}`,
      nextDueAt: row.nextDueAt,
      paused: row.paused,
      deliveries: row.deliveries,
    })),
    initiatives: initiatives.map((initiative) => ({ id: initiative.id, name: initiative.name })),
    smtp: smtp
      ? {
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          username: smtp.username,
          from: smtp.fromAddress,
          hasPassword: smtp.passwordSecret !== null,
        }
      : null,
    smtpFromEnvironment: !!env().UPSHOT_SMTP_URL,
    keyProblem,
  }
}

/** The subscription a button's form names. */
export const subscriptionIdOf = readFormId

export async function removeSubscription(id: number, { db = getDb() }: { db?: Db } = {}): Promise<boolean> {
  return deleteSubscription(db, { id })
}

export async function pauseSubscription(
  id: number,
  paused: boolean,
  { db = getDb() }: { db?: Db } = {},
): Promise<boolean> {
  return setSubscriptionPaused(db, { id, paused })
}
