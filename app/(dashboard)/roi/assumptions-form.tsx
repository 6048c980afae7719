'use client'

import { useActionState, useState } from 'react'
import type { AssumptionFormState, RoiMeasured } from '@/lib/data/roi'
import { assumptionKeys, readAssumptionForm, type AssumptionFormReading, type Assumptions } from '@/lib/roi/assumptions'
import { roiFigures, type RoiFigures } from '@/lib/roi/figures'
import { roiModel } from '@/lib/roi/model'
import { saveAssumptionsAction } from './actions'
import { RoiFigureList } from './roi-figures'

export interface AssumptionsFormProps {
  /** `options`: a choice among named values (a select); a `switch` unit is a checkbox; the rest are numbers. */
  fields: {
    key: string
    label: string
    unit: string
    help: string
    value: number
    options?: { value: string; label: string }[]
  }[]
  /** The measured effects and yearly counts the one-pager's money stands on (from the server). */
  measured: RoiMeasured
  /** The saved assumptions and what they give: the one-pager's figures. */
  saved: { values: Assumptions; figures: RoiFigures }
  /** Whose effects: the one-pager's initiative, or null without one. */
  initiative: string | null
}

/** Every assumption with its unit and what it is for; a wrong one is refused with a message on its field. */
export function AssumptionsForm({ fields, measured, saved, initiative }: AssumptionsFormProps) {
  const initial: AssumptionFormState = {
    values: Object.fromEntries(fields.map((field) => [field.key, String(field.value)])),
    errors: {},
    message: null,
    saved: null,
  }
  const [state, action, pending] = useActionState(saveAssumptionsAction, initial)
  // What the fields hold as they are typed in; until one changes (and after each submit), what the form was given.
  const [typed, setTyped] = useState<{ state: AssumptionFormState; reading: AssumptionFormReading } | null>(null)
  const reading =
    typed?.state === state ? typed.reading : readAssumptionForm({ get: (key) => state.values[key] ?? null })
  return (
    <form
      action={action}
      className="form"
      key={JSON.stringify(state.values) + String(state.saved)}
      data-testid="assumptions-form"
      noValidate
      onChange={(event) => setTyped({ state, reading: readAssumptionForm(new FormData(event.currentTarget)) })}
    >
      {state.message ? (
        <p
          className={state.saved === null ? 'notice wide' : 'saved wide'}
          role={state.saved === null ? 'alert' : 'status'}
        >
          {state.message}
        </p>
      ) : null}
      <LiveResult reading={reading} measured={measured} saved={saved} initiative={initiative} />
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
              <input
                type="checkbox"
                name={field.key}
                value="1"
                defaultChecked={state.values[field.key] === '1'}
                {...described}
              />
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

/**
 * The money as saved (the one-pager's) beside what it would be if the form were saved now: the same model
 * (lib/roi/model.ts) on the same measured effects and counts, with the assumptions as typed.
 */
function LiveResult({
  reading,
  measured,
  saved,
  initiative,
}: {
  reading: AssumptionFormReading
  measured: RoiMeasured
  saved: AssumptionsFormProps['saved']
  initiative: string | null
}) {
  const typed = reading.assumptions
  const unchanged = typed !== null && assumptionKeys.every((key) => typed[key] === saved.values[key])
  const problems = Object.values(reading.errors)
  return (
    <section className="roi-live wide" aria-label="What the assumptions give" data-testid="roi-live">
      <p className="hint">
        {initiative ? (
          <>Measured effects of {initiative}, the one-pager’s initiative</>
        ) : (
          <>No initiative yet: only the cost is known</>
        )}
        , over the organisation’s last year.
      </p>
      <div className="roi-live-columns">
        <div>
          <h2>Saved: on the one-pager</h2>
          <RoiFigureList figures={saved.figures} testId="roi-saved" />
        </div>
        <div aria-live="polite">
          <h2>If saved: {unchanged ? 'no change yet' : 'with the values below'}</h2>
          {typed ? (
            <RoiFigureList figures={roiFigures(roiModel({ assumptions: typed, ...measured }))} testId="roi-if-saved" />
          ) : (
            <p className="field-error" data-testid="roi-if-saved-problem">
              Not worked out until {problems.length === 1 ? 'this is' : 'these are'} fixed: {problems.join('; ')}.
            </p>
          )}
        </div>
      </div>
    </section>
  )
}
