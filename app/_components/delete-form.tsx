'use client'

import { useActionState, useState } from 'react'

/** What a delete action answers, shown beside the form: a status when it deleted, else an alert. */
export interface DeleteFormResult {
  ok: boolean
  message: string
}

export interface DeleteFormProps {
  /** The server action that deletes the row the form's `id` field names. */
  action: (previous: DeleteFormResult | null, form: FormData) => Promise<DeleteFormResult>
  id: number
  /** Names the row in the buttons' accessible names: "Delete {label}", then "Confirm: delete {label}". */
  label: string
}

/**
 * Delete, then confirm: an admin's correction, never a stray click's (a launch deleted by one would silently
 * move every before/after comparison).
 */
export function DeleteForm({ action, id, label }: DeleteFormProps) {
  const [state, run, pending] = useActionState(action, null)
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
