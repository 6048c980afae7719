// The demo's engine: the embedded database (PGlite) the demo runs on, in its own process as under
// `npm run demo`, seeded at scale 1 (kept in bench/.work/ between runs). The cold pages are measured on it
// and on Postgres at scale 1 side by side (cold.ts), with the same filter combinations.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import type { Log, SeedSpec } from './databases'

const root = path.resolve(import.meta.dirname, '..')

export interface EmbeddedResult {
  /** Every cold request at scale 1, all pages together. */
  p95_ms: number
  postgres_p95_ms: number
  requests: number
  /** p95 per cold page on the embedded engine and on Postgres. */
  pages: { path: string; p95_ms: number; postgres_p95_ms: number }[]
}

/** The embedded database of `spec`, served by a child process until stop(). Seeding scale 1 takes a few minutes the first time. */
export async function startEmbeddedDemo(spec: SeedSpec, log: Log): Promise<{ url: string; stop: () => Promise<void> }> {
  const dataDir = path.join(root, 'bench', '.work', `embedded-scale${spec.scale}`)
  // the engine is the embedded one whatever DATABASE_URL the benchmark was given
  const { DATABASE_URL: _server, ...env } = process.env
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'bench', 'embedded-server.ts'), dataDir, JSON.stringify(spec)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env },
  )
  child.stderr?.on('data', (chunk) => log(String(chunk).trimEnd()))
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(timer)
  }
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the embedded database was not ready within 10 min')), 600_000)
      child.once('exit', (code) => reject(new Error(`the embedded database exited with ${code}`)))
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          const { url } = JSON.parse(line) as { url: string }
          clearTimeout(timer)
          resolve(url)
        } catch {
          log(line)
        }
      })
    })
    return { url, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
