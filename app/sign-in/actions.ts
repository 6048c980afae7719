'use server'

import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { publicAction } from '@/lib/auth/guard'
import { getAuth, signInProviders, SIGN_IN_PATH } from '@/lib/auth/server'
import { currentAccessMode } from '@/lib/auth/viewer'
import { safeNextPath } from '@/lib/auth/next-path'

/** Starts a sign-in with the chosen provider: off to its page, back at /api/auth/callback/<id>. */
export const signInAction = publicAction(async (form: FormData): Promise<void> => {
  if (currentAccessMode().mode !== 'sign-in') redirect('/')
  const ids = signInProviders().map((provider) => provider.id)
  const provider = z
    .string()
    .refine((value) => ids.includes(value))
    .safeParse(form.get('provider'))
  if (!provider.success) redirect(`${SIGN_IN_PATH}?error=unknown_provider`)
  const started = await getAuth()
    .api.signInSocial({
      body: { provider: provider.data, callbackURL: safeNextPath(form.get('next')), errorCallbackURL: SIGN_IN_PATH },
      headers: await headers(),
    })
    .catch((error: unknown) => {
      // e.g. the OIDC provider's discovery document could not be read
      console.error(
        `sign-in with ${provider.data} could not start: ${error instanceof Error ? error.message : String(error)}`,
      )
      return null
    })
  if (!started?.url) redirect(`${SIGN_IN_PATH}?error=provider_unavailable`)
  redirect(started.url)
})

/** Signs out: the session row is deleted (revoked everywhere the cookie was copied), the cookie cleared. */
export const signOutAction = publicAction(async (): Promise<void> => {
  if (currentAccessMode().mode === 'sign-in') {
    await getAuth()
      .api.signOut({ headers: await headers() })
      .catch(() => undefined)
  }
  redirect(SIGN_IN_PATH)
})
