// What GET /api/health reports: whether the database answers, and how fast. Never the connection string.
import 'server-only'
import { getDb, resolveDatabaseTarget } from '@/db/client'
import { pingDatabase } from '@/db/queries/health'
import { describeError, publicError } from '@/lib/errors'

export type Health =
  | { status: 'ok'; database: { reachable: true; embedded: boolean; serverVersion: string; latencyMs: number } }
  | { status: 'unavailable'; database: { reachable: false; error: string } }

export async function checkHealth(): Promise<Health> {
  const started = performance.now()
  try {
    const { embedded } = resolveDatabaseTarget()
    const { serverVersion } = await pingDatabase(getDb())
    return {
      status: 'ok',
      database: { reachable: true, embedded, serverVersion, latencyMs: Math.round(performance.now() - started) },
    }
  } catch (error) {
    const shown = publicError(error)
    // Our own errors (no database configured) say what to do; anything else is logged here and shown plainly.
    if (shown.code === 'internal') console.error(`[health] database check failed: ${describeError(error)}`)
    return {
      status: 'unavailable',
      database: {
        reachable: false,
        error: shown.code === 'internal' ? 'The database does not answer.' : shown.message,
      },
    }
  }
}
