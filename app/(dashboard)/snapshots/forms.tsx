'use client'

import Link from 'next/link'
import { useActionState } from 'react'
import type { ShareLinkFormState } from '@/lib/data/share-links'
import type { MakeSnapshotState } from '@/lib/data/snapshots'

const noSnapshotYet: MakeSnapshotState = { ok: false, message: null, id: null }
const emptyShareLinkForm: ShareLinkFormState = {
  values: { label: '', days: '14' },
  errors: {},
  message: null,
  created: null,
}

/** "Make a snapshot now": an initiative's one-pager, or the organisation's (the latest launched initiative). */
export function MakeSnapshotForm({
  action,
  initiatives,
}: {
  action: (previous: MakeSnapshotState, form: FormData) => Promise<MakeSnapshotState>
  initiatives: { id: number; name: string }[]
}) {
  const [state, run, pending] = useActionState(action, noSnapshotYet)
  return (
    <form action={run} className="form" data-testid="make-snapshot">
      <label className="field">
        <span>One-pager of</span>
        <select name="initiative" defaultValue="">
          <option value="">The organisation’s (the latest launched initiative)</option>
          {initiatives.map((initiative) => (
            <option key={initiative.id} value={initiative.id}>
              {initiative.name}
            </option>
          ))}
        </select>
      </label>
      <div className="form-actions wide">
        <button type="submit" disabled={pending}>
          {pending ? 'Keeping it and rendering its PDF…' : 'Make a snapshot now'}
        </button>
      </div>
      {state.message ? (
        <p className={state.ok ? 'saved wide' : 'notice wide'} role={state.ok ? 'status' : 'alert'}>
          {state.message} {state.id !== null ? <Link href={`/snapshots/${state.id}`}>Open it</Link> : null}
        </p>
      ) : null}
    </form>
  )
}

/** A new share link: who it is for and for how many days; its URL is shown once, here, and never again. */
export function ShareLinkForm({
  action,
  maxDays,
}: {
  action: (previous: ShareLinkFormState, form: FormData) => Promise<ShareLinkFormState>
  maxDays: number
}) {
  const [state, run, pending] = useActionState(action, emptyShareLinkForm)
  return (
    // keyed on what was sent and what was made, so a refused form shows what was typed and a made link leaves it empty
    <form
      action={run}
      className="form"
      data-testid="share-link-form"
      key={`${JSON.stringify(state.values)}:${state.created?.id ?? ''}`}
      noValidate
    >
      {state.message ? (
        <p className="notice wide" role="alert">
          {state.message}
        </p>
      ) : null}
      <label className="field">
        <span>For (a label you will recognise)</span>
        <input
          name="label"
          defaultValue={state.values.label}
          maxLength={100}
          aria-invalid={Boolean(state.errors.label)}
          aria-describedby={state.errors.label ? 'share-label-error' : undefined}
        />
        {state.errors.label ? (
          <span className="field-error" id="share-label-error" role="alert">
            {state.errors.label}
          </span>
        ) : null}
      </label>
      <label className="field">
        <span>Days it stays open (1–{maxDays})</span>
        <input
          name="days"
          type="number"
          min={1}
          max={maxDays}
          defaultValue={state.values.days}
          aria-invalid={Boolean(state.errors.days)}
          aria-describedby={state.errors.days ? 'share-days-error' : undefined}
        />
        {state.errors.days ? (
          <span className="field-error" id="share-days-error" role="alert">
            {state.errors.days}
          </span>
        ) : null}
      </label>
      <div className="form-actions wide">
        <button type="submit" disabled={pending}>
          {pending ? 'Making the link…' : 'Make a share link'}
        </button>
      </div>
      {state.created ? (
        <div className="saved wide" role="status">
          <p>
            Link for “{state.created.label}”, open until {state.created.expires}. Copy it now: it is not shown again.
          </p>
          <p className="token-shown" data-testid="share-link-url">
            {state.created.url}
          </p>
        </div>
      ) : null}
    </form>
  )
}

/** Revoke one share link; the answer shows beside the button. */
export function RevokeLinkForm({
  action,
  id,
  label,
}: {
  action: (
    previous: { ok: boolean; message: string } | null,
    form: FormData,
  ) => Promise<{ ok: boolean; message: string }>
  id: number
  label: string
}) {
  const [state, run, pending] = useActionState(action, null)
  return (
    <form action={run} className="inline-form">
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        className="secondary"
        disabled={pending}
        data-testid={`revoke-link-${id}`}
        aria-label={`Revoke the link for ${label}`}
      >
        Revoke
      </button>
      {state ? <span role={state.ok ? 'status' : 'alert'}>{state.message}</span> : null}
    </form>
  )
}
