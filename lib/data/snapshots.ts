// Kept one-pagers (snapshots): the list, one snapshot drawn back from its stored figures (never from today's
// data), two compared figure by figure, its PDF, and what a share link or the server's own renderer opens
// (`/share/<token>`). Share links themselves: lib/data/share-links.ts. Server-only.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { listInitiatives } from '@/db/queries/initiatives'
import {
  getSnapshot,
  getSnapshotPdf,
  listSnapshots,
  listSubscriptionNames,
  openShareLink,
  type SnapshotSummary,
} from '@/db/queries/snapshots'
import { describeError, isUpshotError, UpshotError } from '@/lib/errors'
import { formatDate } from '@/lib/format'
import { compareReports, type CompareRow } from '@/lib/publish/compare'
import { masterKey, verifyRenderToken, verifyShareToken } from '@/lib/publish/secrets'
import type { ReportDocumentData } from './report-page'
import { fromStoredJson } from './stored-json'

export type { CompareRow } from '@/lib/publish/compare'

export interface SnapshotListItem {
  id: number
  title: string
  initiativeName: string | null
  createdAt: Date
  dataVersion: number
  /** "Sent by the subscription “Weekly to the board”", or "Made by Ana". */
  origin: string
  /** "84 KB"; null without a PDF (its render failed; the figures are kept regardless). */
  pdfSize: string | null
}

/** "Snapshot of 2 Mar 2026, data version 412": said on every kept one-pager, so nobody takes it for live figures. */
export const snapshotNote = (snapshot: { createdAt: Date; dataVersion: number }) =>
  `Snapshot of ${formatDate(snapshot.createdAt)}, data version ${snapshot.dataVersion}`

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

function listItem(summary: SnapshotSummary, subscriptions: Map<number, string>): SnapshotListItem {
  const subscription = summary.subscriptionId === null ? undefined : subscriptions.get(summary.subscriptionId)
  return {
    id: summary.id,
    title: summary.title,
    initiativeName: summary.initiativeName,
    createdAt: summary.createdAt,
    dataVersion: summary.dataVersion,
    origin: subscription ? `Sent by the subscription “${subscription}”` : `Made by ${summary.createdBy}`,
    pdfSize: summary.pdfBytes === null ? null : formatBytes(summary.pdfBytes),
  }
}

export interface SnapshotsPage {
  /** Newest first. */
  snapshots: SnapshotListItem[]
  /** For "Make a snapshot now": which initiative's one-pager (none chosen: the organisation's, the latest launched). */
  initiatives: { id: number; name: string }[]
}

