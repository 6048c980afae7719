// GET /api/report.csv – the one-pager's figures as CSV (?initiative=<id>), formula-looking cells neutralised.
import { reportCsv } from '../../../lib/export/respond'

export const dynamic = 'force-dynamic'

export function GET(request: Request): Promise<Response> {
  return reportCsv(request)
}
