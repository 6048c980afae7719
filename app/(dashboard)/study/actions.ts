'use server'

import { revalidatePath } from 'next/cache'
import { guardAction } from '@/lib/auth/guard'
import {
  removeStudyObservation,
  submitStudyObservation,
  type StudyDeleteResult,
  type StudyFormState,
} from '@/lib/data/study'

/**
 * Records a participant's time for a task from the stopwatch form. Any signed-in person: the participants are
 * the engineers timing themselves; their name is stored only as a salted hash.
 */
export const recordStudyObservationAction = guardAction(
  'viewer',
  async (_viewer, _previous: StudyFormState, form: FormData): Promise<StudyFormState> => {
    if (!(form instanceof FormData))
      return { values: {}, errors: {}, message: 'Nothing was recorded: reload the page and try again.', saved: false }
    const state = await submitStudyObservation(form)
    if (state.saved) revalidatePath('/study')
    return state
  },
)

/** Deletes one recorded time (a mistimed task). Admins only. */
export const deleteStudyObservationAction = guardAction(
  'admin',
  async (_viewer, _previous: StudyDeleteResult | null, form: FormData): Promise<StudyDeleteResult> => {
    if (!(form instanceof FormData))
      return { ok: false, message: 'Nothing was deleted: reload the page and try again.' }
    const result = await removeStudyObservation(form)
    revalidatePath('/study')
    return result
  },
)
