'use client'

import Link from 'next/link'
import { useActionState, useState } from 'react'
import type { MilestoneFormState } from '@/lib/data/milestones'
import { DayField } from '@/app/_components/day-field'
import { saveMilestoneAction } from './actions'
import { fieldFeedback } from '@/app/_components/field-feedback'

export interface MilestoneFormProps {
  id: number | null
  teams: { id: number; name: string }[]
  kinds: { value: string; label: string }[]
  initial: Record<string, string>
}

/** Adding or editing a milestone: every field says what is wrong with it, and what was typed stays. */
export function MilestoneForm({ id, teams, kinds, initial }: MilestoneFormProps) {
  const [state, action, pending] = useActionState(saveMilestoneAction.bind(null, id), {
    values: initial,
    errors: {},
    message: null,
  } satisfies MilestoneFormState)
  const value = (name: string) => state.values[name] ?? ''
  const { error, described } = fieldFeedback(state.errors, 'milestone')
  return (
    // keyed on the state, so a refused form shows what was sent
    <form action={action} className="form" key={JSON.stringify(state.values)} data-testid="milestone-form" noValidate>
      {state.message ? (
        <p className="notice wide" role="alert">
          {state.message}
        </p>
      ) : null}
      <label className="field">
        <span>Kind</span>
        <select name="kind" defaultValue={value('kind')} {...described('kind')}>
          <option value="">Choose…</option>
          {kinds.map((kind) => (
            <option key={kind.value} value={kind.value}>
              {kind.label}
            </option>
          ))}
        </select>
        {error('kind')}
      </label>
      <DayField label="Date" name="occurredOn" defaultValue={value('occurredOn')} {...described('occurredOn')}>
        {error('occurredOn')}
      </DayField>
      <label className="field wide">
        <span>Name</span>
        <input name="name" defaultValue={value('name')} maxLength={200} {...described('name')} />
        {error('name')}
      </label>
      <label className="field wide">
        <span>Note (optional)</span>
        <textarea name="description" defaultValue={value('description')} rows={2} {...described('description')} />
        {error('description')}
      </label>
      <TeamChoice
        teams={teams}
        scope={value('scope') || 'all'}
        chosen={value('teams').split(',')}
        error={error('teams')}
        invalid={Boolean(state.errors.teams)}
      />
      <div className="form-actions wide">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : id === null ? 'Add milestone' : 'Save changes'}
        </button>
        {id === null ? null : (
          <>
            {' '}
            <Link href="/milestones">Cancel</Link>
          </>
        )}
      </div>
    </form>
  )
}

/** Every team (the default), or the teams checked: the checkboxes are off while "All teams" is chosen. */
function TeamChoice({
  teams,
  scope,
  chosen,
  error,
  invalid,
}: {
  teams: MilestoneFormProps['teams']
  scope: string
  chosen: string[]
  error: React.ReactNode
  invalid: boolean
}) {
  const [current, setCurrent] = useState(scope)
  return (
    <fieldset className="wide" aria-describedby={invalid ? 'milestone-teams-error' : undefined}>
      <legend>Teams</legend>
      <p className="hint">
        A milestone for some teams shows on the charts when those teams are shown, and on every unfiltered chart.
      </p>
      {error}
      <label>
        <input type="radio" name="scope" value="all" checked={current === 'all'} onChange={() => setCurrent('all')} />{' '}
        All teams
      </label>
      <label>
        <input
          type="radio"
          name="scope"
          value="some"
          checked={current === 'some'}
          onChange={() => setCurrent('some')}
        />{' '}
        Only these teams
      </label>
      <div className="team-roles">
        {teams.map((team) => (
          <label key={team.id}>
            <input
              type="checkbox"
              name="teams"
              value={team.id}
              defaultChecked={chosen.includes(String(team.id))}
              disabled={current !== 'some'}
            />{' '}
            {team.name}
          </label>
        ))}
      </div>
    </fieldset>
  )
}
