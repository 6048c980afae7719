// Opening a database from a command-line process: DATABASE_URL when set; else the running owner of the
// embedded database; else this process becomes the owner for as long as it runs.
import { env } from '@/lib/env'
import { connect, type Connection } from './client'
import { startEmbedded, type EmbeddedDatabase } from './embedded'
import { embeddedUrl, readLiveOwner } from './embedded-lock'

export interface OpenDatabase {
  connection: Connection
  /** Set when this process owns the embedded database (and serves it to others while it runs). */
  embedded: EmbeddedDatabase | null
  describe: string
  close(): Promise<void>
}

export async function openDatabase({ command }: { command: string }): Promise<OpenDatabase> {
  const config = env()
  if (config.DATABASE_URL) {
    const connection = connect(config.DATABASE_URL)
    return {
      connection,
      embedded: null,
      describe: 'the Postgres server in DATABASE_URL',
      close: () => connection.close(),
    }
  }
  const owner = readLiveOwner(config.UPSHOT_DATA_DIR)
  if (owner?.host && owner.port) {
    const connection = connect(embeddedUrl(owner.host, owner.port), { max: 2 })
    return {
      connection,
      embedded: null,
      describe: `the embedded database served by process ${owner.pid} (${owner.command})`,
      close: () => connection.close(),
    }
  }
  const embedded = await startEmbedded({ dataDir: config.UPSHOT_DATA_DIR, command })
  const connection = connect(embedded.url, { max: 4 })
  return {
    connection,
    embedded,
    describe: `the embedded database in ${config.UPSHOT_DATA_DIR}`,
    async close() {
      await connection.close()
      await embedded.close()
    },
  }
}
