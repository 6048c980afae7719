'use client'

import { useActionState, useState } from 'react'
import { DayField } from '@/app/_components/day-field'
import type { GoalDeleteResult, GoalFormState } from '@/lib/data/goals'
import { deleteGoalAction, saveGoalAction } from './goal-actions'
import { fieldFeedback } from '@/app/_components/field-feedback'

export interface GoalMetricChoice {
  key: string
  label: string
  /** The words beside the target field: "days", "%", "out of 10". */
  unit: string
}

/** Setting a goal: one metric, the value to reach (in the unit the page writes it in) and the day it is due. */
export function GoalForm({ initiativeId, metrics }: { initiativeId: number; metrics: GoalMetricChoice[] }) {
  const [state, action, pending] = useActionState(saveGoalAction.bind(null, initiativeId), {
    values: {},
    errors: {},
    message: null,
  } satisfies GoalFormState)
  const [chosen, setChosen] = useState(state.values.metric ?? '')
  const unit = metrics.find((metric) => metric.key === chosen)?.unit
  const { error, described } = fieldFeedback(state.errors, 'goal')
  return (
    // keyed on the state, so a refused form shows what was sent and a saved one starts empty
    <form action={action} className="form" key={JSON.stringify(state)} data-testid="goal-form" noValidate>
      {state.message ? (
        <p className="notice wide" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.saved ? (
        <p className="wide" role="status">
          {state.saved}
        </p>
      ) : null}
      <label className="field">
        <span>Metric</span>
        <select
          name="metric"
          defaultValue={state.values.metric ?? ''}
          onChange={(event) => setChosen(event.currentTarget.value)}
          {...described('metric')}
        >
          <option value="">Choose…</option>
          {metrics.map((metric) => (
            <option key={metric.key} value={metric.key}>
              {metric.label}
            </option>
          ))}
        </select>
        {error('metric')}
      </label>
      <label className="field">
        <span>Target{unit ? ` (${unit})` : ''}</span>
        <input
          name="target"
          inputMode="decimal"
          defaultValue={state.values.target ?? ''}
          size={8}
          autoComplete="off"
          {...described('target')}
        />
        {error('target')}
      </label>
      <DayField label="Due" name="dueOn" defaultValue={state.values.dueOn ?? ''} {...described('dueOn')}>
        {error('dueOn')}
      </DayField>
      <div className="form-actions wide">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Set goal'}
        </button>
        <span className="hint">A goal already set for the metric is replaced.</span>
      </div>
    </form>
  )
}

/** Remove, then confirm: a goal set at the start of a pilot is its promise, not to be lost to a stray click. */
export function RemoveGoalForm({
  initiativeId,
  metric,
  label,
}: {
  initiativeId: number
  metric: string
  label: string
}) {
  const [state, run, pending] = useActionState(
    deleteGoalAction.bind(null, initiativeId),
    null as GoalDeleteResult | null,
  )
  const [asking, setAsking] = useState(false)
  if (!asking) {
    return (
      <button
        type="button"
        className="link-button"
        onClick={() => setAsking(true)}
        aria-label={`Remove the goal for ${label}`}
      >
        Remove
      </button>
    )
  }
  return (
    <form action={run} className="inline-form">
      <input type="hidden" name="metric" value={metric} />
      <button
        type="submit"
        className="secondary"
        disabled={pending}
        aria-label={`Confirm: remove the goal for ${label}`}
      >
        Remove it
      </button>
      <button type="button" className="link-button" onClick={() => setAsking(false)}>
        Keep it
      </button>
      {state ? <span role={state.ok ? 'status' : 'alert'}>{state.message}</span> : null}
    </form>
  )
}
