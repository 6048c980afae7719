// POST /api/ingest/portal-events – portal usage events from the portal's analytics forwarder, in batches,
// token-authenticated (collectors/portal-events/ingest.ts).
import { acceptPortalEvents } from '../../../../collectors/portal-events/ingest'

export const dynamic = 'force-dynamic'

export function POST(request: Request) {
  return acceptPortalEvents(request)
}
