// Who is asking: the signed-in user of a request's session (sign-in mode), or the demo's local user.
import 'server-only'
import { bearerToken, verifyApiToken } from '@/db/queries/tokens'
import { deleteSession, touchSession } from '@/db/queries/users'
import { getDb } from '@/db/client'
import { env } from '@/lib/env'
import { accessMode, LOOPBACK_HOSTS, type AccessMode } from './startup.mjs'
import { describeError } from '@/lib/errors'
import { hostName } from './same-origin'
import { getAuth } from './server'

export type Role = 'viewer' | 'admin'

export interface Viewer {
  /** user: signed in; token: a machine with an API token (viewer only); demo: the embedded demo, from this
   * machine; open: sign-in turned off by the operator */
  kind: 'user' | 'token' | 'demo' | 'open'
  id: string
  name: string
  email: string | null
  role: Role
}

export type Caller = { ok: true; viewer: Viewer } | { ok: false; status: 401 | 403; reason: string }

let mode: AccessMode | undefined
/** The access mode of this process (decided once; next.config.js refused to start when it is invalid). */
export function currentAccessMode(): AccessMode {
  mode ??= accessMode(process.env)
  return mode
}

const isLoopbackHost = (host: string | null) => LOOPBACK_HOSTS.includes(hostName(host) ?? '')

export const allows = (viewer: Viewer, role: Role) => role === 'viewer' || viewer.role === 'admin'

/**
 * The caller of a request with these headers, or why there is none. `tokenScope`: where a machine may read
 * with an API token of that scope instead of a session (the one-pager: `npm run report` with UPSHOT_API_TOKEN).
 */
export async function readCaller(headers: Headers, { tokenScope }: { tokenScope?: string } = {}): Promise<Caller> {
  const access = currentAccessMode()
  if (access.mode === 'demo') {
    // bound to loopback by `npm run demo`; the Host check also stops a DNS-rebinding page from reading it
    if (!isLoopbackHost(headers.get('host')))
      return {
        ok: false,
        status: 403,
        reason: 'This demo has no sign-in and answers only on the machine it runs on (localhost).',
      }
    return { ok: true, viewer: { kind: 'demo', id: 'demo', name: 'demo user', email: null, role: 'admin' } }
  }
  if (access.mode === 'open')
    return {
      ok: true,
      viewer: { kind: 'open', id: 'open', name: 'anyone (sign-in is off)', email: null, role: 'admin' },
    }

  const bearer = bearerToken(headers.get('authorization'))
  if (bearer && tokenScope) {
    const token = await verifyApiToken(getDb(), { token: bearer, scope: tokenScope })
    if (!token) return { ok: false, status: 401, reason: `That API token is not valid for ${tokenScope}.` }
    return {
      ok: true,
      viewer: {
        kind: 'token',
        id: `token:${token.id}`,
        name: `API token “${token.name}”`,
        email: null,
        role: 'viewer',
      },
    }
  }
  // read only: better-auth's own refresh is off; the limits are applied here. A session deleted while being
  // read (sign-out in another tab) throws: that caller has no session.
  const found = await getAuth()
    .api.getSession({ headers, query: { disableRefresh: true } })
    .catch((error: unknown) => {
      console.error(`reading a session failed: ${describeError(error)}`)
      return null
    })
  if (!found) return { ok: false, status: 401, reason: 'Sign in to see this.' }
  const config = env()
  const now = Date.now()
  const ended = (reason: string): Caller => ({
    ok: false,
    status: 401,
    reason: `Your session has ended (${reason}): sign in again.`,
  })
  if (now - new Date(found.session.createdAt).getTime() > config.UPSHOT_SESSION_MAX_HOURS * 3600_000) {
    await deleteSession(getDb(), { id: found.session.id })
    return ended(`sessions last at most ${config.UPSHOT_SESSION_MAX_HOURS} hours`)
  }
  if (now - new Date(found.session.updatedAt).getTime() > config.UPSHOT_SESSION_IDLE_HOURS * 3600_000) {
    await deleteSession(getDb(), { id: found.session.id })
    return ended(`unused for more than ${config.UPSHOT_SESSION_IDLE_HOURS} hours`)
  }
  await touchSession(getDb(), { id: found.session.id })
  const role: Role = found.user.role === 'admin' ? 'admin' : 'viewer'
  return { ok: true, viewer: { kind: 'user', id: found.user.id, name: found.user.name, email: found.user.email, role } }
}
