// GET /api/docs/metrics.md – the metric definitions (docs/metrics.md) as plain text, for the "how is this
// defined" links on the pages: a figure shown in two places with two definitions names both and links here.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { guardRoute } from '@/lib/auth/guard'

export const dynamic = 'force-dynamic'

export const GET = guardRoute({ access: 'viewer' }, async () => {
  const text = await readFile(path.join(process.cwd(), 'docs', 'metrics.md'), 'utf8')
  return new Response(text, { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } })
})
