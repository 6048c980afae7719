'use client'

import { useActionState, useEffect, useRef, useState } from 'react'
import type { StudyFormState } from '@/lib/data/study'
import { recordStudyObservationAction } from './actions'
import { fieldFeedback } from '@/app/_components/field-feedback'

/** "2:05.3" */
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${(seconds % 60).toFixed(1).padStart(4, '0')}`

/**
 * The participant's stopwatch: choose the task and phase, start, look it up, stop, say whether it was found,
 * record. The seconds field is filled by the stopwatch and may be typed (a time taken on a phone).
 */
export function StopwatchForm({ tasks }: { tasks: string[] }) {
  const [state, action, pending] = useActionState(recordStudyObservationAction, {
    values: {},
    errors: {},
    message: null,
    saved: false,
  } satisfies StudyFormState)
  const [startedAt, setStartedAt] = useState<number | null>(null)
  const [elapsed, setElapsed] = useState(0)
  const seconds = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (startedAt === null) return
    const timer = setInterval(() => setElapsed((Date.now() - startedAt) / 1000), 100)
    return () => clearInterval(timer)
  }, [startedAt])
  const start = () => {
    setElapsed(0)
    setStartedAt(Date.now())
  }
  const stop = () => {
    if (startedAt === null) return
    const total = (Date.now() - startedAt) / 1000
    setStartedAt(null)
    setElapsed(total)
    if (seconds.current) seconds.current.value = total.toFixed(1)
  }
  const value = (name: string) => state.values[name] ?? ''
  const { error, described } = fieldFeedback(state.errors, 'study')
  return (
    // keyed on the state, so a refused form shows what was sent and a recorded one starts afresh
    <form action={action} className="form" key={JSON.stringify(state)} data-testid="stopwatch-form" noValidate>
      {state.message ? (
        <p className={state.saved ? 'saved wide' : 'notice wide'} role={state.saved ? 'status' : 'alert'}>
          {state.message}
        </p>
      ) : null}
      <label className="field wide">
        <span>Participant (your name or e-mail; only a salted hash of it is stored)</span>
        <input
          name="participant"
          defaultValue={value('participant')}
          maxLength={200}
          autoComplete="off"
          {...described('participant')}
        />
        {error('participant')}
      </label>
      <label className="field wide">
        <span>Task</span>
        <input name="task" list="study-tasks" defaultValue={value('task')} maxLength={200} {...described('task')} />
        <datalist id="study-tasks">
          {tasks.map((task) => (
            <option key={task} value={task} />
          ))}
        </datalist>
        {error('task')}
      </label>
      <fieldset aria-describedby={state.errors.phase ? 'study-phase-error' : undefined}>
        <legend>Phase</legend>
        {error('phase')}
        <label>
          <input type="radio" name="phase" value="before" defaultChecked={value('phase') === 'before'} /> Before (the
          old way)
        </label>
        <label>
          <input type="radio" name="phase" value="after" defaultChecked={value('phase') === 'after'} /> After (the
          portal’s docs)
        </label>
      </fieldset>
      <div className="field">
        <span id="stopwatch-label">Stopwatch</span>
        <span role="timer" aria-labelledby="stopwatch-label" data-testid="stopwatch" className="figure">
          {clock(elapsed)}
        </span>
        <div className="form-actions">
          <button type="button" onClick={start} disabled={startedAt !== null}>
            Start
          </button>{' '}
          <button type="button" className="secondary" onClick={stop} disabled={startedAt === null}>
            Stop
          </button>
        </div>
      </div>
      <label className="field">
        <span>Seconds</span>
        <input
          ref={seconds}
          name="seconds"
          inputMode="decimal"
          defaultValue={value('seconds')}
          {...described('seconds')}
        />
        {error('seconds')}
      </label>
      <fieldset aria-describedby={state.errors.found ? 'study-found-error' : undefined}>
        <legend>Found it?</legend>
        {error('found')}
        <label>
          <input type="radio" name="found" value="yes" defaultChecked={value('found') === 'yes'} /> Yes
        </label>
        <label>
          <input type="radio" name="found" value="no" defaultChecked={value('found') === 'no'} /> No, I gave up
        </label>
      </fieldset>
      <div className="form-actions wide">
        <button type="submit" disabled={pending || startedAt !== null}>
          {pending ? 'Recording…' : 'Record my time'}
        </button>
      </div>
    </form>
  )
}
