// Kept one-pagers on a real database: the demo's one-pager stored as a snapshot reads back deep-equal; what a
// `/share/<token>` page opens (a live link, never a revoked, expired or forged one; the renderer's token); the
// share links' states; and two stored snapshots compared figure by figure.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connect, type Connection } from '@/db/client'
import { insertSnapshot, setSnapshotPdf } from '@/db/queries/snapshots'
import { getReport, type ReportView } from '@/lib/data/report'
import { reportDocumentOf, type ReportDocumentData } from '@/lib/data/report-page'
import { createShareLink, listSnapshotShareLinks, revokeShareLinkForm } from '@/lib/data/share-links'
import {
  getSnapshotComparison,
  getSnapshotPdfFile,
  getSnapshotsPage,
  getSnapshotView,
  openSharedSnapshot,
  openSharedSnapshotPdf,
} from '@/lib/data/snapshots'
import { fromStoredJson, toStoredJson } from '@/lib/data/stored-json'
import { signRenderToken, signShareToken } from '@/lib/publish/secrets'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

const master = 'k'.repeat(40)
const DAY = 86_400_000

describe(`snapshots and share links (${engine})`, () => {
  let database: TestDatabase
  let demo: Connection
  let document: ReportDocumentData
  beforeAll(async () => {
    demo = connect(inject('demoDatabaseUrl'), { max: 2 })
    const report = (await getReport({ db: demo.db, now: new Date('2026-11-25T12:00:00Z') })) as Extract<
      ReportView,
      { state: 'ready' }
    >
    expect(report.state).toBe('ready')
    // exactly what takeSnapshot (lib/publish/snapshot.ts) keeps
    document = reportDocumentOf(report)
    database = await freshDatabase('snapshots')
  })
  afterAll(async () => {
    await demo?.close()
    await database?.close()
  })
  const db = () => database.connection.db
  const keep = (figures: ReportDocumentData, createdBy = 'ana') =>
    insertSnapshot(db(), {
      initiativeId: null,
      title: 'Portal pilot',
      figures: toStoredJson(figures),
      dataVersion: 7,
      createdBy,
    })
  const form = (fields: Record<string, string>) => {
    const data = new FormData()
    for (const [key, value] of Object.entries(fields)) data.append(key, value)
    return data
  }
  const share = async (snapshotId: number, options: { now?: Date; days?: string } = {}) => {
    const made = await createShareLink(snapshotId, form({ label: 'Board', days: options.days ?? '14' }), 'ana', {
      db: db(),
      master,
      ...(options.now ? { now: options.now } : {}),
    })
    if (!made.created) throw new Error(`no link: ${made.message} ${JSON.stringify(made.errors)}`)
    return { id: made.created.id, token: made.created.path.replace(/^\/share\//, ''), path: made.created.path }
  }

  it('the demo’s one-pager stored as a snapshot reads back deep-equal, dates as dates, with the note that it is a snapshot', async () => {
    const id = await keep(document)
    const view = await getSnapshotView(id, { db: db() })
    expect(view?.document).toEqual(document)
    expect(view?.document.report.generatedAt).toBeInstanceOf(Date)
    expect(view?.note).toMatch(/^Snapshot of \d{1,2} \w{3} \d{4}, data version 7$/)
    expect(view).toMatchObject({ title: 'Portal pilot', origin: 'Made by ana', pdfSize: null, pdfPath: null })
    expect(await getSnapshotView(id + 1000, { db: db() })).toBeNull()
  })

  it('figures that are not a one-pager are refused with a clear error', async () => {
    const id = await insertSnapshot(db(), {
      initiativeId: null,
      title: 'broken',
      figures: toStoredJson({ paper: 'a4', meta: 'x', filters: { chosen: false }, report: { state: 'no-initiative' } }),
      dataVersion: 1,
      createdBy: 'ana',
    })
    await expect(getSnapshotView(id, { db: db() })).rejects.toThrow(
      `Snapshot ${id}'s figures cannot be drawn as a one-pager: they hold no one-pager.`,
    )
    const unreadable = await insertSnapshot(db(), {
      initiativeId: null,
      title: 'broken',
      figures: '{not json',
      dataVersion: 1,
      createdBy: 'ana',
    })
    await expect(getSnapshotView(unreadable, { db: db() })).rejects.toThrow('figures are not readable JSON')
  })

  it('a live share link opens its snapshot (and records the opening) and its PDF; revoked, it opens nothing', async () => {
    const id = await keep(document)
    await setSnapshotPdf(db(), { id, pdf: Buffer.from('%PDF-1.7 snapshot') })
    const link = await share(id)
    expect(link.path).toMatch(/^\/share\/\d+\.\d+\.[A-Za-z0-9_-]{43}$/)
    const opened = await openSharedSnapshot(link.token, { db: db(), master })
    expect(opened).toMatchObject({ via: 'share', title: 'Portal pilot', hasPdf: true })
    expect(opened?.document).toEqual(document)
    expect((await listSnapshotShareLinks(id, { db: db() }))[0]?.lastOpenedAt).toBeInstanceOf(Date)
    const pdf = await openSharedSnapshotPdf(link.token, { db: db(), master })
    expect(pdf?.bytes.toString()).toBe('%PDF-1.7 snapshot')
    expect(pdf?.fileName).toMatch(new RegExp(`^upshot-snapshot-${id}-\\d{4}-\\d{2}-\\d{2}\\.pdf$`))

    expect(await revokeShareLinkForm(form({ id: String(link.id) }), { db: db() })).toMatchObject({ ok: true })
    expect(await openSharedSnapshot(link.token, { db: db(), master })).toBeNull()
    expect(await openSharedSnapshotPdf(link.token, { db: db(), master })).toBeNull()
    expect(await revokeShareLinkForm(form({ id: String(link.id) }), { db: db() })).toMatchObject({ ok: false })
  })

  it('an expired link opens nothing: by its token’s expiry, and by its row’s when a token claims a later one', async () => {
    const id = await keep(document)
    // made 20 days ago for 1 day: the token says it expired 19 days ago
    const old = await share(id, { now: new Date(Date.now() - 20 * DAY), days: '1' })
    expect(await openSharedSnapshot(old.token, { db: db(), master })).toBeNull()
    // the same link id signed with an expiry a year on (as a leaked key could): the row's expiry is not the one signed
    const later = signShareToken(old.id, new Date(Date.now() + 365 * DAY), master)
    expect(await openSharedSnapshot(later, { db: db(), master })).toBeNull()
    expect(await openSharedSnapshotPdf(later, { db: db(), master })).toBeNull()
  })

  it('a token with a forged id, a forged expiry, another key’s signature or no shape at all opens nothing', async () => {
    const id = await keep(document)
    const link = await share(id)
    expect(await openSharedSnapshot(link.token, { db: db(), master })).not.toBeNull()
    const [linkId, expires, signature] = link.token.split('.') as [string, string, string]
    const forged = [
      `${Number(linkId) + 1}.${expires}.${signature}`,
      `${linkId}.${Number(expires) + 86_400}.${signature}`,
      signShareToken(Number(linkId), new Date(Number(expires) * 1000), 'o'.repeat(40)),
      `${linkId}.${expires}`,
      'nonsense',
      '',
      `../../api/health`,
    ]
    for (const token of forged) expect(await openSharedSnapshot(token, { db: db(), master }), token).toBeNull()
  })

  it('a render token opens its snapshot for the renderer (no PDF download); expired, or for no snapshot, nothing', async () => {
    const id = await keep(document)
    // a PDF there (a render retried after one succeeded): still not downloadable with the renderer's token
    await setSnapshotPdf(db(), { id, pdf: Buffer.from('%PDF-1.7 rendered') })
    const token = signRenderToken(id, new Date(), master)
    expect(await openSharedSnapshot(token, { db: db(), master })).toMatchObject({
      via: 'render',
      title: 'Portal pilot',
    })
    expect(await openSharedSnapshotPdf(token, { db: db(), master })).toBeNull()
    expect(
      await openSharedSnapshot(signRenderToken(id, new Date(Date.now() - 6 * 60_000), master), { db: db(), master }),
    ).toBeNull()
    expect(await openSharedSnapshot(signRenderToken(id + 1000, new Date(), master), { db: db(), master })).toBeNull()
  })

  it('share links: label and days checked (1–90), each listed live, expired or revoked, never with its token', async () => {
    const id = await keep(document)
    const refused = await createShareLink(id, form({ label: ' ', days: '91' }), 'ana', { db: db(), master })
    expect(refused.created).toBeNull()
    expect(Object.keys(refused.errors).sort()).toEqual(['days', 'label'])
    expect(
      (await createShareLink(id + 1000, form({ label: 'x', days: '3' }), 'ana', { db: db(), master })).message,
    ).toMatch(/does not exist/)
    const live = await share(id)
    const expired = await share(id, { now: new Date(Date.now() - 10 * DAY), days: '2' })
    const revoked = await share(id)
    await revokeShareLinkForm(form({ id: String(revoked.id) }), { db: db() })
    const links = await listSnapshotShareLinks(id, { db: db() })
    expect(Object.fromEntries(links.map((link) => [link.id, link.state]))).toEqual({
      [live.id]: 'live',
      [expired.id]: 'expired',
      [revoked.id]: 'revoked',
    })
    expect(JSON.stringify(links)).not.toContain(live.token.split('.')[2])
  })

  it('the list is newest first, saying who made each and its PDF’s size; the PDF is served only where there is one', async () => {
    const id = await keep(document, 'bo')
    await setSnapshotPdf(db(), { id, pdf: Buffer.alloc(3 * 1024) })
    const page = await getSnapshotsPage({ db: db() })
    expect(page.snapshots[0]).toMatchObject({ id, origin: 'Made by bo', pdfSize: '3 KB', dataVersion: 7 })
    expect(page.snapshots.map((one) => one.id)).toEqual(page.snapshots.map((one) => one.id).sort((a, b) => b - a))
    expect((await getSnapshotPdfFile(id, { db: db() }))?.bytes.length).toBe(3 * 1024)
    expect(await getSnapshotPdfFile(await keep(document), { db: db() })).toBeNull()
  })

  it('two stored snapshots compared: value +$100k and net +$100k when only the value grew; a headline dropped is "only in A"', async () => {
    const before = await keep(document)
    const changed = fromStoredJson<ReportDocumentData>(toStoredJson(document))
    const { result } = changed.report.roi
    result.value = { ...result.value, likely: result.value.likely + 100_000 }
    result.net = { ...result.net, likely: result.net.likely + 100_000 }
    const dropped = changed.report.headlines.shift()
    const after = await keep(changed)
    const comparison = await getSnapshotComparison({ a: before, b: after }, { db: db() })
    const row = (key: string) => comparison?.rows.find((one) => one.key === key)
    expect(row('value')?.change).toBe('+$100k')
    expect(row('net')?.change).toBe('+$100k')
    expect(row('cost')?.change).toBe('no change')
    const metricRows = comparison?.rows.filter((one) => one.group === 'metric') ?? []
    expect(metricRows.length).toBeGreaterThan(0)
    expect(metricRows.filter((one) => one.change !== 'no change')).toEqual([])
    // the demo's one-pager states at least one headline (tests/integration/report-csv.test.ts reads the same)
    expect(dropped).toBeDefined()
    expect(comparison?.rows.filter((one) => one.group === 'headline')).toEqual([
      expect.objectContaining({ a: dropped?.sentence, b: '—', change: 'only in A' }),
    ])
    expect(await getSnapshotComparison({ a: before, b: after + 1000 }, { db: db() })).toBeNull()
  })
})
