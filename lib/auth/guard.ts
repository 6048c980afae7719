// The one door: every route handler, server action and page says who may use it here, and this checks the
// caller itself – the proxy only redirects people without a session cookie to the sign-in page, so nothing
// depends on it (CVE-2025-29927 was an app that trusted its middleware).
//
//   route handlers  guardRoute({ access }, handler)   401/403 as JSON; state-changing routes check Origin
//   server actions  guardAction(role, action)         unauthorized() / forbidden() (401/403)
//   pages           await guardPage(role)             redirect to /sign-in, or forbidden() (403)
import 'server-only'
import { headers } from 'next/headers'
import { forbidden, redirect, unauthorized } from 'next/navigation'
import { machineToken, verifyApiToken } from '@/db/queries/tokens'
import { getDb } from '@/db/client'
import { sameOrigin } from './same-origin'
import { readCaller, allows, type Role, type Viewer } from './viewer'

export type RouteAccess =
  /** anyone: the health check */
  | { access: 'public' }
  /** machines proving themselves with a shared secret the handler checks (webhook signatures) */
  | { access: 'signature' }
  /** machines with an API token of this scope (Authorization: Bearer upt_…) */
  | { access: 'token'; scope: string }
  /** people: a signed-in viewer or admin; `changesState` routes also refuse other origins (CSRF) */
  | { access: Role; changesState?: boolean; tokenScope?: string }

export type RouteCaller =
  | { kind: 'anyone' }
  | { kind: 'machine'; tokenId?: number; tokenName?: string }
  | { kind: 'person'; viewer: Viewer }

const refuse = (status: number, message: string) =>
  Response.json({ ok: false, message }, { status, headers: { 'cache-control': 'no-store' } })

export function guardRoute<Context = unknown>(
  rule: RouteAccess,
  handler: (request: Request, caller: RouteCaller, context: Context) => Response | Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    switch (rule.access) {
      case 'public':
        return handler(request, { kind: 'anyone' }, context)
      case 'signature':
        return handler(request, { kind: 'machine' }, context)
      case 'token': {
        const token = machineToken(request.headers.get('authorization'))
        const found = token ? await verifyApiToken(getDb(), { token, scope: rule.scope }) : null
        if (!found)
          return refuse(
            401,
            `A valid API token with the ${rule.scope} scope is required (Authorization: Bearer <token>, or Basic with the token as the password).`,
          )
        return handler(request, { kind: 'machine', tokenId: found.id, tokenName: found.name }, context)
      }
      default: {
        if (rule.changesState && !sameOrigin(request.headers))
          return refuse(403, 'Refused: this request came from another site (its Origin is not this server).')
        const caller = await readCaller(request.headers, { tokenScope: rule.tokenScope })
        if (!caller.ok) return refuse(caller.status, caller.reason)
        if (!allows(caller.viewer, rule.access))
          return refuse(403, `Only an admin may do this; ${caller.viewer.name} is a ${caller.viewer.role}.`)
        return handler(request, { kind: 'person', viewer: caller.viewer }, context)
      }
    }
  }
}

/** A server action that anyone may call (starting a sign-in, signing out): said here, so no action is unmarked. */
export function publicAction<Args extends unknown[], Result>(
  action: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return (...args: Args) => action(...args)
}

/** A server action that runs only for a caller with `role`; it receives the caller first. */
export function guardAction<Args extends unknown[], Result>(
  role: Role,
  action: (viewer: Viewer, ...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    const caller = await readCaller(await headers())
    if (!caller.ok) return caller.status === 401 ? unauthorized() : forbidden()
    if (!allows(caller.viewer, role)) forbidden()
    return action(caller.viewer, ...args)
  }
}

/** At the top of every page: the caller, or a redirect to sign-in, or 403 for a viewer on an admin page. */
export async function guardPage(role: Role, { tokenScope }: { tokenScope?: string } = {}): Promise<Viewer> {
  const caller = await readCaller(await headers(), { tokenScope })
  if (!caller.ok) {
    if (caller.status === 401) redirect('/sign-in')
    forbidden()
  }
  if (!allows(caller.viewer, role)) forbidden()
  return caller.viewer
}
