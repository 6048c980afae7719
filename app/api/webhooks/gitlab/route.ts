// POST /api/webhooks/gitlab – GitLab webhook deliveries (Merge Request Hook, Deployment Hook): checked (the
// X-Gitlab-Token secret), stored once, answered 202 at once; the queued work runs after the answer
// (collectors/gitlab/webhook.ts, the events in webhook-events.ts).
import { after } from 'next/server'
import { acceptGitLabWebhook } from '@/collectors/gitlab/webhook'
import { guardRoute } from '@/lib/auth/guard'

export const dynamic = 'force-dynamic'

export const POST = guardRoute({ access: 'signature' }, async (request) => {
  const { response, work } = await acceptGitLabWebhook(request)
  if (work) after(work)
  return response
})
