// POST /api/webhooks/github – GitHub webhook deliveries: checked (signature), stored once, answered 202 at
// once; the queued work runs after the answer (collectors/github/webhook.ts, the events in webhook-events.ts).
import { after } from 'next/server'
import { acceptGitHubWebhook } from '@/collectors/github/webhook'
import { guardRoute } from '@/lib/auth/guard'

export const dynamic = 'force-dynamic'

export const POST = guardRoute({ access: 'signature' }, async (request) => {
  const { response, work } = await acceptGitHubWebhook(request)
  if (work) after(work)
  return response
})
