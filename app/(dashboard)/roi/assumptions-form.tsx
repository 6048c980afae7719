'use client'

import { useActionState } from 'react'
import type { AssumptionFormState } from '../../../lib/data/roi'
import { saveAssumptionsAction } from './actions'

export interface AssumptionsFormProps {
  fields: { key: string; label: string; unit: string; help: string; value: number }[]
}

/** Every assumption with its unit and what it is for; a wrong one is refused with a message on its field. */
export function AssumptionsForm({ fields }: AssumptionsFormProps) {
  const initial: AssumptionFormState = { values: Object.fromEntries(fields.map((field) => [field.key, String(field.value)])), errors: {}, message: null, saved: null }
  const [state, action, pending] = useActionState(saveAssumptionsAction, initial)
  return (
    <form action={action} className="form" key={JSON.stringify(state.values) + String(state.saved)} data-testid="assumptions-form" noValidate>
      {state.message ? (
        <p className={state.saved === null ? 'notice wide' : 'saved wide'} role={state.saved === null ? 'alert' : 'status'}>
          {state.message}
        </p>
      ) : null}
      {fields.map((field) => (
        <label key={field.key} className="field">
          <span>
            {field.label} ({field.unit})
          </span>
          <input
            name={field.key}
            inputMode="decimal"
            defaultValue={state.values[field.key] ?? ''}
            aria-invalid={state.errors[field.key] ? true : undefined}
            aria-describedby={`${field.key}-help${state.errors[field.key] ? ` ${field.key}-error` : ''}`}
          />
          <small id={`${field.key}-help`} className="hint">
            {field.help}
          </small>
          {state.errors[field.key] ? (
            <p className="field-error" id={`${field.key}-error`} role="alert">
              {state.errors[field.key]}
            </p>
          ) : null}
        </label>
      ))}
      <label className="field wide">
        <span>Why (optional, kept with the change)</span>
        <input name="note" maxLength={500} defaultValue={state.saved === null ? (state.values.note ?? '') : ''} />
      </label>
      <div className="form-actions wide">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save assumptions'}
        </button>
      </div>
    </form>
  )
}
