// Serves one PGlite instance over the Postgres wire protocol to many client connections.
//
// PGlite is a single backend session. @electric-sql/pglite-socket multiplexes connections onto it one
// *message* at a time and pins a connection only while an SQL transaction is open, so two connections'
// Parse/Bind/Execute/Sync batches interleave and clobber each other's unnamed statement and portal: bind
// errors, or silently wrong rows (electric-sql/pglite#1046, #977, open as of 0.2.17). postgres-js pools
// several connections, so the web server hits this on its first page with parallel queries.
//
// This server schedules whole *units* instead: every message up to a Sync, Flush, simple Query or the end
// of a COPY runs inside one PGlite exclusive section. A connection keeps the session between units while
// it is inside an extended-protocol sequence (its last unit ended in Flush) or an SQL transaction, so no
// other connection's unit can run in the middle of it.
import net from 'node:net'
import type { PGlite } from '@electric-sql/pglite'

const SSL_REQUEST = 80877103
const GSSENC_REQUEST = 80877104
const CANCEL_REQUEST = 80877102

/** Message types after which the client waits for the server's answer. */
const UNIT_ENDS = new Set(['S', 'Q', 'H', 'c', 'f'])

export interface WireServer {
  readonly host: string
  readonly port: number
  close(): Promise<void>
}

export interface WireServerOptions {
  db: PGlite
  host?: string
  port?: number
  maxConnections?: number
  onError?: (error: unknown) => void
}

interface Connection {
  readonly id: number
  readonly socket: net.Socket
  buffer: Buffer
  started: boolean
  closed: boolean
  unit: Uint8Array[]
  /** Named prepared statements this connection created: they live in the shared session, so they are dropped when it goes. */
  readonly statements: Set<string>
}

interface Unit {
  conn: Connection
  messages: Uint8Array[]
  last: string
  /** Housekeeping after the connection went away (see `drop`); output is discarded. */
  cleanup?: boolean
}

