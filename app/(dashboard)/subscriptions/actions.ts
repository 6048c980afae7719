'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { guardAction } from '@/lib/auth/guard'
import type { PublishFormState } from '@/lib/data/publish-form'
import { submitSmtpForm } from '@/lib/data/smtp-form'
import { submitSubscriptionForm } from '@/lib/data/subscription-form'
import { pauseSubscription, removeSubscription, subscriptionIdOf } from '@/lib/data/subscriptions'
import { sendNow } from '@/lib/publish/worker'

/** Adds a subscription; a refusal returns the form (without its secrets). Admins only. */
export const createSubscriptionAction = guardAction(
  'admin',
  async (viewer, _previous: PublishFormState, form: FormData): Promise<PublishFormState> => {
    if (!(form instanceof FormData)) return { values: {}, errors: {}, message: 'Nothing was saved: reload the page.' }
    const result = await submitSubscriptionForm(form, viewer.name)
    if (!result.ok) return result.state
    revalidatePath('/subscriptions')
    redirect(`/subscriptions?saved=${result.id}`)
  },
)

/** Saves the SMTP server; an empty password keeps the stored one. Admins only. */
export const saveSmtpAction = guardAction(
  'admin',
  async (viewer, _previous: PublishFormState, form: FormData): Promise<PublishFormState> => {
    if (!(form instanceof FormData)) return { values: {}, errors: {}, message: 'Nothing was saved: reload the page.' }
    const result = await submitSmtpForm(form, viewer.name)
    if (!result.ok) return result.state
    revalidatePath('/subscriptions')
    redirect('/subscriptions?smtp=saved')
  },
)

/** Sends a subscription's one-pager now, outside its schedule (retried like any delivery). Admins only. */
export const sendNowAction = guardAction('admin', async (_viewer, form: FormData): Promise<void> => {
  const id = form instanceof FormData ? subscriptionIdOf(form) : null
  if (id !== null) await sendNow(id)
  revalidatePath('/subscriptions')
  redirect(`/subscriptions?sent=${id ?? ''}`)
})

/** Pauses or resumes a subscription (`paused` = "1" pauses). Admins only. */
export const pauseSubscriptionAction = guardAction('admin', async (_viewer, form: FormData): Promise<void> => {
  const id = form instanceof FormData ? subscriptionIdOf(form) : null
  if (id !== null) await pauseSubscription(id, form.get('paused') === '1')
  revalidatePath('/subscriptions')
})

/** Deletes a subscription and its delivery log (the snapshots it sent are kept). Admins only. */
export const deleteSubscriptionAction = guardAction('admin', async (_viewer, form: FormData): Promise<void> => {
  const id = form instanceof FormData ? subscriptionIdOf(form) : null
  if (id !== null) await removeSubscription(id)
  revalidatePath('/subscriptions')
})
