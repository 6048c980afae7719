// A separate process that owns an embedded data directory until it gets SIGTERM: the "first owner" in the
// ownership tests. Prints one JSON line {"url", "pid"} when it serves.
import { startEmbedded } from '@/db/embedded'
import { connect } from '@/db/client'
import { migrateDatabase } from '@/db/migrate'

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: embedded-owner.ts <data dir>')
const embedded = await startEmbedded({ dataDir, command: 'embedded-owner test helper' })
const connection = connect(embedded.url, { max: 1 })
await migrateDatabase(connection.sql)
await connection.close()
process.stdout.write(`${JSON.stringify({ url: embedded.url, pid: process.pid })}\n`)
process.on('SIGTERM', () => {
  void embedded.close().then(() => process.exit(0))
})
