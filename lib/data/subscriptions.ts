// The Subscriptions page (admin): who gets the one-pager, how often and where; each delivery and its attempts;
// the SMTP server. Secrets are encrypted on the way in (lib/publish/secrets.ts) and never come back out: the
// page shows a hint of each ("hooks.slack.com/…1234"), the form's password field is always empty. Server-only.
import 'server-only'
import { z } from 'zod'
import { getDb, type Db } from '@/db/client'
import { listInitiatives } from '@/db/queries/initiatives'
import {
  deleteSubscription,
  getSmtpSettings,
  insertSubscription,
  listSubscriptions,
  putSmtpSettings,
  setSubscriptionPaused,
  type DeliveryWithAttempts,
} from '@/db/queries/subscriptions'
import { deliveryCadences, deliveryChannels, type DeliveryCadence, type DeliveryChannel } from '@/lib/domain'
import { env } from '@/lib/env'
import { isUpshotError } from '@/lib/errors'
import { encryptSecret, masterKey, secretHint } from '@/lib/publish/secrets'
import { readFormId } from './form-id'
import { fieldErrors, formValues } from './form-state'

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

export interface PublishFormState {
  values: Record<string, string>
  errors: Record<string, string>
  message: string | null
}

const emailAddress = z.email({ error: 'is not an e-mail address' })

const subscriptionSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Give it a name, e.g. “Monthly to the VP”')
      .max(100, 'Keep the name under 100 characters'),
    initiative: z.union([z.literal(''), z.string().regex(/^\d{1,9}$/, 'Choose an initiative from the list')]),
    cadence: z.enum(deliveryCadences, { error: 'Choose weekly or monthly' }),
    channel: z.enum(deliveryChannels, { error: 'Choose e-mail or Slack' }),
    first: z.enum(['now', 'next'], { error: 'Choose when the first one goes' }),
    recipients: z.string(),
    slackWebhook: z.string().trim(),
    slackToken: z.string().trim(),
    slackChannel: z.string().trim(),
  })
  .superRefine((input, context) => {
    const issue = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message })
    if (input.channel === 'email') {
      const addresses = splitAddresses(input.recipients)
      if (addresses.length === 0) issue('recipients', 'Give at least one e-mail address')
      if (addresses.length > 50) issue('recipients', 'At most 50 addresses; use a mailing list')
      const bad = addresses.filter((address) => !emailAddress.safeParse(address).success)
      if (bad.length > 0) issue('recipients', `Not e-mail addresses: ${bad.slice(0, 3).join(', ')}`)
    } else if (input.slackWebhook) {
      if (input.slackToken) issue('slackToken', 'Give a webhook URL or a bot token, not both')
      let url: URL | null = null
      try {
        url = new URL(input.slackWebhook)
      } catch {}
      // https, or plain http to this machine only (a local relay, a test double): the URL is a credential
      const loopback = url?.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
      if (!url || !(url.protocol === 'https:' || loopback))
        issue('slackWebhook', 'Paste the whole incoming-webhook URL (https://hooks.slack.com/services/…)')
    } else if (input.slackToken) {
      if (!/^xox[bp]-[A-Za-z0-9-]{10,}$/.test(input.slackToken))
        issue('slackToken', 'A bot token starts with xoxb- (Slack app → OAuth & Permissions)')
      if (!/^[CGD][A-Z0-9]{6,}$/.test(input.slackChannel))
        issue('slackChannel', 'Give the channel’s id (C…), from the channel’s details in Slack; invite the app to it')
    } else {
      issue('slackWebhook', 'Give an incoming-webhook URL, or a bot token and a channel')
    }
  })

function splitAddresses(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((address) => address.trim())
    .filter(Boolean)
}

/** The next regular time: Monday 08:00 UTC for weekly, the 1st at 08:00 UTC for monthly. */
export function nextRegularTime(cadence: DeliveryCadence, now = new Date()): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 8))
  if (cadence === 'weekly') {
    const days = (8 - at.getUTCDay()) % 7 || (at > now ? 0 : 7)
    at.setUTCDate(at.getUTCDate() + days)
    return at
  }
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 8))
  if (first > now) return first
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 8))
}

/** The form as it goes back to the browser after a refusal: secrets are never sent back. */
const withoutSecrets = (values: Record<string, string>) => ({
  ...values,
  slackWebhook: '',
  slackToken: '',
  password: '',
})

export type PublishSubmitResult = { ok: true; id: number } | { ok: false; state: PublishFormState }

