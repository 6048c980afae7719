// How every sync runs: start (refused while another run of the same source and scope is alive), keep a
// heartbeat, count what it wrote, record a failing item and go on; end `success` only when nothing failed,
// `partial` naming what failed, `failed` when the run itself could not go on; then drain the rollup queue, where
// the facts' own transactions queued the weeks they changed (so a killed run's pages are refreshed by the next
// drain, whoever runs it). The watermark is the collector's to advance, and only after a success.
import type { Database } from '@/db/client'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import { finishSyncRun, heartbeatSyncRun, startSyncRun, type RunCounts } from '@/db/queries/sync'
import type { SyncRun } from '@/db/schema'
import { describeError, UpshotError } from '@/lib/errors'
import { redact } from './http'

export interface RunContext {
  db: Database
  runId: number
  source: string
  scope: string
  /** When this run started: the watermark a successful run leaves for the next one. */
  startedAt: Date
  counts: RunCounts
  /** The items that failed so far. */
  failures: { item: string; error: string }[]
  /** Adds an upsert's outcome to the counts. */
  count(result: { created: number; updated: number; unchanged: number }): void
  /** Records an item that failed; the run goes on and will end partial. */
  fail(item: string, error: unknown): void
  progress(message: string): void
}

/** Thrown to stop a run at once (a shutdown signal; a test killing a run): the run ends failed, resumable. */
export class RunAborted extends Error {
  constructor(reason = 'stopped') {
    super(`Run stopped: ${reason}`)
    this.name = 'RunAborted'
  }
}

export interface RunSummary {
  run: SyncRun
  failures: { item: string; error: string }[]
}

const HEARTBEAT_MS = 10_000

export async function runSync(
  db: Database,
  target: { source: string; scope: string },
  work: (context: RunContext) => Promise<void>,
  { onProgress = () => {} }: { onProgress?: (message: string) => void } = {},
): Promise<RunSummary> {
  const start = await startSyncRun(db, target)
  if (!start.started) {
    throw new UpshotError(
      'conflict',
      `A ${target.source} sync of ${target.scope} is already running (run ${start.running.id}, started ${start.running.startedAt.toISOString()}).`,
      {
        hint: 'Wait for it to finish. A run whose process has exited is closed at once on the same machine, and after two minutes without a heartbeat from any other.',
      },
    )
  }
  const failures: { item: string; error: string }[] = []
  const context: RunContext = {
    db,
    runId: start.run.id,
    source: target.source,
    scope: target.scope,
    startedAt: start.run.startedAt,
    counts: { created: 0, updated: 0, skipped: 0, failed: 0 },
    failures,
    count(result) {
      context.counts.created += result.created
      context.counts.updated += result.updated
      context.counts.skipped += result.unchanged
    },
    fail(item, error) {
      context.counts.failed++
      failures.push({ item, error: messageOf(error) })
      onProgress(`failed: ${item}: ${messageOf(error)}`)
    },
    progress: onProgress,
  }
  const heartbeat = setInterval(() => void heartbeatSyncRun(db, start.run.id).catch(() => {}), HEARTBEAT_MS)
  let status: 'success' | 'partial' | 'failed' = 'success'
  let error: string | null = null
  try {
    await work(context)
    if (failures.length > 0) {
      status = 'partial'
      error = `${failures.length} item${failures.length === 1 ? '' : 's'} failed: ${failures
        .slice(0, 5)
        .map((f) => f.item)
        .join(', ')}${failures.length > 5 ? ', …' : ''}`
    }
  } catch (caught) {
    status = 'failed'
    error = messageOf(caught)
  } finally {
    clearInterval(heartbeat)
  }
  // Whatever was written is real: refresh its weeks even after a failure. A refresh that fails leaves the
  // weeks queued for the next drain (any writer's, or the scheduler's) and says so in the run.
  try {
    await drainDirtyWeeks(db)
  } catch (caught) {
    if (status === 'success') status = 'partial'
    const message = `refreshing the weekly figures failed (they stay queued and are retried): ${messageOf(caught)}`
    error = error ? `${error}; ${message}` : message
  }
  const outcome = {
    status,
    counts: context.counts,
    error,
    details: failures.length ? { failures: failures.slice(0, 100) } : undefined,
  }
  let run: SyncRun
  try {
    run = await finishSyncRun(db, start.run.id, outcome)
  } catch (caught) {
    // never leave a run `running` because its own record could not be written (an error text Postgres refuses)
    run = await finishSyncRun(db, start.run.id, {
      ...outcome,
      status: 'failed',
      error: `the run's outcome could not be recorded: ${messageOf(caught)}`,
      details: undefined,
    })
  }
  return { run, failures }
}

// Control characters but tab, newline and CR (NUL among them, which Postgres refuses in text)
// oxlint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/**
 * An error's message, never its stack or request, with the process's credentials (environment variables
 * named like *TOKEN*, *SECRET*, *KEY*, *PASSWORD*) and anything shaped like one redacted: this is what runs
 * store and the Data sources page shows.
 */
export function messageOf(error: unknown): string {
  // drizzle wraps a database error in "Failed query: <the whole statement>": the cause says what went wrong
  const message = describeError(error)
  // Postgres refuses NUL in text: a message quoting bad input must still be storable
  return redact(message, environmentSecrets()).replace(CONTROL_CHARACTERS, '\uFFFD').slice(0, 500)
}

function environmentSecrets(): string[] {
  return Object.entries(process.env)
    .filter(([name, value]) => /TOKEN|SECRET|KEY|PASSWORD|PRIVATE/i.test(name) && value && value.length >= 8)
    .map(([, value]) => value as string)
}
