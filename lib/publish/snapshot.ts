// Taking a snapshot of the one-pager: its figures as they stand (the stored answer the one-pager itself shows,
// computed off the request thread when it is not current), kept with the data version they are of, then the PDF
// rendered from the kept figures – so the PDF, the snapshot page and a share link show exactly the same thing.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { getStoredReadModel } from '@/db/queries/read-models'
import { getSnapshot, getSnapshotPdf, insertSnapshot, setSnapshotPdf } from '@/db/queries/snapshots'
import { ensureStored } from '@/lib/data/read-cache'
import { reportQuestion, type ReportView } from '@/lib/data/report'
import { reportDocumentOf } from '@/lib/data/report-page'
import { fromStoredJson, toStoredJson } from '@/lib/data/stored-json'
import { UpshotError } from '@/lib/errors'
import { internalOrigin, RenderError, renderReport } from '@/lib/export/render'
import { formatDate } from '@/lib/format'
import { signRenderToken } from './secrets'

export interface TakenSnapshot {
  id: number
  /** Why there is no PDF (the figures are kept regardless), or null. */
  pdfError: string | null
}

/**
 * Keeps the one-pager of `initiativeId` (null: the organisation's, the latest launched initiative) as it stands
 * now, and renders its PDF. Throws a bad_request UpshotError when there is nothing to report yet.
 */
export async function takeSnapshot({
  initiativeId = null,
  createdBy,
  subscriptionId = null,
  db = getDb(),
}: {
  initiativeId?: number | null
  createdBy: string
  subscriptionId?: number | null
  db?: Db
}): Promise<TakenSnapshot> {
  const question = reportQuestion(initiativeId === null ? {} : { initiativeId })
  await ensureStored(question, { db })
  // the figures and the version they were computed at come from the same stored row
  const stored = await getStoredReadModel(db, question.name, JSON.stringify(question.inputs ?? null))
  if (!stored) throw new UpshotError('internal', 'The one-pager was computed but not stored; try again.')
  const report = fromStoredJson<ReportView>(stored.value)
  if (report.state !== 'ready')
    throw new UpshotError(
      'bad_request',
      initiativeId === null
        ? 'There is nothing to report yet: create an initiative first.'
        : 'That initiative does not exist (any more).',
    )
  const id = await insertSnapshot(db, {
    initiativeId: report.initiative.id,
    title: `${report.initiative.name}: one-pager of ${formatDate(stored.computedAt)}`,
    figures: toStoredJson(reportDocumentOf(report)),
    dataVersion: stored.dataVersion,
    subscriptionId,
    createdBy,
  })
  return { id, pdfError: await renderSnapshotPdf({ id, db }) }
}

/**
 * Renders a kept snapshot's PDF when it has none yet (a delivery retried after a failed render tries again), from
 * its own page: the renderer opens /share/<render token>, a token for this snapshot only, valid for minutes.
 * Returns null when the PDF is there, else why not.
 */
export async function renderSnapshotPdf({ id, db = getDb() }: { id: number; db?: Db }): Promise<string | null> {
  if (await getSnapshotPdf(db, { id })) return null
  if (!(await getSnapshot(db, { id }))) return `snapshot ${id} does not exist`
  try {
    const pdf = await renderReport({ origin: internalOrigin(), path: `/share/${signRenderToken(id)}`, format: 'pdf' })
    await setSnapshotPdf(db, { id, pdf })
    return null
  } catch (error) {
    if (error instanceof RenderError) return `the PDF could not be rendered: ${error.message}`
    throw error
  }
}
