// POST /api/imports – a CSV upload from the Data sources page: checked row by row, then imported all or
// nothing, or only checked (dryRun). The handling lives in collectors/csv/upload.ts.
import { acceptCsvUpload } from '../../../collectors/csv/upload'

export const dynamic = 'force-dynamic'

export function POST(request: Request) {
  return acceptCsvUpload(request)
}
