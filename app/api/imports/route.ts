// POST /api/imports – a CSV upload from the Data sources page (admins): checked row by row, then imported all
// or nothing, or only checked (dryRun). The handling lives in collectors/csv/upload.ts.
import { acceptCsvUpload } from '@/collectors/csv/upload'
import { guardRoute } from '@/lib/auth/guard'

export const dynamic = 'force-dynamic'

export const POST = guardRoute({ access: 'admin', changesState: true }, (request) => acceptCsvUpload(request))
