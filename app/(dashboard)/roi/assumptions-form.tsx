'use client'

import { useActionState } from 'react'
import type { AssumptionFormState } from '../../../lib/data/roi'
import { saveAssumptionsAction } from './actions'

export interface AssumptionsFormProps {
  /** `options`: a choice among named values (a select); a `switch` unit is a checkbox; the rest are numbers. */
  fields: { key: string; label: string; unit: string; help: string; value: number; options?: { value: string; label: string }[] }[]
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
      {fields.map((field) => {
        const described = {
          'aria-invalid': state.errors[field.key] ? true : undefined,
          'aria-describedby': `${field.key}-help${state.errors[field.key] ? ` ${field.key}-error` : ''}`,
        }
        return (
        <label key={field.key} className={field.unit === 'switch' ? 'field field-check' : 'field'}>
          <span>{field.options || field.unit === 'switch' ? field.label : `${field.label} (${field.unit})`}</span>
          {field.options ? (
            <select name={field.key} defaultValue={state.values[field.key] ?? ''} {...described}>
              {field.options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          ) : field.unit === 'switch' ? (
            <input type="checkbox" name={field.key} value="1" defaultChecked={state.values[field.key] === '1'} {...described} />
          ) : (
            <input name={field.key} inputMode="decimal" defaultValue={state.values[field.key] ?? ''} {...described} />
          )}
          <small id={`${field.key}-help`} className="hint">
            {field.help}
          </small>
          {state.errors[field.key] ? (
            <p className="field-error" id={`${field.key}-error`} role="alert">
              {state.errors[field.key]}
            </p>
          ) : null}
        </label>
        )
      })}
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
