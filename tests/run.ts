// npm test – everything, in order, ending with one summary line:
//   lint → format check (oxfmt) → npm audit of production dependencies → unit (vitest) → integration on the embedded database → integration on Postgres (when
//   TEST_DATABASE_URL is set) → one `next build` → end to end (Playwright in Chromium against `npm run demo`
//   on the embedded database, and on Postgres when TEST_DATABASE_URL is set) → `npm run db -- check` on the
//   databases the end-to-end tests wrote to (integration databases are checked as each closes).
// Exits non-zero when any step fails.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import postgres from 'postgres'
import { chromiumForThisMachine } from './helpers/chromium'
import { canarySecrets, serverLog } from './helpers/e2e-env'
import { type PlaywrightReport, playwrightFailures, type VitestReport, vitestFailures } from './helpers/test-reports'

const require = createRequire(import.meta.url)
const root = path.resolve(import.meta.dirname, '..')
const output = path.join(root, 'tests', '.output')
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name)
const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined

interface Counts {
  passed: number
  failed: number
  skipped: number
}
interface Result {
  name: string
  counts?: Counts
  ok: boolean
  note?: string
  /** each failed test, as `file › title: first line of its error`, printed again above the summary */
  failures?: string[]
  seconds?: number
}
const results: Result[] = []
function banner(title: string): void {
  console.log(`\n━━ ${title} ${'━'.repeat(Math.max(3, 72 - title.length))}`)
}

function run(command: string, args: string[], env: Record<string, string | undefined> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
    child.on('error', () => resolve(127))
  })
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T
  } catch {
    return null
  }
}

