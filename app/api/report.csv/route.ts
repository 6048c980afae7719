// GET /api/report.csv – the one-pager's figures as CSV (?initiative=<id>), formula-looking cells neutralised.
import { guardRoute } from '@/lib/auth/guard'
import { reportCsv } from '@/lib/export/respond'

export const dynamic = 'force-dynamic'

export const GET = guardRoute({ access: 'viewer', tokenScope: 'report' }, (request) => reportCsv(request))
