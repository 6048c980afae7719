'use server'

import { revalidatePath } from 'next/cache'
import { guardAction } from '@/lib/auth/guard'
import { changeRole, dropToken, endSessions, makeToken } from '@/lib/data/access'

/** An admin-only form action on the Access page: does its work, then redraws the page. */
function accessAction<State>(work: (form: FormData) => Promise<State>) {
  return guardAction('admin', async (_viewer, _previous: State | null, form: FormData): Promise<State> => {
    const result = await work(form)
    revalidatePath('/access')
    return result
  })
}

export const changeRoleAction = accessAction(changeRole)
export const endSessionsAction = accessAction(endSessions)
export const createTokenAction = accessAction(makeToken)
export const revokeTokenAction = accessAction(dropToken)
