// Snapshots of the one-pager as it was sent (or made by hand), and the share links that open one of them
// without an account. The figures are stored as text the caller made (lib/data/snapshots.ts), the PDF as bytes.
import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import type { Db } from '@/db/client'
import {
  initiatives,
  reportSnapshots,
  reportSubscriptions,
  shareLinks,
  type ReportSnapshot,
  type ShareLink,
} from '@/db/schema'

export type SnapshotSummary = Pick<
  ReportSnapshot,
  'id' | 'initiativeId' | 'title' | 'dataVersion' | 'subscriptionId' | 'createdBy' | 'createdAt'
> & { initiativeName: string | null; hasPdf: boolean; pdfBytes: number | null }

const summaryColumns = {
  id: reportSnapshots.id,
  initiativeId: reportSnapshots.initiativeId,
  title: reportSnapshots.title,
  dataVersion: reportSnapshots.dataVersion,
  subscriptionId: reportSnapshots.subscriptionId,
  createdBy: reportSnapshots.createdBy,
  createdAt: reportSnapshots.createdAt,
  initiativeName: initiatives.name,
  hasPdf: sql<boolean>`${reportSnapshots.pdf} is not null`,
  pdfBytes: sql<number | null>`octet_length(${reportSnapshots.pdf})::int`,
}

export async function insertSnapshot(
  db: Db,
  snapshot: {
    initiativeId: number | null
    title: string
    figures: string
    dataVersion: number
    subscriptionId?: number | null
    createdBy: string
  },
): Promise<number> {
  const [row] = await db
    .insert(reportSnapshots)
    .values({ ...snapshot, subscriptionId: snapshot.subscriptionId ?? null })
    .returning({ id: reportSnapshots.id })
  return row!.id
}

/** The rendered PDF, added once it is made (a snapshot is kept even when rendering fails: its figures stand). */
export async function setSnapshotPdf(db: Db, { id, pdf }: { id: number; pdf: Buffer }): Promise<void> {
  await db.update(reportSnapshots).set({ pdf }).where(eq(reportSnapshots.id, id))
}

/** Newest first. */
export async function listSnapshots(db: Db, { limit = 200 }: { limit?: number } = {}): Promise<SnapshotSummary[]> {
  return db
    .select(summaryColumns)
    .from(reportSnapshots)
    .leftJoin(initiatives, eq(initiatives.id, reportSnapshots.initiativeId))
    .orderBy(desc(reportSnapshots.createdAt), desc(reportSnapshots.id))
    .limit(limit)
}

export async function getSnapshot(
  db: Db,
  { id }: { id: number },
): Promise<(SnapshotSummary & { figures: string }) | null> {
  const [row] = await db
    .select({ ...summaryColumns, figures: reportSnapshots.figures })
    .from(reportSnapshots)
    .leftJoin(initiatives, eq(initiatives.id, reportSnapshots.initiativeId))
    .where(eq(reportSnapshots.id, id))
  return row ?? null
}

export async function getSnapshotPdf(db: Db, { id }: { id: number }): Promise<Buffer | null> {
  const [row] = await db.select({ pdf: reportSnapshots.pdf }).from(reportSnapshots).where(eq(reportSnapshots.id, id))
  return row?.pdf ?? null
}

export async function insertShareLink(
  db: Db,
  link: { snapshotId: number; label: string; expiresAt: Date; createdBy: string },
): Promise<ShareLink> {
  const [row] = await db.insert(shareLinks).values(link).returning()
  return row!
}

export async function listShareLinks(db: Db, { snapshotId }: { snapshotId?: number } = {}): Promise<ShareLink[]> {
  return db
    .select()
    .from(shareLinks)
    .where(snapshotId === undefined ? undefined : eq(shareLinks.snapshotId, snapshotId))
    .orderBy(desc(shareLinks.createdAt), desc(shareLinks.id))
}

export async function revokeShareLink(db: Db, { id }: { id: number }): Promise<boolean> {
  const rows = await db
    .update(shareLinks)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(shareLinks.id, id), isNull(shareLinks.revokedAt)))
    .returning({ id: shareLinks.id })
  return rows.length > 0
}

/**
 * The snapshot a share link opens, when the link is live: not revoked, not expired, and its stored expiry is the
 * one the token was signed with. Records the opening.
 */
export async function openShareLink(
  db: Db,
  { id, expiresAt }: { id: number; expiresAt: Date },
): Promise<{ snapshotId: number; label: string } | null> {
  const rows = await db
    .update(shareLinks)
    .set({ lastOpenedAt: sql`now()` })
    .where(
      and(
        eq(shareLinks.id, id),
        isNull(shareLinks.revokedAt),
        gt(shareLinks.expiresAt, sql`now()`),
        sql`floor(extract(epoch from ${shareLinks.expiresAt})) = ${Math.floor(expiresAt.getTime() / 1000)}`,
      ),
    )
    .returning({ snapshotId: shareLinks.snapshotId, label: shareLinks.label })
  return rows[0] ?? null
}

/** The names of the subscriptions that sent snapshots (the snapshots page says which sent each). */
export async function listSubscriptionNames(db: Db, { ids }: { ids: number[] }): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .select({ id: reportSubscriptions.id, name: reportSubscriptions.name })
    .from(reportSubscriptions)
    .where(inArray(reportSubscriptions.id, ids))
  return new Map(rows.map((row) => [row.id, row.name]))
}
