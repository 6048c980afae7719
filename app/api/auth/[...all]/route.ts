// /api/auth/* – better-auth's sign-in endpoints (start a provider's sign-in, its callback, sign-out,
// the session). Only with sign-in on: the demo and an operator's no-sign-in opt-out have none.
import { guardRoute } from '@/lib/auth/guard'
import { getAuth } from '@/lib/auth/server'
import { currentAccessMode } from '@/lib/auth/viewer'

export const dynamic = 'force-dynamic'

const handle = guardRoute({ access: 'public' }, (request) =>
  currentAccessMode().mode === 'sign-in'
    ? getAuth().handler(request)
    : Response.json({ ok: false, message: 'Sign-in is off on this server.' }, { status: 404 }),
)

export const GET = handle
export const POST = handle
