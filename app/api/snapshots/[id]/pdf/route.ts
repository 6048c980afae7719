// GET /api/snapshots/[id]/pdf – a kept snapshot's PDF exactly as it was sent (a viewer may); 404 when there is no
// such snapshot or its render failed (its figures are kept regardless, on /snapshots/[id]).
import { guardRoute } from '@/lib/auth/guard'
import { getSnapshotPdfFile } from '@/lib/data/snapshots'
import { pdfResponse } from '@/lib/data/snapshot-pdf'

export const dynamic = 'force-dynamic'

export const GET = guardRoute<{ params: Promise<{ id: string }> }>(
  { access: 'viewer' },
  async (_request, _caller, { params }) => {
    const { id } = await params
    return pdfResponse(/^\d{1,9}$/.test(id) ? await getSnapshotPdfFile(Number(id)) : null)
  },
)
