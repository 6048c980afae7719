// The cold pages at the small scale on the demo's embedded engine (embedded.ts) and on Postgres, side by side.
import { measureCold } from './cold'
import type { Log, SeedSpec } from './databases'
import { startEmbeddedDemo } from './embedded'
import { percentile, round } from './pages'
import type { Embedded } from './results'
import { startTargets, stopTargets } from './targets'

/**
 * The cold pages at the small scale on the embedded engine and on Postgres, side by side (fresh servers on
 * the two ports after the first two). A failure to start or seed the embedded database is recorded, not fatal.
 */
export async function measureEmbedded(
  spec: SeedSpec,
  postgresUrl: string,
  { port, combos, log }: { port: number; combos: number; log: Log },
): Promise<Embedded> {
  let embedded: Awaited<ReturnType<typeof startEmbeddedDemo>> | null = null
  try {
    log(`embedded demo: the embedded database at scale ${spec.scale} (seeded the first time, kept in bench/.work/)`)
    embedded = await startEmbeddedDemo(spec, log)
    const running = await startTargets(
      [
        { label: `Postgres ${spec.scale}`, databaseUrl: postgresUrl },
        { label: `embedded ${spec.scale}`, databaseUrl: embedded.url },
      ],
      port + 2,
    )
    try {
      const cold = await measureCold(running, { combos, floors: false, log })
      const [postgres = [], engine = []] = cold.pages
      const [postgresAll = [], engineAll = []] = cold.all
      return {
        p95_ms: round(percentile(engineAll, 0.95)),
        postgres_p95_ms: round(percentile(postgresAll, 0.95)),
        requests: engineAll.length,
        pages: engine.map((page, i) => ({
          path: page.path,
          p95_ms: page.p95_ms,
          postgres_p95_ms: postgres[i]?.p95_ms ?? Number.NaN,
        })),
        skipped: null,
      }
    } finally {
      await stopTargets(running)
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    log(`embedded demo: not measured: ${reason}`)
    return { p95_ms: null, postgres_p95_ms: null, requests: 0, pages: [], skipped: reason }
  } finally {
    await embedded?.stop()
  }
}
