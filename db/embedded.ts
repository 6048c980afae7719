// The embedded default database: PGlite (Postgres compiled to WebAssembly) persisted in a directory, owned
// by this process and served over a loopback port so that the web server, CLIs and tests share it through
// the same driver as a real Postgres (see embedded-wire.ts and embedded-lock.ts).
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { acquireOwnership, embeddedUrl, type Ownership } from './embedded-lock'
import { serveOverWire, type WireServer } from './embedded-wire'

export interface EmbeddedDatabase {
  readonly url: string
  readonly dataDir: string
  close(): Promise<void>
}

export interface StartEmbeddedOptions {
  /** Directory of the data; null keeps everything in memory (tests). */
  dataDir: string | null
  /** Who owns it, shown to a second process that tries to: e.g. "npm run demo". */
  command: string
  host?: string
  port?: number
}

export async function startEmbedded(options: StartEmbeddedOptions): Promise<EmbeddedDatabase> {
  const host = options.host ?? '127.0.0.1'
  // Ownership first: PGlite must never open a directory another process has open.
  const ownership: Ownership | null = options.dataDir ? acquireOwnership(options.dataDir, options.command) : null
  let pglite: PGlite | null = null
  let server: WireServer | null = null
  try {
    pglite = await PGlite.create(options.dataDir ? { dataDir: path.join(options.dataDir, 'pglite') } : {})
    server = await serveOverWire({ db: pglite, host, port: options.port ?? 0 })
    ownership?.publish({ host, port: server.port })
  } catch (error) {
    await server?.close()
    await pglite?.close()
    ownership?.release()
    throw error
  }
  const url = embeddedUrl(host, server.port)
  let closing: Promise<void> | null = null
  const openServer = server
  const openPglite = pglite
  return {
    url,
    dataDir: options.dataDir ?? ':memory:',
    close() {
      closing ??= (async () => {
        await openServer.close()
        await openPglite.close()
        ownership?.release()
      })()
      return closing
    },
  }
}
