// A new subscription from its form: who gets the one-pager, how often, and by e-mail or Slack (a webhook, or a bot
// token and a channel), checked with a message per field; a Slack credential is encrypted on the way in
// (lib/publish/secrets.ts). Also when a subscription is next due. Server-only.
import 'server-only'
import { z } from 'zod'
import { getDb, type Db } from '@/db/client'
import { listInitiatives } from '@/db/queries/initiatives'
import { insertSubscription } from '@/db/queries/subscriptions'
import { deliveryCadences, deliveryChannels, type DeliveryCadence } from '@/lib/domain'
import { isUpshotError } from '@/lib/errors'
import { encryptSecret, secretHint } from '@/lib/publish/secrets'
import { fieldErrors, formValues } from './form-state'
import { withoutSecrets, type PublishSubmitResult } from './publish-form'

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
