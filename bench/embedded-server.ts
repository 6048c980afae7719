// The embedded database of the demo (db/embedded.ts: PGlite served over a loopback port), owned by this
// process as `npm run demo` owns it, migrated and seeded with the demo organisation of the spec given. Run
// by bench/embedded.ts: argv are the data directory and the seed spec (JSON); it prints one JSON line with
// the URL once the database is ready, then serves it until SIGTERM.
import fs from 'node:fs'
import path from 'node:path'
import { connect } from '@/db/client'
import { seedDemo } from '@/db/demo/seed'
import { startEmbedded } from '@/db/embedded'
import { migrateDatabase } from '@/db/migrate'

const [dataDir, wanted] = process.argv.slice(2)
if (!dataDir || !wanted) throw new Error('usage: embedded-server.ts <data directory> <seed spec as JSON>')
const say = (message: string) => process.stderr.write(`[embedded] ${message}\n`)

// A directory seeded for another spec (another week, another scale) is seeded again from nothing.
const specFile = path.join(dataDir, 'bench-spec.json')
const kept = fs.existsSync(specFile) ? fs.readFileSync(specFile, 'utf8') : null
if (kept !== wanted) fs.rmSync(dataDir, { recursive: true, force: true })

const embedded = await startEmbedded({ dataDir, command: 'npm run bench (embedded demo)' })
const connection = connect(embedded.url, { max: 1 })
try {
  await migrateDatabase(connection.sql)
  if (kept !== wanted) {
    say(`seeding ${wanted}`)
    const result = await seedDemo(connection.db, JSON.parse(wanted), say)
    if (!result.seeded) throw new Error(`seeding failed: ${result.reason}`)
    say(`seeded in ${(result.ms / 1000).toFixed(0)} s`)
    fs.writeFileSync(specFile, wanted)
  }
} catch (error) {
  await connection.close()
  await embedded.close()
  throw error
}
await connection.close()
process.stdout.write(`${JSON.stringify({ url: embedded.url })}\n`)
const stop = () => void embedded.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
