// POST /api/webhooks/github – GitHub webhook deliveries: checked (signature), stored once, answered 202 at
// once; the queued work runs after the answer (collectors/github/webhook.ts).
import { after } from 'next/server'
import { acceptGitHubWebhook } from '../../../../collectors/github/webhook'

export const dynamic = 'force-dynamic'

export async function POST(request: Request) {
  const { response, work } = await acceptGitHubWebhook(request)
  if (work) after(work)
  return response
}
