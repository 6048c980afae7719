'use client'

import { useActionState } from 'react'
import type { AccessResult, TokenFormState } from '@/lib/data/access'

/** A one-button form whose answer (done, or why not) shows beside it. */
export function ActionForm({
  action,
  fields,
  label,
  testId,
}: {
  action: (previous: AccessResult | null, form: FormData) => Promise<AccessResult>
  fields: Record<string, string>
  label: string
  testId?: string
}) {
  const [state, run, pending] = useActionState(action, null)
  return (
    <form action={run} className="inline-form" data-testid={testId}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="secondary" disabled={pending}>
        {label}
      </button>
      {state ? <span role={state.ok ? 'status' : 'alert'}>{state.message}</span> : null}
    </form>
  )
}

export function TokenForm({
  action,
  scopes,
}: {
  action: (previous: TokenFormState, form: FormData) => Promise<TokenFormState>
  scopes: readonly string[]
}) {
  const [state, run, pending] = useActionState(action, { token: null, message: null, error: null })
  return (
    <form action={run} className="form" data-testid="token-form">
      <label className="field">
        <span>Name (what uses it)</span>
        <input name="name" required maxLength={100} />
      </label>
      <fieldset className="field">
        <legend>May</legend>
        {scopes.map((scope) => (
          <label key={scope}>
            <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === scopes[0]} /> {scope}
          </label>
        ))}
      </fieldset>
      <p className="wide">
        <button type="submit" disabled={pending}>
          Create token
        </button>
      </p>
      {state.error ? (
        <p className="notice wide" role="alert">
          {state.error}
        </p>
      ) : null}
      {state.token ? (
        <div className="saved wide" role="status">
          <p>{state.message}</p>
          <p className="token-shown" data-testid="new-token">
            {state.token}
          </p>
        </div>
      ) : null}
    </form>
  )
}
