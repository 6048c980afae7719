'use server'

import { revalidatePath } from 'next/cache'
import { guardAction } from '@/lib/auth/guard'
import { rowIdSchema } from '@/lib/data/form-id'
import { removeGoal, submitGoalForm, type GoalDeleteResult, type GoalFormState } from '@/lib/data/goals'

const initiativeId = rowIdSchema

/** Sets (or replaces) the goal of one of the initiative's metrics from the goal form. Admins only. */
export const saveGoalAction = guardAction(
  'admin',
  async (viewer, id: number, _previous: GoalFormState, form: FormData): Promise<GoalFormState> => {
    const target = initiativeId.safeParse(id)
    if (!target.success || !(form instanceof FormData))
      return { values: {}, errors: {}, message: 'Nothing was saved: reload the page and try again.' }
    const result = await submitGoalForm(target.data, form, { setBy: viewer.name })
    if (!result.ok) return result.state
    // the page's read model is cached per data version; the goal's write moved the version on
    revalidatePath(`/initiatives/${target.data}`)
    return { values: {}, errors: {}, message: null, saved: 'Goal saved. Its status shows once the page recomputes.' }
  },
)

/** Removes the goal of the metric the form names. Admins only. */
export const deleteGoalAction = guardAction(
  'admin',
  async (_viewer, id: number, _previous: GoalDeleteResult | null, form: FormData): Promise<GoalDeleteResult> => {
    const target = initiativeId.safeParse(id)
    if (!target.success || !(form instanceof FormData))
      return { ok: false, message: 'Nothing was removed: reload the page and try again.' }
    const result = await removeGoal(target.data, form)
    revalidatePath(`/initiatives/${target.data}`)
    return result
  },
)
