'use client'

import { useActionState } from 'react'
import type { InitiativeFormState } from '@/lib/data/initiative-form'
import { DayField } from '@/app/_components/day-field'
import { fieldFeedback } from '@/app/_components/field-feedback'
import { saveInitiativeAction } from './actions'

export interface InitiativeFormProps {
  id: number | null
  teams: { id: number; name: string; groupName: string | null }[]
  /** Each use case with the metrics it is usually judged by (suggested as primary). */
  useCases: { value: string; label: string; primary: string[] }[]
  metrics: { value: string; label: string }[]
  initial: Record<string, string>
}

const WINDOWS = [
  {
    legend: 'Baseline (before)',
    from: 'baselineStart',
    to: 'baselineEnd',
    hint: 'Weeks before the launch the teams are measured on first.',
  },
  {
    legend: 'Evaluation (after)',
    from: 'evaluationStart',
    to: 'evaluationEnd',
    hint: 'Weeks after the launch that decide the result.',
  },
] as const

/** The create/edit form: every field says what is wrong with it, and what was typed stays. */
export function InitiativeForm({ id, teams, useCases, metrics, initial }: InitiativeFormProps) {
  const [state, action, pending] = useActionState(saveInitiativeAction.bind(null, id), {
    values: initial,
    errors: {},
    message: null,
  } satisfies InitiativeFormState)
  const value = (name: string) => state.values[name] ?? ''
  const { error, described } = fieldFeedback(state.errors, 'initiative')
  return (
    // keyed on the state, so a refused form shows what was sent
    <form action={action} className="form" key={JSON.stringify(state.values)} data-testid="initiative-form" noValidate>
      {state.message ? (
        <p className="notice" role="alert">
          {state.message}
        </p>
      ) : null}
      <label className="field wide">
        <span>Name</span>
        <input name="name" defaultValue={value('name')} maxLength={200} {...described('name')} />
        {error('name')}
      </label>
      <label className="field">
        <span>Use case</span>
        <select name="useCase" defaultValue={value('useCase')} {...described('useCase')}>
          <option value="">Choose…</option>
          {useCases.map((useCase) => (
            <option key={useCase.value} value={useCase.value}>
              {useCase.label}
            </option>
          ))}
        </select>
        {error('useCase')}
      </label>
      <DayField label="Launch date" name="launchDate" defaultValue={value('launchDate')} {...described('launchDate')}>
        {error('launchDate')}
      </DayField>
      {WINDOWS.map((window) => (
        <fieldset key={window.legend}>
          <legend>{window.legend}</legend>
          <p className="hint">{window.hint}</p>
          <DayField label="From" name={window.from} defaultValue={value(window.from)} {...described(window.from)}>
            {error(window.from)}
          </DayField>
          <DayField
            label="To (not included)"
            name={window.to}
            defaultValue={value(window.to)}
            {...described(window.to)}
          >
            {error(window.to)}
          </DayField>
        </fieldset>
      ))}
      <label className="field wide">
        <span>Description (optional)</span>
        <textarea name="description" defaultValue={value('description')} rows={3} {...described('description')} />
        {error('description')}
      </label>
      <fieldset
        className="wide"
        aria-describedby={state.errors.primaryMetrics ? 'initiative-primaryMetrics-error' : 'primary-hint'}
      >
        <legend>Primary metrics</legend>
        <p className="hint" id="primary-hint">
          The pain the pilot is meant to move, named before it starts. Primary metrics are tested first; other changes
          are stated only once every primary metric is confirmed, so the chance that anything the report states is false
          stays at 5%. Tick up to three; none ticked takes the use case’s usual ones:{' '}
          {useCases
            .map(
              (useCase) =>
                `${useCase.label.toLowerCase()}: ${useCase.primary.map((key) => metrics.find((metric) => metric.value === key)?.label ?? key).join(' and ')}`,
            )
            .join('; ')}
          .
        </p>
        {error('primaryMetrics')}
        <div className="team-roles">
          {metrics.map((metric) => (
            <label key={metric.value} className="field inline checkbox">
              <input
                type="checkbox"
                name={`primary:${metric.value}`}
                defaultChecked={value(`primary:${metric.value}`) === 'on'}
              />
              <span>{metric.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="wide" aria-describedby={state.errors.teams ? 'initiative-teams-error' : undefined}>
        <legend>Teams</legend>
        <p className="hint">
          Pilot teams adopt the portal at the launch; control teams do not (yet), and show what would have happened
          anyway.
        </p>
        {error('teams')}
        <div className="team-roles">
          {teams.map((team) => (
            <label key={team.id} className="field inline">
              <span>{team.name}</span>
              <select
                name={`team:${team.id}`}
                defaultValue={value(`team:${team.id}`)}
                aria-label={`Role of ${team.name}`}
              >
                <option value="">not in it</option>
                <option value="pilot">pilot</option>
                <option value="control">control</option>
              </select>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-actions wide">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : id === null ? 'Create initiative' : 'Save changes'}
        </button>
      </div>
    </form>
  )
}
