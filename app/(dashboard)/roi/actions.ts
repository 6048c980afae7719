'use server'

import { revalidatePath } from 'next/cache'
import { submitAssumptions, type AssumptionFormState } from '../../../lib/data/roi'

/** Saves the ROI assumptions that changed; a refusal returns the form's state with a message per field. */
export async function saveAssumptionsAction(_previous: AssumptionFormState, form: FormData): Promise<AssumptionFormState> {
  // Who changed them: the signed-in user once sign-in exists (issue 7); the demo has no users.
  const state = await submitAssumptions(form, 'demo user')
  if (state.saved) revalidatePath('/roi')
  return state
}
