// GET /api/report.png – the one-pager as PNG (?initiative=<id>&paper=a4|letter), rendered by Chromium.
import { reportFile } from '../../../lib/export/respond'

export const dynamic = 'force-dynamic'

export function GET(request: Request): Promise<Response> {
  return reportFile(request, 'png')
}
