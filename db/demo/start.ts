// npm run demo – the dashboard on a demo organisation in one command: owns the embedded database (unless
// DATABASE_URL is set), migrates, seeds if empty, builds the app if needed, serves it, and on Ctrl-C stops
// the web server and closes the database before exiting.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { createRequire } from 'node:module'
import { Command, InvalidArgumentError } from 'commander'
import { env } from '@/lib/env'
import { isUpshotError } from '@/lib/errors'
import { connect } from '@/db/client'
import { startEmbedded, type EmbeddedDatabase } from '@/db/embedded'
import { migrateDatabase } from '@/db/migrate'
import { seedDemo } from './seed'
import { accessMode, LOOPBACK_HOSTS } from '@/lib/auth/startup.mjs'

const require = createRequire(import.meta.url)
const nextBin = require.resolve('next/dist/bin/next')
const root = process.cwd()
const say = (message: string) => console.log(`[demo] ${message}`)

const program = new Command('npm run demo')
  .description('Serve the Upshot dashboard on a demo organisation.')
  .option('--port <port>', 'port to serve on', integer, Number(process.env.PORT ?? 3000))
  .option(
    '--host <host>',
    'interface to bind (without DATABASE_URL the demo has no sign-in and binds only loopback)',
    '127.0.0.1',
  )
  .option('--scale <factor>', 'organisation size: 1 ≈ 250 engineers', Number, 1)
  .option('--seed <n>', 'random seed of the demo organisation', integer, 42)
  .option('--end <date>', 'first day after the demo data (YYYY-MM-DD); default: this week’s Monday')
  .option('--no-build', 'never run next build (fail if there is no build)')

function integer(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed)) throw new InvalidArgumentError('not an integer')
  return parsed
}

