// `npm run demo` as a newcomer uses it: first start seeds and serves; Ctrl-C stops the web server and the
// database and frees the port; the next start finds the data and adds nothing.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ownerFile } from '@/db/embedded-lock'
import { freePort, isListening, runTs, waitForOutput, type Child } from '@/tests/helpers/processes'
import { expect, test } from './fixtures'

test.describe.configure({ timeout: 240_000 })

test('npm run demo starts, stops cleanly on Ctrl-C, and restarts without seeding twice', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'upshot-demo-'))
  const port = await freePort()
  const start = () =>
    runTs('db/demo/start.ts', ['--no-build', '--port', String(port), '--scale', '0.1'], {
      UPSHOT_DATA_DIR: dataDir,
      DATABASE_URL: '',
    })
  const stop = async (demo: Child) => {
    demo.process.kill('SIGINT')
    return demo.exited
  }
  try {
    const first = start()
    await waitForOutput(first, /Upshot is running at http:\/\/localhost:\d+/, 180_000)
    expect(first.output()).toMatch(/seeded the demo organisation in [\d.]+ s: \d+ people/)
    const health = await fetch(`http://127.0.0.1:${port}/api/health`)
    expect(health.status).toBe(200)
    expect(fs.existsSync(ownerFile(dataDir))).toBe(true)

    expect(await stop(first)).toBe(0)
    expect(first.output()).toContain('embedded database closed.')
    expect(await isListening(port)).toBe(false)
    expect(fs.existsSync(ownerFile(dataDir))).toBe(false)

    const second = start()
    await waitForOutput(second, /Upshot is running/, 180_000)
    expect(second.output()).toContain('not seeding: the database already holds an organisation (0 rows added)')
    expect(await stop(second)).toBe(0)
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
