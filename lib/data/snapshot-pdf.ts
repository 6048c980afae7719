// The answer of a kept snapshot's PDF, for the dashboard's download and a share link's: the stored bytes, never
// cached by a browser or a proxy between (a revoked link must not keep serving it), or 404 in plain words.
import 'server-only'
import type { SnapshotPdf } from './snapshots'

export function pdfResponse(pdf: SnapshotPdf | null): Response {
  if (!pdf)
    return Response.json(
      { ok: false, message: 'There is no such snapshot PDF.' },
      { status: 404, headers: { 'cache-control': 'no-store' } },
    )
  return new Response(new Uint8Array(pdf.bytes), {
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${pdf.fileName}"`,
      'content-length': String(pdf.bytes.length),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  })
}
