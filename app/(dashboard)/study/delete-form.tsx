'use client'

import { useActionState, useState } from 'react'
import type { StudyDeleteResult } from '@/lib/data/study'
import { deleteStudyObservationAction } from './actions'

/** Delete, then confirm: one recorded time, an admin's correction. */
export function DeleteObservationForm({ id, label }: { id: number; label: string }) {
  const [state, run, pending] = useActionState(deleteStudyObservationAction, null as StudyDeleteResult | null)
  const [asking, setAsking] = useState(false)
  if (!asking) {
    return (
      <button type="button" className="link-button" onClick={() => setAsking(true)} aria-label={`Delete ${label}`}>
        Delete
      </button>
    )
  }
  return (
    <form action={run} className="inline-form">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="secondary" disabled={pending} aria-label={`Confirm: delete ${label}`}>
        Delete it
      </button>
      <button type="button" className="link-button" onClick={() => setAsking(false)}>
        Keep it
      </button>
      {state ? <span role={state.ok ? 'status' : 'alert'}>{state.message}</span> : null}
    </form>
  )
}