export async function serveOverWire(options: WireServerOptions): Promise<WireServer> {
  const { db, host = '127.0.0.1', port = 0, maxConnections = 64 } = options
  const report = options.onError ?? ((error: unknown) => console.error('[embedded-db]', error))
  const connections = new Set<Connection>()
  const queue: Unit[] = []
  let owner: Connection | null = null
  let running: Promise<void> | null = null
  let closing = false
  let nextId = 1

  await db.waitReady

  function pump(): void {
    if (closing || running || queue.length === 0) return
    const index = owner ? queue.findIndex((unit) => unit.conn === owner) : 0
    if (index < 0) return
    const [unit] = queue.splice(index, 1)
    if (!unit) return
    running = execute(unit).finally(() => {
      running = null
      pump()
    })
  }

  async function execute(unit: Unit): Promise<void> {
    const { conn } = unit
    // PGlite hands out views into its WebAssembly memory and reuses it for the next chunk, while a socket
    // may queue a write: copy first, or a large result is sent half overwritten.
    const send = (chunk: Uint8Array) => {
      if (!unit.cleanup && !conn.closed && conn.socket.writable) conn.socket.write(Buffer.from(chunk))
    }
    try {
      await db.runExclusive(async () => {
        for (const message of unit.messages) await db.execProtocolRawStream(message, { onRawData: send })
        if (unit.cleanup) await resetSession(conn)
      })
      const holdsSession = !conn.closed && (unit.last === 'H' || db.isInTransaction())
      if (holdsSession) owner = conn
      else if (owner === conn) owner = null
    } catch (error) {
      report(error)
      if (owner === conn) owner = null
      conn.socket.destroy()
    }
  }

  /** Leaves the shared session as a fresh connection would find it (runs inside the exclusive section). */
  async function resetSession(conn: Connection): Promise<void> {
    const discard = { onRawData: () => {} }
    await db.execProtocolRawStream(syncMessage(), discard) // ends a half-done extended-protocol sequence
    const sql = [...conn.statements].map((name) => `DEALLOCATE ${quoteIdent(name)};`)
    if (db.isInTransaction()) sql.unshift('ROLLBACK;')
    if (sql.length > 0) await db.execProtocolRawStream(queryMessage(sql.join(' ')), discard)
  }

  function enqueue(conn: Connection, messages: Uint8Array[], last: string): void {
    queue.push({ conn, messages, last })
    pump()
  }

  function drop(conn: Connection): void {
    if (conn.closed) return
    conn.closed = true
    connections.delete(conn)
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]?.conn === conn) queue.splice(i, 1)
    // Queued even when the connection looks idle: a unit of its may still be running and open a transaction.
    // At the front, so an owner's cleanup runs before anyone else's unit.
    if (conn.started) queue.unshift({ conn, messages: [], last: 'cleanup', cleanup: true })
    pump()
  }

  function onData(conn: Connection, data: Buffer): void {
    conn.buffer = conn.buffer.length === 0 ? data : Buffer.concat([conn.buffer, data])
    while (!conn.closed) {
      const buffer = conn.buffer
      if (!conn.started) {
        if (buffer.length < 8) return
        const length = buffer.readInt32BE(0)
        const code = buffer.readInt32BE(4)
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          conn.socket.write('N') // no TLS on a loopback socket
          conn.buffer = buffer.subarray(8)
          continue
        }
        if (code === CANCEL_REQUEST) {
          conn.socket.end() // cancelling a running statement is not supported by PGlite
          return
        }
        if (buffer.length < length) return
        conn.started = true
        conn.buffer = buffer.subarray(length)
        enqueue(conn, [new Uint8Array(buffer.subarray(0, length))], 'startup')
        continue
      }
      if (buffer.length < 5) return
      const type = String.fromCharCode(buffer[0] ?? 0)
      const total = 1 + buffer.readInt32BE(1)
      if (buffer.length < total) return
      const message = new Uint8Array(buffer.subarray(0, total))
      conn.buffer = buffer.subarray(total)
      if (type === 'X') {
        conn.socket.end()
        drop(conn)
        return
      }
      trackStatements(conn, type, message)
      conn.unit.push(message)
      if (UNIT_ENDS.has(type)) {
        enqueue(conn, conn.unit, type)
        conn.unit = []
      }
    }
  }

  const server = net.createServer((socket) => {
    if (connections.size >= maxConnections) {
      socket.end(errorResponse('53300', `too many connections to the embedded database (limit ${maxConnections})`))
      return
    }
    socket.setNoDelay(true)
    const conn: Connection = {
      id: nextId++,
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      closed: false,
      unit: [],
      statements: new Set(),
    }
    connections.add(conn)
    socket.on('data', (data) => onData(conn, data))
    socket.on('error', () => drop(conn))
    socket.on('close', () => drop(conn))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('embedded database: no TCP address')

  return {
    host,
    port: address.port,
    async close() {
      // Nothing new starts once closing: sockets closing now would otherwise queue cleanups for a PGlite
      // that is about to be closed.
      closing = true
      queue.length = 0
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const conn of connections) conn.socket.destroy()
      await running
      await closed
    },
  }
}

function trackStatements(conn: Connection, type: string, message: Uint8Array): void {
  if (type === 'P') {
    const name = readCString(message, 5)
    if (name) conn.statements.add(name)
  } else if (type === 'C' && message[5] === 'S'.charCodeAt(0)) {
    conn.statements.delete(readCString(message, 6))
  }
}

function readCString(bytes: Uint8Array, offset: number): string {
  const end = bytes.indexOf(0, offset)
  return Buffer.from(bytes.subarray(offset, end < 0 ? bytes.length : end)).toString('utf8')
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

function syncMessage(): Uint8Array {
  return new Uint8Array([0x53, 0, 0, 0, 4])
}

function queryMessage(sql: string): Uint8Array {
  const body = Buffer.from(`${sql}\0`, 'utf8')
  const header = Buffer.alloc(5)
  header.write('Q', 0)
  header.writeInt32BE(4 + body.length, 1)
  return new Uint8Array(Buffer.concat([header, body]))
}

/** A protocol ErrorResponse, for refusing a connection before it reaches PGlite. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0C${code}\0M${message}\0\0`, 'utf8')
  const header = Buffer.alloc(5)
  header.write('E', 0)
  header.writeInt32BE(4 + fields.length, 1)
  return Buffer.concat([header, fields])
}
