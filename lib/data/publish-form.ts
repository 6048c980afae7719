// What the Subscriptions page's two forms (a subscription, the SMTP server) share: the state a refused form goes back
// to the browser with, minus its secrets, and the result of a submission. Server-only.
import 'server-only'

export interface PublishFormState {
  values: Record<string, string>
  errors: Record<string, string>
  message: string | null
}

/** The form as it goes back to the browser after a refusal: secrets are never sent back. */
export const withoutSecrets = (values: Record<string, string>) => ({
  ...values,
  slackWebhook: '',
  slackToken: '',
  password: '',
})

export type PublishSubmitResult = { ok: true; id: number } | { ok: false; state: PublishFormState }
