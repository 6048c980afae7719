// GET /share/[token]/pdf – the PDF of the snapshot a live share link opens (no account: the signed token is the
// credential, checked as the page checks it); 404 when the link is revoked, expired or forged, or has no PDF.
import { guardRoute } from '@/lib/auth/guard'
import { pdfResponse } from '@/lib/data/snapshot-pdf'
import { openSharedSnapshotPdf } from '@/lib/data/snapshots'

export const dynamic = 'force-dynamic'

export const GET = guardRoute<{ params: Promise<{ token: string }> }>(
  { access: 'public' },
  async (_request, _caller, { params }) => pdfResponse(await openSharedSnapshotPdf((await params).token)),
)
