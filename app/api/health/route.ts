// GET /api/health – whether the database answers (200) or not (503); used by the demo launcher, load
// balancers and the end-to-end tests' web server check. Says nothing else.
import { guardRoute } from '@/lib/auth/guard'
import { checkHealth } from '@/lib/data/health'

export const dynamic = 'force-dynamic'

export const GET = guardRoute({ access: 'public' }, async () => {
  const health = await checkHealth()
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } })
})
