// GET /api/report.pdf – the one-pager as PDF (?initiative=<id>&paper=a4|letter), rendered by Chromium as the caller.
import { guardRoute } from '@/lib/auth/guard'
import { reportFile } from '@/lib/export/respond'

export const dynamic = 'force-dynamic'

export const GET = guardRoute({ access: 'viewer', tokenScope: 'report' }, (request) => reportFile(request, 'pdf'))
