// The bookkeeping of syncs: runs (one at a time per source and scope), where each source resumes (a page
// cursor during a run, a watermark between runs), and the ETags of polled URLs.
import { hostname } from 'node:os'
import { and, desc, eq, sql } from 'drizzle-orm'
import type { SyncStatus } from '@/lib/domain'
import type { Db } from '@/db/client'
import { syncRuns, syncState, type SyncRun } from '@/db/schema'

/** A run whose heartbeat is older than this belongs to a process that died; the next run takes over. */
const STALE_RUN_MS = 2 * 60_000

export type StartedRun = { started: true; run: SyncRun } | { started: false; running: SyncRun }

/** This process, as a run's owner: host and process id. */
const THIS_PROCESS = `${hostname()}:${process.pid}`

/** Whether a process of this host is alive (signal 0 tests without signalling; EPERM means it exists). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Closes, as failed and saying why, every run (of any source or file) whose process is gone: its owner ran on
 * this host and has exited, or its heartbeat stopped more than STALE_RUN_MS ago (a process on another host,
 * or one that hangs). Every run start and `npm run db -- check` calls it. Returns the runs it closed.
 */
export async function closeAbandonedRuns(
  db: Db,
  { owner = THIS_PROCESS, alive = processAlive }: { owner?: string; alive?: (pid: number) => boolean } = {},
): Promise<SyncRun[]> {
  const running = await db.select().from(syncRuns).where(eq(syncRuns.status, 'running'))
  const host = owner.slice(0, owner.lastIndexOf(':'))
  const closed: SyncRun[] = []
  for (const run of running) {
    const [runHost, pid] = run.owner
      ? [run.owner.slice(0, run.owner.lastIndexOf(':')), Number(run.owner.slice(run.owner.lastIndexOf(':') + 1))]
      : [null, NaN]
    const why =
      runHost === host && Number.isInteger(pid) && run.owner !== owner && !alive(pid)
        ? `abandoned: its process (${run.owner}) has exited`
        : Date.now() - run.heartbeatAt.getTime() >= STALE_RUN_MS
          ? `abandoned: no heartbeat since ${run.heartbeatAt.toISOString()}`
          : null
    if (!why) continue
    const [row] = await db
      .update(syncRuns)
      .set({ status: 'failed', finishedAt: sql`now()`, error: why })
      .where(and(eq(syncRuns.id, run.id), eq(syncRuns.status, 'running')))
      .returning()
    if (row) closed.push(row)
  }
  return closed
}

/** Starts a run, or reports the run of this source and scope that is still going. */
export async function startSyncRun(db: Db, { source, scope }: { source: string; scope: string }): Promise<StartedRun> {
  await closeAbandonedRuns(db)
  for (let attempt = 0; attempt < 2; attempt++) {
    const [run] = await db
      .insert(syncRuns)
      .values({ source, scope, status: 'running', owner: THIS_PROCESS })
      .onConflictDoNothing({ target: [syncRuns.source, syncRuns.scope], where: sql`status = 'running'` })
      .returning()
    if (run) return { started: true, run }
    const [running] = await db
      .select()
      .from(syncRuns)
      .where(and(eq(syncRuns.source, source), eq(syncRuns.scope, scope), eq(syncRuns.status, 'running')))
    if (running) return { started: false, running }
    // it finished meanwhile: try again
  }
  throw new Error(`could not start a ${source} run for ${scope}`)
}

export async function heartbeatSyncRun(db: Db, runId: number): Promise<void> {
  await db
    .update(syncRuns)
    .set({ heartbeatAt: sql`now()` })
    .where(eq(syncRuns.id, runId))
}

export interface RunCounts {
  created: number
  updated: number
  skipped: number
  failed: number
}

export async function finishSyncRun(
  db: Db,
  runId: number,
  outcome: {
    status: Exclude<SyncStatus, 'running'>
    counts: RunCounts
    error?: string | null
    details?: Record<string, unknown>
  },
): Promise<SyncRun> {
  const [run] = await db
    .update(syncRuns)
    .set({
      status: outcome.status,
      finishedAt: sql`now()`,
      ...outcome.counts,
      error: outcome.error ?? null,
      details: outcome.details ?? null,
    })
    .where(eq(syncRuns.id, runId))
    .returning()
  if (!run) throw new Error(`no sync run ${runId}`)
  return run
}

export interface SourceState {
  cursor: Record<string, unknown> | null
  watermark: Date | null
  etags: Record<string, string>
}

export async function getSyncState(db: Db, { source, scope }: { source: string; scope: string }): Promise<SourceState> {
  const [row] = await db
    .select()
    .from(syncState)
    .where(and(eq(syncState.source, source), eq(syncState.scope, scope)))
  return { cursor: row?.cursor ?? null, watermark: row?.watermark ?? null, etags: row?.etags ?? {} }
}

/**
 * Saves where a run has got to. Call it in the transaction that wrote the page's rows: a run killed after
 * this resumes at the next page, one killed before it redoes this page (upserts make that harmless).
 */
export async function saveSyncCursor(
  db: Db,
  { source, scope, cursor }: { source: string; scope: string; cursor: Record<string, unknown> | null },
): Promise<void> {
  await db
    .insert(syncState)
    .values({ source, scope, cursor })
    .onConflictDoUpdate({ target: [syncState.source, syncState.scope], set: { cursor, updatedAt: sql`now()` } })
}

/**
 * A scope is done: the next run fetches what changed since `watermark` (the start of the run, or of the pass,
 * that completed), polls with these ETags, and starts without a cursor. Only ever called after a success.
 */
export async function completeSyncScope(
  db: Db,
  {
    source,
    scope,
    watermark,
    etags,
  }: { source: string; scope: string; watermark: Date; etags?: Record<string, string> },
): Promise<void> {
  const values = { watermark, cursor: null, ...(etags ? { etags } : {}) }
  await db
    .insert(syncState)
    .values({ source, scope, ...values })
    .onConflictDoUpdate({ target: [syncState.source, syncState.scope], set: { ...values, updatedAt: sql`now()` } })
}

export async function listSyncRuns(
  db: Db,
  { source, limit = 20 }: { source?: string; limit?: number } = {},
): Promise<SyncRun[]> {
  const query = db.select().from(syncRuns)
  return (source ? query.where(eq(syncRuns.source, source)) : query)
    .orderBy(desc(syncRuns.startedAt), desc(syncRuns.id))
    .limit(limit)
}
