'use server'

import { revalidatePath } from 'next/cache'
import { guardAction } from '@/lib/auth/guard'
import { submitAssumptions, type AssumptionFormState } from '@/lib/data/roi'

/** Saves the ROI assumptions that changed, recording who did; a refusal returns the form's state with a message per field. Admins only. */
export const saveAssumptionsAction = guardAction(
  'admin',
  async (viewer, _previous: AssumptionFormState, form: FormData): Promise<AssumptionFormState> => {
    const state = await submitAssumptions(form, viewer.email ? `${viewer.name} <${viewer.email}>` : viewer.name)
    if (state.saved) revalidatePath('/roi')
    return state
  },
)
