// The Access page: who may sign in and with which role, and the API tokens machines use. Server-only.
import 'server-only'
import { z } from 'zod'
import { getDb, type Db } from '@/db/client'
import { createApiToken, listApiTokens, revokeApiToken, TOKEN_SCOPES } from '@/db/queries/tokens'
import { listUsers, revokeUserSessions, setUserRole, type UserRow } from '@/db/queries/users'
import { isUpshotError } from '@/lib/errors'

export { TOKEN_SCOPES }

export async function getAccess({ db = getDb() }: { db?: Db } = {}): Promise<{
  users: UserRow[]
  tokens: Awaited<ReturnType<typeof listApiTokens>>
}> {
  const [users, tokens] = await Promise.all([listUsers(db), listApiTokens(db)])
  return { users, tokens }
}

export type AccessResult = { ok: true; message: string } | { ok: false; message: string }

const roleForm = z.object({
  userId: z.string().min(1).max(100),
  role: z.enum(['viewer', 'admin'], { error: 'role must be viewer or admin' }),
})

export async function changeRole(form: FormData, { db = getDb() }: { db?: Db } = {}): Promise<AccessResult> {
  const input = roleForm.safeParse({ userId: form.get('userId'), role: form.get('role') })
  if (!input.success) return { ok: false, message: input.error.issues.map((issue) => issue.message).join('; ') }
  try {
    const changed = await setUserRole(db, input.data)
    return { ok: true, message: `${changed.name} is now ${changed.role === 'admin' ? 'an admin' : 'a viewer'}.` }
  } catch (error) {
    if (isUpshotError(error)) return { ok: false, message: error.message }
    throw error
  }
}

export async function endSessions(form: FormData, { db = getDb() }: { db?: Db } = {}): Promise<AccessResult> {
  const input = z.object({ userId: z.string().min(1).max(100) }).safeParse({ userId: form.get('userId') })
  if (!input.success) return { ok: false, message: 'Choose a user.' }
  const ended = await revokeUserSessions(db, input.data)
  return { ok: true, message: `${ended} session${ended === 1 ? '' : 's'} ended.` }
}

export type TokenFormState = { token: string | null; message: string | null; error: string | null }

const tokenForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the token a name: what will use it')
    .max(100, 'The name is at most 100 characters'),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, 'Choose what the token may do'),
})

/** Makes a token; its value is in the answer once and never again. */
export async function makeToken(form: FormData, { db = getDb() }: { db?: Db } = {}): Promise<TokenFormState> {
  const input = tokenForm.safeParse({ name: form.get('name'), scopes: form.getAll('scopes') })
  if (!input.success)
    return { token: null, message: null, error: input.error.issues.map((issue) => issue.message).join('; ') }
  const created = await createApiToken(db, input.data)
  return {
    token: created.token,
    message: `Token ${created.id} “${input.data.name}” (${input.data.scopes.join(', ')}): copy it now, it is not shown again.`,
    error: null,
  }
}

export async function dropToken(form: FormData, { db = getDb() }: { db?: Db } = {}): Promise<AccessResult> {
  const input = z
    .object({
      id: z.coerce
        .number()
        .int()
        .positive()
        .max(2 ** 31 - 1),
    })
    .safeParse({ id: form.get('id') })
  if (!input.success) return { ok: false, message: 'Choose a token.' }
  return (await revokeApiToken(db, input.data))
    ? { ok: true, message: `Token ${input.data.id} revoked.` }
    : { ok: false, message: `Token ${input.data.id} was already revoked.` }
}
