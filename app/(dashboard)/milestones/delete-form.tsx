'use client'

import { useActionState, useState } from 'react'
import type { MilestoneDeleteResult } from '@/lib/data/milestones'
import { deleteMilestoneAction } from './actions'

/** Delete, then confirm: a launch deleted by a stray click would silently move every before/after comparison. */
export function DeleteMilestoneForm({ id, name }: { id: number; name: string }) {
  const [state, run, pending] = useActionState(deleteMilestoneAction, null as MilestoneDeleteResult | null)
  const [asking, setAsking] = useState(false)
  if (!asking) {
    return (
      <button type="button" className="link-button" onClick={() => setAsking(true)} aria-label={`Delete ${name}`}>
        Delete
      </button>
    )
  }
  return (
    <form action={run} className="inline-form">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="secondary" disabled={pending} aria-label={`Confirm: delete ${name}`}>
        Delete it
      </button>
      <button type="button" className="link-button" onClick={() => setAsking(false)}>
        Keep it
      </button>
      {state ? <span role={state.ok ? 'status' : 'alert'}>{state.message}</span> : null}
    </form>
  )
}
