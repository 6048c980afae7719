'use server'

import { redirect } from 'next/navigation'
import { submitInitiativeForm, type InitiativeFormState } from '../../../lib/data/initiative-form'

/** Saves an initiative from its form (`id` null creates) and opens it; a refusal returns the form's state. */
export async function saveInitiativeAction(id: number | null, _previous: InitiativeFormState, form: FormData): Promise<InitiativeFormState> {
  const result = await submitInitiativeForm(id, form)
  if (!result.ok) return result.state
  redirect(`/initiatives/${result.id}`)
}
