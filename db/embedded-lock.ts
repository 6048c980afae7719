// Ownership of the embedded data directory. Two processes that open the same PGlite directory both write
// to it and silently lose rows and reuse primary keys (measured), so exactly one process owns it and serves
// it to the others over a loopback port. The owner record is created with O_EXCL *before* PGlite opens the
// directory, names the owner, and tells other processes where to connect.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import { UpshotError } from '@/lib/errors'

const ownerRecordSchema = z.object({
  pid: z.number().int().positive(),
  /** Kernel start time of the owner process (Linux), so a recycled pid is not mistaken for the owner. */
  processStart: z.string().nullable(),
  hostname: z.string(),
  command: z.string(),
  startedAt: z.string(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
})

export type OwnerRecord = z.infer<typeof ownerRecordSchema>

export interface Ownership {
  readonly record: OwnerRecord
  /** Tells other processes where the database is served. */
  publish(address: { host: string; port: number }): void
  release(): void
}

const OWNER_FILE = 'owner.json'

export function ownerFile(dataDir: string): string {
  return path.join(dataDir, OWNER_FILE)
}

/**
 * Becomes the owner of `dataDir`, or throws a conflict naming the live owner. A record left behind by a
 * process that died is taken over.
 */
export function acquireOwnership(dataDir: string, command: string): Ownership {
  fs.mkdirSync(dataDir, { recursive: true })
  const file = ownerFile(dataDir)
  const record: OwnerRecord = {
    pid: process.pid,
    processStart: processStartTime(process.pid),
    hostname: os.hostname(),
    command,
    startedAt: new Date().toISOString(),
    host: null,
    port: null,
  }
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(record, null, 2), { flag: 'wx' })
      return ownership(file, record)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const raw = safeRead(file)
    const existing = raw === null ? null : parseRecord(raw)
    if (existing && isAlive(existing)) throw ownedElsewhere(dataDir, existing)
    // An unreadable record younger than a few seconds may be one being written right now: wait for it.
    if (raw !== null && existing === null && Date.now() - mtime(file) < 5_000) {
      sleepSync(200)
      continue
    }
    // The previous owner is gone. Remove its record only if it is still the one we judged stale, then race
    // for the O_EXCL create again; a process that wins in between is seen as live on the next attempt.
    if (raw !== null && safeRead(file) === raw) fs.rmSync(file, { force: true })
  }
  throw new UpshotError('conflict', `Could not take ownership of the embedded database in ${dataDir}.`, {
    hint: 'Another process keeps claiming it; stop other Upshot processes and try again.',
  })
}

/** Where a process that owns an embedded database serves it. */
export function embeddedUrl(host: string, port: number): string {
  return `postgres://postgres@${host}:${port}/postgres`
}

/** The live owner of `dataDir`, if any. */
export function readLiveOwner(dataDir: string): OwnerRecord | null {
  const record = readRecord(ownerFile(dataDir))
  return record && isAlive(record) ? record : null
}

function ownership(file: string, record: OwnerRecord): Ownership {
  let current = record
  return {
    get record() {
      return current
    },
    publish({ host, port }) {
      current = { ...current, host, port }
      // Replace atomically so a reader never sees a half-written record.
      const temporary = `${file}.${process.pid}.tmp`
      fs.writeFileSync(temporary, JSON.stringify(current, null, 2))
      fs.renameSync(temporary, file)
    },
    release() {
      const onDisk = readRecord(file)
      if (onDisk?.pid === current.pid && onDisk.startedAt === current.startedAt) fs.rmSync(file, { force: true })
    },
  }
}

function ownedElsewhere(dataDir: string, owner: OwnerRecord): UpshotError {
  const where = owner.port ? ` and serves it on ${owner.host}:${owner.port}` : ''
  return new UpshotError(
    'conflict',
    `The embedded database in ${path.resolve(dataDir)} is already owned by process ${owner.pid} ` +
      `(${owner.command}, started ${owner.startedAt})${where}. A second process must not open it: two ` +
      `owners of one data directory lose rows.`,
    {
      hint:
        'Stop that process first (Ctrl-C in its terminal), or use a different directory with UPSHOT_DATA_DIR, ' +
        'or point DATABASE_URL at a Postgres server. Commands such as `npm run collect` connect to the running ' +
        'owner by themselves.',
    },
  )
}

function isAlive(record: OwnerRecord): boolean {
  if (record.hostname !== os.hostname()) return true // another machine's process: we cannot tell, so respect it
  try {
    process.kill(record.pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
  }
  const start = processStartTime(record.pid)
  return record.processStart === null || start === null || start === record.processStart
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. Null off Linux. */
function processStartTime(pid: number): string | null {
  const stat = safeRead(`/proc/${pid}/stat`)
  if (stat === null) return null
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return fields[19] ?? null
}

function readRecord(file: string): OwnerRecord | null {
  const raw = safeRead(file)
  return raw === null ? null : parseRecord(raw)
}

function parseRecord(raw: string): OwnerRecord | null {
  try {
    const parsed = ownerRecordSchema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs
  } catch {
    return 0
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function safeRead(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return null
  }
}
