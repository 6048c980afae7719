// The admin upload's door (POST /api/imports): a multipart form with `kind`, `file` and `dryRun`; answers
// with the import report (problems by line and column, counts) as JSON.
import { getDb } from '@/db/client'
import { isUpshotError, publicError } from '@/lib/errors'
import { incidentLinkingHours } from '@/collectors/config'
import { readBody } from '@/collectors/request-body'
import { messageOf } from '@/collectors/sync-run'
import { importCsv } from './import'
import { importKinds, type ImportKind } from './kinds'
import { MAX_BYTES } from './read'

export async function acceptCsvUpload(request: Request): Promise<Response> {
  const answer = (status: number, body: unknown) =>
    Response.json(body, { status, headers: { 'cache-control': 'no-store' } })
  // the file may be up to MAX_BYTES; the form around it adds little
  const bytes = await readBody(request, MAX_BYTES + 64 * 1024)
  if (!bytes)
    return answer(413, { ok: false, message: `The file is larger than ${MAX_BYTES / 1024 / 1024} MB; split it.` })
  let form: FormData
  try {
    form = await new Response(bytes, {
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
    }).formData()
  } catch {
    return answer(400, { ok: false, message: 'Send a multipart form with kind, file and dryRun.' })
  }
  const kind = String(form.get('kind') ?? '')
  const file = form.get('file')
  if (!(importKinds as readonly string[]).includes(kind))
    return answer(400, { ok: false, message: `kind must be one of ${importKinds.join(', ')}.` })
  if (!(file instanceof File) || file.size === 0)
    return answer(400, { ok: false, message: 'Choose a CSV file to upload.' })
  const withinHours = incidentLinkingHours()
  try {
    const report = await importCsv(getDb(), {
      kind: kind as ImportKind,
      file: file.name.replace(/[^\w.\- ]/g, '_').slice(0, 120),
      bytes: new Uint8Array(await file.arrayBuffer()),
      dryRun: form.get('dryRun') === 'true',
      linkIncidentsWithinHours: withinHours,
    })
    return answer(report.problems.length ? 422 : 200, { ok: report.problems.length === 0, report })
  } catch (error) {
    const shown = publicError(error)
    // what the answer calls "internal" is in the server log, with what was behind it
    if (!isUpshotError(error) || shown.code === 'internal') console.error(`imports: ${messageOf(error)}`)
    return answer(shown.status, { ok: false, message: shown.message })
  }
}
