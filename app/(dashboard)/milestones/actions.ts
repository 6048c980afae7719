'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { guardAction } from '@/lib/auth/guard'
import { rowIdSchema } from '@/lib/data/form-id'
import {
  removeMilestone,
  submitMilestoneForm,
  type MilestoneDeleteResult,
  type MilestoneFormState,
} from '@/lib/data/milestones'

const milestoneId = rowIdSchema.nullable()

/** Saves a milestone from its form (`id` null creates) and shows the list with it; a refusal returns the form's state. Admins only. */
export const saveMilestoneAction = guardAction(
  'admin',
  async (_viewer, id: number | null, _previous: MilestoneFormState, form: FormData): Promise<MilestoneFormState> => {
    const target = milestoneId.safeParse(id)
    if (!target.success || !(form instanceof FormData))
      return { values: {}, errors: {}, message: 'Nothing was saved: reload the page and try again.' }
    const result = await submitMilestoneForm(target.data, form)
    if (!result.ok) return result.state
    // only this page: the Overview and the charts read through the read-model cache, which the write's new data version invalidates
    revalidatePath('/milestones')
    redirect(`/milestones?saved=${result.id}`)
  },
)

/** Deletes the milestone the form names, then redraws the list. Admins only. */
export const deleteMilestoneAction = guardAction(
  'admin',
  async (_viewer, _previous: MilestoneDeleteResult | null, form: FormData): Promise<MilestoneDeleteResult> => {
    if (!(form instanceof FormData))
      return { ok: false, message: 'Nothing was deleted: reload the page and try again.' }
    const result = await removeMilestone(form)
    revalidatePath('/milestones')
    return result
  },
)
