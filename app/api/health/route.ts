// GET /api/health – whether the database answers (200) or not (503); used by the demo launcher, load
// balancers and the end-to-end tests' web server check. Says nothing else. The first healthy answer starts this
// server's delivery worker (lib/publish/worker.ts): the web servers send the scheduled one-pagers.
import { guardRoute } from '@/lib/auth/guard'
import { checkHealth } from '@/lib/data/health'
import { startDeliveryWorker } from '@/lib/publish/worker'

export const dynamic = 'force-dynamic'

export const GET = guardRoute({ access: 'public' }, async () => {
  const health = await checkHealth()
  // the first health check (the demo launcher's, a load balancer's) starts this server's delivery worker
  if (health.status === 'ok') void startDeliveryWorker()
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } })
})
