'use server'

import { revalidatePath } from 'next/cache'
import { guardAction } from '../../../lib/auth/guard'
import { changeRole, dropToken, endSessions, makeToken, type AccessResult, type TokenFormState } from '../../../lib/data/access'

export const changeRoleAction = guardAction('admin', async (_viewer, _previous: AccessResult | null, form: FormData): Promise<AccessResult> => {
  const result = await changeRole(form)
  revalidatePath('/access')
  return result
})

export const endSessionsAction = guardAction('admin', async (_viewer, _previous: AccessResult | null, form: FormData): Promise<AccessResult> => {
  const result = await endSessions(form)
  revalidatePath('/access')
  return result
})

export const createTokenAction = guardAction('admin', async (_viewer, _previous: TokenFormState, form: FormData): Promise<TokenFormState> => {
  const result = await makeToken(form)
  revalidatePath('/access')
  return result
})

export const revokeTokenAction = guardAction('admin', async (_viewer, _previous: AccessResult | null, form: FormData): Promise<AccessResult> => {
  const result = await dropToken(form)
  revalidatePath('/access')
  return result
})
