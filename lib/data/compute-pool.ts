// Read models computed off the request thread. A cold dashboard page spends most of its time resampling (1,000
// bootstrap draws and 1,000 permutations per metric) and decoding rollup arrays; on the request thread that
// stalls every other request of the process, a health check included, for as long. In a web server the
// computation runs on a pool of worker threads instead (piscina): the request thread only reads the version,
// renders and answers. Each worker loads our TypeScript through tsx (lib/data/compute-worker.mjs) and opens its
// own database connections. Outside Next (tests, scripts), and when the pool cannot start, read models compute
// in the calling thread, with the same code and the same answers. Server-only.
import 'server-only'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { isMainThread } from 'node:worker_threads'
import { Piscina } from 'piscina'
import { env } from '@/lib/env'

/** A question the workers can rebuild (lib/data/questions.ts): its name and its builder's arguments. */
export interface Task {
  name: string
  args: unknown
}

const globalForPool = globalThis as unknown as { upshotComputePool?: Piscina | null }

/**
 * The pool, started on first use: as many threads as cores but one (the request thread keeps one), at least
 * one; UPSHOT_COMPUTE_THREADS sets another number, 0 computes on the request thread. Null outside a web
 * server's main thread.
 */
function computePool(): Piscina | null {
  if (globalForPool.upshotComputePool !== undefined) return globalForPool.upshotComputePool
  const filename = path.join(process.cwd(), 'lib', 'data', 'compute-worker.mjs')
  const threads = env().UPSHOT_COMPUTE_THREADS ?? Math.max(1, availableParallelism() - 1)
  if (process.env.NEXT_RUNTIME !== 'nodejs' || !isMainThread || threads === 0 || !existsSync(filename)) {
    globalForPool.upshotComputePool = null
    return null
  }
  globalForPool.upshotComputePool = new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    // one computation per thread at a time: each is CPU-bound, a second would only share its thread
    concurrentTasksPerWorker: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    // below the request thread: on a busy machine a health check or a cached page is answered first, and a
    // long computation takes what is left (Linux; elsewhere the priority stays as it is)
    niceIncrement: 5,
    // lib/data is server-only: the workers resolve React's server build, as the web server does
    execArgv: ['--conditions=react-server'],
  })
  return globalForPool.upshotComputePool
}

/**
 * The answer to `task`, computed on a worker thread, or by `here` on this thread where there is no pool. A
 * worker that cannot load the code (a deployment without tsx) turns the pool off; the answer is then computed
 * here, so a broken pool costs speed, never a page.
 */
export async function computeOffThread<T>(task: Task, here: () => Promise<T>): Promise<T> {
  const pool = computePool()
  if (!pool) return here()
  try {
    return (await pool.run(task)) as T
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('compute-worker: cannot load')) {
      console.error(`${error.message}; read models now compute on the request thread`)
      globalForPool.upshotComputePool = null
      void pool.destroy()
      return here()
    }
    throw error
  }
}