async function main(): Promise<void> {
  const options = program
    .parse()
    .opts<{ port: number; host: string; scale: number; seed: number; end?: string; build: boolean }>()
  const config = env()
  // the same rule the web server applies when it starts: say it now, before seeding
  try {
    const access = accessMode(process.env)
    if (access.mode === 'demo' && !LOOPBACK_HOSTS.includes(options.host)) {
      throw new Error(
        `The demo has no sign-in, so it serves only this machine: --host must be 127.0.0.1, ::1 or localhost, not ${options.host}. To serve others, use Postgres (DATABASE_URL) with sign-in.`,
      )
    }
    if (access.mode === 'open') say(`⚠ ${access.warning}`)
  } catch (error) {
    console.error(`[demo] ${describe(error)}`)
    process.exit(1)
  }
  await assertPortFree(options.host, options.port)

  let embedded: EmbeddedDatabase | null = null
  let builder: ChildProcess | null = null
  let server: ChildProcess | null = null
  let stopping: Promise<void> | null = null
  const stop = (code: number) => {
    stopping ??= (async () => {
      if (builder && builder.exitCode === null) await terminate(builder)
      if (server && server.exitCode === null) {
        say('stopping the web server…')
        await terminate(server)
      }
      if (embedded) {
        await embedded.close()
        say('embedded database closed.')
      }
      process.exit(code)
    })()
    return stopping
  }
  process.on('SIGINT', () => void stop(0))
  process.on('SIGTERM', () => void stop(0))

  try {
    let url = config.DATABASE_URL
    if (url) {
      say('using the Postgres server in DATABASE_URL')
    } else {
      embedded = await startEmbedded({ dataDir: config.UPSHOT_DATA_DIR, command: 'npm run demo' })
      url = embedded.url
      say(
        `embedded database in ${path.relative(root, path.resolve(config.UPSHOT_DATA_DIR)) || '.'}/ (this process owns it)`,
      )
    }
    const connection = connect(url, { max: 4 })
    try {
      await migrateDatabase(connection.sql)
      const result = await seedDemo(
        connection.db,
        { seed: options.seed, scale: options.scale, ...(options.end ? { end: options.end } : {}) },
        (progress) => say(`seeding: ${progress}`),
      )
      if (result.seeded) {
        say(
          `seeded the demo organisation in ${(result.ms / 1000).toFixed(1)} s: ${result.counts.people} people, ` +
            `${result.counts.pullRequests.toLocaleString('en')} pull requests, ${result.counts.deployments.toLocaleString('en')} deployments, ` +
            `${result.counts.incidents} incidents, ${result.counts.portalEvents.toLocaleString('en')} portal events`,
        )
      } else {
        say(`not seeding: ${result.reason} (0 rows added)`)
      }
    } finally {
      await connection.close()
    }

    if (buildIsStale()) {
      if (!options.build)
        throw new Error('There is no up-to-date build and --no-build was given: run `npm run build` first.')
      say('building the web app (first run, or the code changed)…')
      builder = spawn(process.execPath, [nextBin, 'build'], {
        stdio: 'inherit',
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      })
      await succeeded(builder, 'next build')
    }

    // UPSHOT_LOG_FILE: the web server's output also goes to this file (the end-to-end tests read it)
    const logFile = process.env.UPSHOT_LOG_FILE
      ? fs.createWriteStream(process.env.UPSHOT_LOG_FILE, { flags: 'a' })
      : null
    server = spawn(process.execPath, [nextBin, 'start', '--port', String(options.port), '--hostname', options.host], {
      stdio: ['ignore', logFile ? 'pipe' : 'inherit', logFile ? 'pipe' : 'inherit'],
      // The web server finds the embedded database through the owner record in this directory.
      // PORT: where the server reaches itself (the one-pager's renderer)
      // UPSHOT_DEMO_SERVER: this server binds loopback (checked above), so next.config.js lets the demo, which has no sign-in, start
      env: {
        ...process.env,
        PORT: String(options.port),
        UPSHOT_DATA_DIR: path.resolve(config.UPSHOT_DATA_DIR),
        NEXT_TELEMETRY_DISABLED: '1',
        UPSHOT_DEMO_SERVER: 'loopback',
      },
    })
    if (logFile) {
      server.stdout?.on('data', (chunk: Buffer) => void (process.stdout.write(chunk), logFile.write(chunk)))
      server.stderr?.on('data', (chunk: Buffer) => void (process.stderr.write(chunk), logFile.write(chunk)))
    }
    server.on('exit', (code, signal) => {
      if (stopping) return
      say(`the web server stopped (${signal ?? `exit code ${code}`})`)
      void stop(code ?? 1)
    })
    await waitForHealth(`http://${options.host}:${options.port}/api/health`, server)
    const shown = options.host === '127.0.0.1' ? 'localhost' : options.host
    say(`Upshot is running at http://${shown}:${options.port} – Ctrl-C stops it.`)
  } catch (error) {
    console.error(`[demo] ${describe(error)}`)
    await stop(1)
  }
}

function describe(error: unknown): string {
  if (isUpshotError(error)) return error.hint ? `${error.message}\n       ${error.hint}` : error.message
  return error instanceof Error ? error.message : String(error)
}

async function assertPortFree(host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} on ${host} is in use. Stop whatever holds it, or choose another: PORT=${port + 1} npm run demo`
            : `Cannot listen on ${host}:${port}: ${error.message}`,
        ),
      ),
    )
    probe.listen(port, host, () => probe.close(() => resolve()))
  })
}

/** True when there is no production build, or a source file changed after it was made. */
function buildIsStale(): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID')
  if (!fs.existsSync(buildId)) return true
  const builtAt = fs.statSync(buildId).mtimeMs
  const sources = [
    'app',
    'lib',
    'db',
    'public',
    'collectors',
    'next.config.js',
    'proxy.ts',
    'package-lock.json',
    'tsconfig.json',
  ]
  return sources.some((source) => newestChange(path.join(root, source)) > builtAt)
}

function newestChange(file: string): number {
  if (!fs.existsSync(file)) return 0
  const stat = fs.statSync(file)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of fs.readdirSync(file)) newest = Math.max(newest, newestChange(path.join(file, entry)))
  return newest
}

function succeeded(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed (exit code ${code})`))))
    child.on('error', reject)
  })
}

async function waitForHealth(url: string, server: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error('the web server exited while starting')
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`the web server did not answer ${url} within ${timeoutMs / 1000} s`)
}

async function terminate(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

await main()
