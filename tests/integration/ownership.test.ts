// One owner per embedded data directory: a second process is refused before it opens anything.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterEach, describe, expect, it } from 'vitest'
import { acquireOwnership, ownerFile, readLiveOwner } from '@/db/embedded-lock'
import { UpshotError } from '@/lib/errors'
import { engine } from '@/tests/helpers/database'
import { freePort, runTs, waitForOutput, type Child } from '@/tests/helpers/processes'

const temporaryDirs: string[] = []
const children: Child[] = []
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upshot-owner-'))
  temporaryDirs.push(dir)
  return dir
}
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null) {
      child.process.kill('SIGTERM')
      await child.exited
    }
  }
  for (const dir of temporaryDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(engine !== 'embedded')('embedded data directory ownership', () => {
  it('refuses a second owner in the same process, and allows one after release', () => {
    const dir = tempDir()
    const first = acquireOwnership(dir, 'first')
    expect(() => acquireOwnership(dir, 'second')).toThrow(UpshotError)
    expect(() => acquireOwnership(dir, 'second')).toThrow(new RegExp(`owned by process ${process.pid} \\(first`))
    first.release()
    expect(fs.existsSync(ownerFile(dir))).toBe(false)
    acquireOwnership(dir, 'third').release()
  })

  it('takes over the record of an owner that died', () => {
    const dir = tempDir()
    const dead = {
      pid: 2_147_483_000,
      processStart: null,
      hostname: os.hostname(),
      command: 'crashed',
      startedAt: '2026-01-01T00:00:00Z',
      host: '127.0.0.1',
      port: 1,
    }
    fs.writeFileSync(ownerFile(dir), JSON.stringify(dead, null, 2))
    expect(readLiveOwner(dir)).toBeNull()
    const ownership = acquireOwnership(dir, 'after a crash')
    expect(ownership.record.pid).toBe(process.pid)
    ownership.release()
  })

  it('refuses `npm run demo` on a directory another process owns, with a message that says what to do, and changes no data', async () => {
    const dir = tempDir()
    const owner = runTs('tests/helpers/embedded-owner.ts', [dir])
    children.push(owner)
    const [line] = await waitForOutput(owner, /\{"url".*\}/)
    const { url, pid } = JSON.parse(line) as { url: string; pid: number }
    const sql = postgres(url, { max: 1, onnotice: () => {} })
    await sql`insert into teams (slug, name) values ('owners-team', 'Owners')`
    const before = await sql`select id, slug, name from teams order by id`
    const recordBefore = fs.readFileSync(ownerFile(dir), 'utf8')

    const second = runTs('db/demo/start.ts', ['--no-build', '--port', String(await freePort())], {
      UPSHOT_DATA_DIR: dir,
      DATABASE_URL: '',
    })
    children.push(second)
    expect(await second.exited).toBe(1)
    expect(second.output()).toContain(`already owned by process ${pid}`)
    expect(second.output()).toContain('UPSHOT_DATA_DIR')
    expect(second.output()).not.toContain('seeded') // it stopped before touching the database

    expect(await sql`select id, slug, name from teams order by id`).toEqual(before)
    expect(fs.readFileSync(ownerFile(dir), 'utf8')).toBe(recordBefore)
    await sql.end()

    owner.process.kill('SIGTERM')
    expect(await owner.exited).toBe(0)
    expect(fs.existsSync(ownerFile(dir))).toBe(false)

    // The data outlives its owner: a new owner finds the row.
    const next = runTs('tests/helpers/embedded-owner.ts', [dir])
    children.push(next)
    const [nextLine] = await waitForOutput(next, /\{"url".*\}/)
    const reopened = postgres((JSON.parse(nextLine) as { url: string }).url, { max: 1, onnotice: () => {} })
    expect(await reopened`select id, slug, name from teams order by id`).toEqual(before)
    await reopened.end()
  })
})