export async function getSnapshotsPage({ db = getDb() }: { db?: Db } = {}): Promise<SnapshotsPage> {
  const [summaries, initiatives] = await Promise.all([listSnapshots(db), listInitiatives(db)])
  const subscriptions = await listSubscriptionNames(db, {
    ids: [
      ...new Set(summaries.flatMap((summary) => (summary.subscriptionId === null ? [] : [summary.subscriptionId]))),
    ],
  })
  return {
    snapshots: summaries.map((summary) => listItem(summary, subscriptions)),
    initiatives: initiatives.map((initiative) => ({ id: initiative.id, name: initiative.name })),
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** What is wrong with stored figures for drawing a one-pager from them; null when nothing is. */
function figuresProblem(value: unknown): string | null {
  if (!isObject(value)) return 'they are not an object'
  if (value.paper !== 'a4' && value.paper !== 'letter') return 'the paper is neither a4 nor letter'
  if (typeof value.meta !== 'string') return 'the line under the title is missing'
  if (!isObject(value.filters) || typeof value.filters.chosen !== 'boolean') return 'the filters note is missing'
  const report = value.report
  if (!isObject(report) || report.state !== 'ready') return 'they hold no one-pager'
  if (!(report.generatedAt instanceof Date)) return 'when they were computed is missing'
  if (!isObject(report.initiative) || typeof report.initiative.name !== 'string') return 'the initiative is missing'
  if (!Array.isArray(report.initiative.metrics)) return 'the initiative’s metrics are missing'
  for (const list of ['headlines', 'notYetClear', 'whenKnown', 'tiles', 'weekly'] as const)
    if (!Array.isArray(report[list])) return `the ${list} are missing`
  if (!isObject(report.roi) || !isObject(report.roi.result)) return 'the money is missing'
  if (!isObject(report.latest) || !isObject(report.control)) return 'the method note is missing'
  return null
}

/** A snapshot's stored figures read back as the one-pager's data; a clear error when they are not one. */
export function parseSnapshotFigures(id: number, text: string): ReportDocumentData {
  let value: unknown
  try {
    value = fromStoredJson<unknown>(text)
  } catch (error) {
    throw new UpshotError('internal', `Snapshot ${id}'s figures are not readable JSON.`, { cause: error })
  }
  const problem = figuresProblem(value)
  if (problem) throw new UpshotError('internal', `Snapshot ${id}'s figures cannot be drawn as a one-pager: ${problem}.`)
  return value as ReportDocumentData
}

export interface SnapshotView extends SnapshotListItem {
  note: string
  document: ReportDocumentData
  pdfPath: string | null
}

/** One snapshot as it was sent; null when there is none with this id. */
export async function getSnapshotView(id: number, { db = getDb() }: { db?: Db } = {}): Promise<SnapshotView | null> {
  const found = await getSnapshot(db, { id })
  if (!found) return null
  const names =
    found.subscriptionId === null ? new Map() : await listSubscriptionNames(db, { ids: [found.subscriptionId] })
  return {
    ...listItem(found, names),
    note: snapshotNote(found),
    document: parseSnapshotFigures(id, found.figures),
    pdfPath: found.hasPdf ? `/api/snapshots/${id}/pdf` : null,
  }
}

export interface SnapshotPdf {
  bytes: Buffer
  fileName: string
}

const pdfFileName = (id: number, createdAt: Date) => `upshot-snapshot-${id}-${createdAt.toISOString().slice(0, 10)}.pdf`

/** A snapshot's stored PDF; null when there is no such snapshot or it has no PDF. */
export async function getSnapshotPdfFile(id: number, { db = getDb() }: { db?: Db } = {}): Promise<SnapshotPdf | null> {
  const [summary, bytes] = await Promise.all([getSnapshot(db, { id }), getSnapshotPdf(db, { id })])
  return summary && bytes ? { bytes, fileName: pdfFileName(id, summary.createdAt) } : null
}

export interface Comparison {
  a: SnapshotListItem & { note: string; initiative: string }
  b: SnapshotListItem & { note: string; initiative: string }
  rows: CompareRow[]
}

/** Two snapshots compared figure by figure (lib/publish/compare.ts); null when either does not exist. */
export async function getSnapshotComparison(
  { a, b }: { a: number; b: number },
  { db = getDb() }: { db?: Db } = {},
): Promise<Comparison | null> {
  const [first, second] = await Promise.all([getSnapshotView(a, { db }), getSnapshotView(b, { db })])
  if (!first || !second) return null
  const side = (view: SnapshotView): Comparison['a'] => ({
    id: view.id,
    title: view.title,
    initiativeName: view.initiativeName,
    createdAt: view.createdAt,
    dataVersion: view.dataVersion,
    origin: view.origin,
    pdfSize: view.pdfSize,
    note: view.note,
    initiative: view.document.report.initiative.name,
  })
  return { a: side(first), b: side(second), rows: compareReports(first.document, second.document) }
}

/** What a `/share/<token>` page shows: the snapshot's one-pager and no more (not who made it, not how it was sent). */
export interface SharedSnapshot {
  /** 'share': a share link's token (its PDF may be downloaded); 'render': the server's own renderer. */
  via: 'share' | 'render'
  title: string
  note: string
  document: ReportDocumentData
  hasPdf: boolean
}

interface TokenOptions {
  db?: Db
  now?: Date
  /** The master key (tests); else the configured one. */
  master?: string
}

/** The snapshot a token opens: a share link that is live (which records the opening), or a render token. */
async function tokenSnapshotId(
  token: string,
  { db = getDb(), now = new Date(), master }: TokenOptions,
  accept: 'share' | 'any',
): Promise<{ id: number; via: 'share' | 'render' } | null> {
  const key = master ?? masterKey()
  if (accept === 'any') {
    const render = verifyRenderToken(token, now, key)
    if (render) return { id: render.snapshotId, via: 'render' }
  }
  const signed = verifyShareToken(token, now, key)
  if (!signed) return null
  const link = await openShareLink(db, signed)
  return link ? { id: link.snapshotId, via: 'share' } : null
}

/** Never throws to the page: a broken snapshot or a database failure is logged (without the token) and answers 404. */
async function quietly<T>(what: string, work: () => Promise<T | null>): Promise<T | null> {
  try {
    return await work()
  } catch (error) {
    // no key configured is the operator's to fix, and says so at startup and on the publishing pages
    if (!(isUpshotError(error) && error.code === 'unavailable')) console.error(`${what}: ${describeError(error)}`)
    return null
  }
}

/**
 * The snapshot a `/share/<token>` page shows, or null for anything wrong: a malformed or forged token, a link
 * revoked or expired (or whose expiry is not the one signed), an expired render token, no key configured, a
 * snapshot since deleted.
 */
export function openSharedSnapshot(token: string, options: TokenOptions = {}): Promise<SharedSnapshot | null> {
  return quietly('share link', async () => {
    const opened = await tokenSnapshotId(token, options, 'any')
    if (!opened) return null
    const db = options.db ?? getDb()
    const found = await getSnapshot(db, { id: opened.id })
    if (!found) return null
    return {
      via: opened.via,
      title: found.title,
      note: snapshotNote(found),
      document: parseSnapshotFigures(found.id, found.figures),
      hasPdf: found.hasPdf,
    }
  })
}

/** The PDF a share link's download offers; a share link's token only (the renderer's has no use for it). */
export function openSharedSnapshotPdf(token: string, options: TokenOptions = {}): Promise<SnapshotPdf | null> {
  return quietly('share link PDF', async () => {
    const opened = await tokenSnapshotId(token, options, 'share')
    return opened ? getSnapshotPdfFile(opened.id, { db: options.db ?? getDb() }) : null
  })
}

/** What "Make a snapshot now" answers: the snapshot made (and why it has no PDF, if so), or why none was. */
export interface MakeSnapshotState {
  ok: boolean
  message: string | null
  id: number | null
}

/** The initiative "Make a snapshot now" names: '' for the organisation's one-pager (null), else its id; undefined when the form is not ours. */
export function readMakeSnapshotForm(form: FormData): { initiativeId: number | null } | undefined {
  const value = form.get('initiative')
  if (value === '' || value === null) return { initiativeId: null }
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? { initiativeId: Number(value) } : undefined
}