async function vitest(name: string, project: string, env: Record<string, string | undefined>): Promise<void> {
  banner(name)
  const started = Date.now()
  const report = path.join(output, `${project}-${name.replace(/\W+/g, '-')}.json`)
  fs.rmSync(report, { force: true })
  const code = await run(
    bin('vitest'),
    [
      'run',
      '-c',
      'tests/vitest.config.ts',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    env,
  )
  const json = readJson<VitestReport>(report)
  const counts = json
    ? { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests }
    : undefined
  const failures = json ? vitestFailures(json, root) : []
  results.push({
    name,
    counts,
    ok: code === 0 && !!counts && counts.failed === 0,
    failures,
    seconds: (Date.now() - started) / 1000,
  })
}

async function step(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<boolean> {
  banner(name)
  const started = Date.now()
  const ok = (await run(command, args, env)) === 0
  results.push({ name, ok, seconds: (Date.now() - started) / 1000 })
  return ok
}

/**
 * The browser the tests and the renderer will use, found (and, for the npm-packaged one, unpacked) once here,
 * before Playwright and the web servers start. Playwright's own Chromium is installed only where there is no
 * other: no system Chromium and not Linux x64 (a developer's Mac).
 */
async function ensureBrowser(): Promise<boolean> {
  const found = await chromiumForThisMachine().catch((error: unknown) => {
    console.log(`Chromium could not be prepared: ${error instanceof Error ? error.message : String(error)}`)
    return null
  })
  if (!found) return false
  if (found.executablePath) {
    console.log(
      `Chromium: ${found.executablePath} (${found.source === 'npm' ? 'from the npm package @sparticuz/chromium' : found.source})`,
    )
    return true
  }
  const { chromium } = require('playwright-core') as typeof import('playwright-core')
  if (fs.existsSync(chromium.executablePath())) return true
  console.log('No Chromium found: installing Playwright’s Chromium once (npx playwright install chromium)…')
  return (await run(bin('playwright'), ['install', 'chromium'])) === 0
}

async function e2e(): Promise<void> {
  banner('end to end (Playwright, Chromium)')
  const started = Date.now()
  if (!(await ensureBrowser())) {
    results.push({ name: 'end to end', ok: false })
    return
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'upshot-e2e-'))
  let database: { url: string; drop(): Promise<void> } | null = null
  try {
    if (testDatabaseUrl)
      database = await createDatabase(testDatabaseUrl, `upshot_e2e_${randomBytes(4).toString('hex')}`)
    const report = path.join(output, 'e2e.json')
    fs.rmSync(report, { force: true })
    for (const engine of ['embedded', 'postgres'] as const) fs.rmSync(serverLog(engine), { force: true })
    const code = await run(bin('playwright'), ['test', '-c', 'tests/playwright.config.ts'], {
      E2E_DATA_DIR: dataDir,
      E2E_DATABASE_URL: database?.url ?? '',
    })
    const json = readJson<PlaywrightReport>(report)
    const counts = json
      ? { passed: json.stats.expected + json.stats.flaky, failed: json.stats.unexpected, skipped: json.stats.skipped }
      : undefined
    results.push({
      name: 'end to end',
      counts,
      ok: code === 0 && !!counts && counts.failed === 0,
      failures: json ? playwrightFailures(json) : [],
      seconds: (Date.now() - started) / 1000,
    })
    // what every end-to-end writer left (imports, webhooks, edits, a rule change): rollups equal to the facts
    const cli = ['--import', 'tsx', 'db/cli.ts', 'check']
    await step('db check (end-to-end embedded database)', process.execPath, cli, {
      DATABASE_URL: '',
      UPSHOT_DATA_DIR: dataDir,
    })
    if (database)
      await step('db check (end-to-end Postgres database)', process.execPath, cli, { DATABASE_URL: database.url })
  } finally {
    await database?.drop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

/**
 * `npm audit --omit=dev`: a high or critical advisory in what ships fails the run. When the registry will not
 * answer the audit (this workplace's mirror refuses the bulk-advisory endpoint with 405), the step says so and
 * is not counted as passed.
 */
async function audit(): Promise<void> {
  banner('npm audit (production dependencies)')
  const child = spawn('npm', ['audit', '--omit=dev', '--json'], { cwd: root, env: process.env })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await new Promise((resolve) => child.on('exit', resolve))
  let report: { statusCode?: number; message?: string; metadata?: { vulnerabilities?: Record<string, number> } } = {}
  try {
    report = JSON.parse(output) as typeof report
  } catch {
    report = { message: output.trim().split('\n')[0] ?? 'no answer' }
  }
  const found = report.metadata?.vulnerabilities
  if (!found) {
    const reason = report.statusCode ? `the registry answered ${report.statusCode}` : (report.message ?? 'no report')
    console.log(`npm audit could not run: ${report.message ?? 'no report'}. Counted as skipped, not passed.`)
    results.push({
      name: 'npm audit',
      ok: true,
      counts: { passed: 0, failed: 0, skipped: 1 },
      note: `skipped (${reason})`,
    })
    return
  }
  const serious = (found.high ?? 0) + (found.critical ?? 0)
  const summary = Object.entries(found)
    .map(([level, count]) => `${count} ${level}`)
    .join(', ')
  console.log(`npm audit: ${summary}`)
  results.push({
    name: 'npm audit',
    ok: serious === 0,
    note: serious === 0 ? `ok (${summary})` : `FAILED (${serious} high or critical)`,
  })
}

async function createDatabase(adminUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} })
      await sql.unsafe(`drop database if exists "${name}" with (force)`)
      await sql.end()
    },
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(output, { recursive: true })
  const started = Date.now()
  await step('lint (oxlint, import boundaries)', bin('oxlint'), [])
  await step('format (oxfmt --check)', bin('oxfmt'), ['--check'])
  await audit()
  await vitest('unit', 'unit', {})
  await vitest('integration (embedded PGlite)', 'integration', { TEST_DATABASE_URL: '' })
  if (testDatabaseUrl) await vitest('integration (Postgres)', 'integration', { TEST_DATABASE_URL: testDatabaseUrl })
  else
    console.log('\nTEST_DATABASE_URL is not set: integration and end-to-end tests run on the embedded database only.')
  // the build sees the canary credentials too: the end-to-end tests grep the client files for them
  if (
    await step(
      'build (next build, once)',
      process.execPath,
      [require.resolve('next/dist/bin/next'), 'build'],
      canarySecrets,
    )
  )
    await e2e()
  else results.push({ name: 'end to end', ok: false })

  const total = results.reduce(
    (sum, result) => ({
      passed: sum.passed + (result.counts?.passed ?? 0),
      failed: sum.failed + (result.counts?.failed ?? 0),
      skipped: sum.skipped + (result.counts?.skipped ?? 0),
    }),
    { passed: 0, failed: 0, skipped: 0 },
  )
  const failedSteps = results.filter((result) => !result.ok).map((result) => result.name)
  const parts = results.map((result) => {
    const took = result.seconds === undefined ? '' : ` (${Math.round(result.seconds)} s)`
    return result.note
      ? `${result.name} ${result.note}${took}`
      : result.counts
        ? `${result.name} ${result.counts.passed}/${result.counts.passed + result.counts.failed}${took}`
        : `${result.name} ${result.ok ? 'ok' : 'FAILED'}${took}`
  })
  const failures = results.flatMap((result) => (result.failures ?? []).map((failure) => `  ${result.name}: ${failure}`))
  if (failures.length > 0) console.log(`\nFailed tests:\n${failures.join('\n')}`)
  console.log(`\n${parts.join(' · ')}`)
  const verdict = failedSteps.length === 0 ? 'all green' : `FAILED: ${failedSteps.join(', ')}`
  console.log(
    `Summary: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped in ${Math.round((Date.now() - started) / 1000)} s – ${verdict}`,
  )
  process.exit(failedSteps.length === 0 ? 0 : 1)
}

await main()
