'use client'

import { useActionState } from 'react'
import type { PublishFormState } from '@/lib/data/publish-form'
import { saveSmtpAction } from './actions'
import { fieldFeedback } from '@/app/_components/field-feedback'

export interface SmtpFormProps {
  initial: { host: string; port: string; secure: boolean; username: string; from: string }
  hasPassword: boolean
}

/** The SMTP server e-mails go through. The password is never shown: left empty, the stored one stays. */
export function SmtpForm({ initial, hasPassword }: SmtpFormProps) {
  const [state, action, pending] = useActionState(saveSmtpAction, {
    values: { ...initial, secure: initial.secure ? 'on' : '' },
    errors: {},
    message: null,
  } satisfies PublishFormState)
  const value = (name: string) => state.values[name] ?? ''
  const { error } = fieldFeedback(state.errors, 'smtp')
  return (
    <form action={action} className="form" key={JSON.stringify(state.values)} data-testid="smtp-form" noValidate>
      {state.message ? (
        <p className="notice wide" role="alert">
          {state.message}
        </p>
      ) : null}
      <label className="field">
        <span>Host</span>
        <input name="host" defaultValue={value('host')} placeholder="smtp.example.com" />
        {error('host')}
      </label>
      <label className="field">
        <span>Port</span>
        <input name="port" inputMode="numeric" defaultValue={value('port') || '587'} />
        {error('port')}
      </label>
      <label className="field inline">
        <span>TLS from the start (port 465)</span>
        <input type="checkbox" name="secure" defaultChecked={value('secure') === 'on'} />
      </label>
      <label className="field">
        <span>User name</span>
        <input name="username" defaultValue={value('username')} autoComplete="off" />
        {error('username')}
      </label>
      <label className="field">
        <span>Password{hasPassword ? ' (saved; leave empty to keep it)' : ''}</span>
        <input name="password" type="password" autoComplete="new-password" />
        {error('password')}
      </label>
      <label className="field">
        <span>From</span>
        <input name="from" defaultValue={value('from')} placeholder="Upshot <upshot@example.com>" />
        {error('from')}
      </label>
      <div className="form-actions wide">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save SMTP server'}
        </button>
      </div>
    </form>
  )
}
