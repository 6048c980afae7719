'use client'

import { useActionState, useState } from 'react'
import type { PublishFormState } from '@/lib/data/publish-form'
import { createSubscriptionAction } from './actions'
import { fieldFeedback } from '@/app/_components/field-feedback'

/** A new subscription: which one-pager, how often, where. The Slack fields are never filled back in. */
export function SubscriptionForm({ initiatives }: { initiatives: { id: number; name: string }[] }) {
  const [state, action, pending] = useActionState(createSubscriptionAction, {
    values: {},
    errors: {},
    message: null,
  } satisfies PublishFormState)
  const [channel, setChannel] = useState(state.values.channel ?? 'email')
  const value = (name: string) => state.values[name] ?? ''
  const { error, described } = fieldFeedback(state.errors, 'subscription')
  return (
    <form
      action={action}
      className="form"
      key={JSON.stringify(state.values)}
      data-testid="subscription-form"
      noValidate
    >
      {state.message ? (
        <p className="notice wide" role="alert">
          {state.message}
        </p>
      ) : null}
      <label className="field">
        <span>Name</span>
        <input name="name" defaultValue={value('name')} maxLength={100} {...described('name')} />
        {error('name')}
      </label>
      <label className="field">
        <span>One-pager</span>
        <select name="initiative" defaultValue={value('initiative')} {...described('initiative')}>
          <option value="">The organisation’s (latest launched initiative)</option>
          {initiatives.map((initiative) => (
            <option key={initiative.id} value={initiative.id}>
              {initiative.name}
            </option>
          ))}
        </select>
        {error('initiative')}
      </label>
      <label className="field">
        <span>How often</span>
        <select name="cadence" defaultValue={value('cadence') || 'monthly'} {...described('cadence')}>
          <option value="weekly">Weekly (Mondays, 08:00 UTC)</option>
          <option value="monthly">Monthly (the 1st, 08:00 UTC)</option>
        </select>
        {error('cadence')}
      </label>
      <label className="field">
        <span>First one</span>
        <select name="first" defaultValue={value('first') || 'next'} {...described('first')}>
          <option value="next">At the next regular time</option>
          <option value="now">Now, then on schedule</option>
        </select>
        {error('first')}
      </label>
      <label className="field">
        <span>Send to</span>
        <select name="channel" value={channel} onChange={(event) => setChannel(event.target.value)}>
          <option value="email">E-mail</option>
          <option value="slack">Slack</option>
        </select>
        {error('channel')}
      </label>
      {channel === 'email' ? (
        <label className="field wide">
          <span>E-mail addresses (comma or line separated)</span>
          <textarea name="recipients" rows={2} defaultValue={value('recipients')} {...described('recipients')} />
          {error('recipients')}
        </label>
      ) : (
        <>
          <label className="field wide">
            <span>Incoming-webhook URL (the PDF is linked)</span>
            <input name="slackWebhook" type="password" autoComplete="off" {...described('slackWebhook')} />
            {error('slackWebhook')}
          </label>
          <label className="field">
            <span>…or a bot token (the PDF is attached)</span>
            <input name="slackToken" type="password" autoComplete="off" {...described('slackToken')} />
            {error('slackToken')}
          </label>
          <label className="field">
            <span>Channel id for the bot (C…)</span>
            <input name="slackChannel" defaultValue={value('slackChannel')} {...described('slackChannel')} />
            {error('slackChannel')}
          </label>
        </>
      )}
      <div className="form-actions wide">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Add subscription'}
        </button>
      </div>
    </form>
  )
}
