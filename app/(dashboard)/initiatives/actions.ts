'use server'

import { redirect } from 'next/navigation'
import { z } from 'zod'
import { guardAction } from '@/lib/auth/guard'
import { submitInitiativeForm, type InitiativeFormState } from '@/lib/data/initiative-form'

const initiativeId = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1)
  .nullable()

/** Saves an initiative from its form (`id` null creates) and opens it; a refusal returns the form's state. Admins only. */
export const saveInitiativeAction = guardAction(
  'admin',
  async (_viewer, id: number | null, _previous: InitiativeFormState, form: FormData): Promise<InitiativeFormState> => {
    const target = initiativeId.safeParse(id)
    if (!target.success || !(form instanceof FormData))
      return { values: {}, errors: {}, message: 'Nothing was saved: reload the page and try again.' }
    const result = await submitInitiativeForm(target.data, form)
    if (!result.ok) return result.state
    redirect(`/initiatives/${result.id}`)
  },
)