export async function submitSubscriptionForm(
  form: FormData,
  createdBy: string,
  { db = getDb(), now = new Date() }: { db?: Db; now?: Date } = {},
): Promise<PublishSubmitResult> {
  const values = formValues(form)
  const refuse = (errors: Record<string, string>, message = 'Nothing was saved: fix the fields marked below.') => ({
    ok: false as const,
    state: { values: withoutSecrets(values), errors, message },
  })
  const parsed = subscriptionSchema.safeParse({
    name: values.name ?? '',
    initiative: values.initiative ?? '',
    cadence: values.cadence ?? '',
    channel: values.channel ?? '',
    first: values.first ?? 'next',
    recipients: values.recipients ?? '',
    slackWebhook: values.slackWebhook ?? '',
    slackToken: values.slackToken ?? '',
    slackChannel: values.slackChannel ?? '',
  })
  if (!parsed.success) {
    return refuse(fieldErrors(parsed.error.issues))
  }
  const input = parsed.data
  const initiativeId = input.initiative ? Number(input.initiative) : null
  if (initiativeId !== null && !(await listInitiatives(db)).some((initiative) => initiative.id === initiativeId))
    return refuse({ initiative: 'That initiative was deleted; reload the page' })
  let secret: string | null = null
  let hint: string | null = null
  try {
    if (input.channel === 'slack') {
      const plain = input.slackWebhook || input.slackToken
      secret = encryptSecret(plain, input.slackWebhook ? 'slack-webhook' : 'slack-token')
      hint = secretHint(plain)
    }
  } catch (error) {
    if (isUpshotError(error)) return refuse({}, `Nothing was saved: ${error.message}`)
    throw error
  }
  const id = await insertSubscription(db, {
    name: input.name,
    initiativeId,
    cadence: input.cadence,
    channel: input.channel,
    recipients: input.channel === 'email' ? [...new Set(splitAddresses(input.recipients))] : [],
    slackChannel: input.channel === 'slack' && !input.slackWebhook ? input.slackChannel : null,
    secret,
    secretHint: hint,
    nextDueAt: input.first === 'now' ? now : nextRegularTime(input.cadence, now),
    createdBy,
  })
  return { ok: true, id }
}

const smtpSchema = z.object({
  host: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.-]{1,253}$|^\[[0-9a-fA-F:.]+\]$/, 'Give the SMTP server’s host name, e.g. smtp.example.com'),
  port: z.coerce
    .number({ error: 'Give a port' })
    .int('Give a whole port number')
    .min(1)
    .max(65535, 'Ports go up to 65535'),
  secure: z.enum(['on', 'off']),
  username: z.string().trim().max(200),
  password: z.string().max(500),
  from: z.string().trim().min(3, 'Give the From address, e.g. Upshot <upshot@example.com>').max(200),
})

/** Saves the SMTP server; an empty password field keeps the stored password (it is never shown). */
export async function submitSmtpForm(
  form: FormData,
  updatedBy: string,
  { db = getDb() }: { db?: Db } = {},
): Promise<PublishSubmitResult> {
  const values = formValues(form)
  const parsed = smtpSchema.safeParse({ ...values, secure: values.secure === 'on' ? 'on' : 'off' })
  if (!parsed.success) {
    return {
      ok: false,
      state: {
        values: withoutSecrets(values),
        errors: fieldErrors(parsed.error.issues),
        message: 'Nothing was saved: fix the fields marked below.',
      },
    }
  }
  const input = parsed.data
  // The stored password goes only to the server and user it was typed for: change either and it must be typed
  // again (else an admin could point the saved password at a server of their own and read it there).
  const stored = await getSmtpSettings(db)
  const sameServer =
    stored !== null &&
    stored.host === input.host &&
    stored.port === input.port &&
    stored.username === (input.username || null)
  if (!input.password && input.username && !(sameServer && stored?.passwordSecret))
    return {
      ok: false,
      state: {
        values: withoutSecrets(values),
        errors: {
          password: 'Type the password: the server or the user name changed, so the saved one is not sent there',
        },
        message: 'Nothing was saved: fix the fields marked below.',
      },
    }
  let passwordSecret: string | null | 'keep' = 'keep'
  try {
    if (input.password) passwordSecret = encryptSecret(input.password, 'smtp-password')
    else if (!input.username) passwordSecret = null
  } catch (error) {
    if (isUpshotError(error))
      return {
        ok: false,
        state: { values: withoutSecrets(values), errors: {}, message: `Nothing was saved: ${error.message}` },
      }
    throw error
  }
  await putSmtpSettings(db, {
    host: input.host,
    port: input.port,
    secure: input.secure === 'on',
    username: input.username || null,
    passwordSecret,
    fromAddress: input.from,
    updatedBy,
  })
  return { ok: true, id: 1 }
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
