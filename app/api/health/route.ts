// GET /api/health – whether the database answers (200) or not (503); used by the demo launcher, load
// balancers and the end-to-end tests' web server check.
import { checkHealth } from '../../../lib/data/health'

export const dynamic = 'force-dynamic'

export async function GET() {
  const health = await checkHealth()
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } })
}
