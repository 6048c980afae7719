'use client'

import { parseAsString, useQueryStates } from 'nuqs'
import { useTransition } from 'react'
import { readDay } from '@/lib/dates'
import { DayField } from './day-field'

export interface FilterBarProps {
  teams: { id: number; name: string; groupName: string | null }[]
  groups: string[]
  /** The initiative in view, whose pilot and control teams the select offers as two groups (`group=pilot|control`). */
  cohorts?: { initiative: string; pilot: number; control: number } | null
  /** The parameters the URL gave (what is chosen). */
  chosen: { teams?: string; group?: string; compareFrom?: string; compareTo?: string }
  /** The weeks in effect (defaults filled in). */
  window: { from: string; to: string; compareFrom: string | null; compareTo: string | null }
  launch: string | null
  /** Hide the comparison inputs (a page that compares nothing). */
  compare?: boolean
}

const filterParsers = {
  teams: parseAsString,
  group: parseAsString,
  from: parseAsString,
  to: parseAsString,
  compareFrom: parseAsString,
  compareTo: parseAsString,
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * Teams or a group, the weeks shown and the weeks they are compared with, all held in the URL: a filtered
 * page is a link to share, and the back button undoes a change. The server renders the page for the URL.
 */
export function FilterBar({ teams, groups, cohorts = null, chosen, window, launch, compare = true }: FilterBarProps) {
  const [pending, startTransition] = useTransition()
  const [, setParams] = useQueryStates(filterParsers, { shallow: false, history: 'push', startTransition })
  const scope = chosen.group
    ? `group:${chosen.group}`
    : chosen.teams && !chosen.teams.includes(',')
      ? `team:${chosen.teams}`
      : chosen.teams
        ? 'several'
        : 'all'

  function onScope(value: string) {
    if (value.startsWith('group:')) void setParams({ group: value.slice(6), teams: null })
    else if (value.startsWith('team:')) void setParams({ teams: value.slice(5), group: null })
    else void setParams({ teams: null, group: null })
  }

  function onDates(form: FormData) {
    // typed as "6 Apr 2026" or ISO; the URL holds ISO (the browser has refused what readDay cannot read)
    const text = (name: string) => String(form.get(name) ?? '').trim()
    const value = (name: string) => (text(name) ? readDay(text(name)) : null)
    if (['from', 'to', 'compareFrom', 'compareTo'].some((name) => text(name) && !value(name))) return
    void setParams({
      from: value('from'),
      to: value('to'),
      ...(compare ? { compareFrom: value('compareFrom'), compareTo: value('compareTo') } : {}),
    })
  }

  function previousPeriod() {
    const from = Date.parse(window.from)
    const length = Date.parse(window.to) - from
    void setParams({ compareFrom: iso(from - length), compareTo: iso(from) })
  }

  const byGroup = new Map<string, FilterBarProps['teams']>()
  for (const team of teams) {
    const key = team.groupName ?? 'Other teams'
    byGroup.set(key, [...(byGroup.get(key) ?? []), team])
  }

  return (
    <div className="filters" data-testid="filters" aria-busy={pending}>
      <label className="field">
        <span>Teams</span>
        <select value={scope} onChange={(event) => onScope(event.target.value)} data-testid="filter-scope">
          <option value="all">All teams</option>
          {scope === 'several' ? <option value="several">Several teams</option> : null}
          {groups.length > 0 ? (
            <optgroup label="Groups">
              {groups.map((group) => (
                <option key={group} value={`group:${group}`}>
                  {group} (every team)
                </option>
              ))}
            </optgroup>
          ) : null}
          {cohorts ? (
            <optgroup label={`Initiative: ${cohorts.initiative}`}>
              {cohorts.pilot > 0 ? <option value="group:pilot">Pilot teams ({cohorts.pilot})</option> : null}
              {cohorts.control > 0 ? <option value="group:control">Control teams ({cohorts.control})</option> : null}
            </optgroup>
          ) : null}
          {[...byGroup.entries()].map(([group, members]) => (
            <optgroup key={group} label={group}>
              {members.map((team) => (
                <option key={team.id} value={`team:${team.id}`}>
                  {team.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {/* keyed on the weeks in effect and the chosen comparison, so the inputs show the URL's after every navigation */}
      <form key={JSON.stringify([window, chosen.compareFrom, chosen.compareTo])} action={onDates} className="dates">
        <fieldset>
          <legend>Weeks shown</legend>
          <DayField label="From" name="from" defaultValue={window.from} required />
          <DayField label="To" name="to" defaultValue={window.to} required />
        </fieldset>
        {compare ? (
          <fieldset>
            {/* empty unless chosen: the default comparison follows the weeks shown (or the launch) */}
            <legend>Compared with (empty: {launch ? 'before launch' : 'the period before'})</legend>
            <DayField label="From" name="compareFrom" defaultValue={chosen.compareFrom ?? ''} />
            <DayField label="To" name="compareTo" defaultValue={chosen.compareTo ?? ''} />
          </fieldset>
        ) : null}
        <div className="filter-actions">
          <button type="submit">Apply</button>
          {compare ? (
            <button type="button" className="secondary" onClick={previousPeriod}>
              Compare with the period before
            </button>
          ) : null}
          {compare && launch ? (
            <button
              type="button"
              className="secondary"
              onClick={() => void setParams({ compareFrom: null, compareTo: null })}
            >
              Compare with before launch
            </button>
          ) : null}
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void setParams({ teams: null, group: null, from: null, to: null, compareFrom: null, compareTo: null })
            }
          >
            Reset
          </button>
        </div>
      </form>
      {pending ? (
        <p className="pending" role="status">
          Updating…
        </p>
      ) : null}
    </div>
  )
}
