// POST /api/ingest/portal-events – portal usage events from the portal's analytics forwarder, in batches,
// with an API token of the portal-events scope (collectors/portal-events/ingest.ts).
import { acceptPortalEvents } from '@/collectors/portal-events/ingest'
import { guardRoute } from '@/lib/auth/guard'

export const dynamic = 'force-dynamic'

export const POST = guardRoute({ access: 'token', scope: 'portal-events' }, (request) => acceptPortalEvents(request))
