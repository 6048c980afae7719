// npm run collect -- <github|gitlab|pagerduty|opsgenie|backstage|all>   one run of each named source, with progress
// npm run collect -- import <kind> <file> [--dry-run]             a CSV import (kinds: roster, survey, …)
// npm run collect -- schedule                                      the scheduler and workers (pg-boss), until stopped
// npm run collect -- token create <name> | token list | token revoke <id>
// npm run collect -- status                                        the latest runs of every source
// Exit status: 0 success, 2 partial, 1 failed (or refused).
import fs from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import { listSyncRuns } from '@/db/queries/sync'
import { createApiToken, listApiTokens, revokeApiToken, TOKEN_SCOPES } from '@/db/queries/tokens'
import { openDatabase } from '@/db/open'
import { describeError, isUpshotError, UpshotError } from '@/lib/errors'
import { incidentLinkingHours, loadSources, sourcesPath } from './config'
import { describePending, formatProblem, importCsv } from './csv/import'
import { importKinds, type ImportKind } from './csv/kinds'
import { startScheduler } from './schedule'
import { configuredSources, runSource, sourceNames, type SourceName } from './sources'
import type { RunSummary } from './sync-run'

const program = new Command('collect').description(
  'Upshot collectors: pull data from the configured sources into the database.',
)

const elapsed = (start: number) => `${((Date.now() - start) / 1000).toFixed(1).padStart(6)} s`
const exitCode = (status: string) => (status === 'success' ? 0 : status === 'partial' ? 2 : 1)

function describeRun({ run, failures }: RunSummary): string {
  const seconds = run.finishedAt ? ((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1) : '?'
  const lines = [
    `${run.source} · ${run.scope}: ${run.status} in ${seconds} s — ${run.created} created, ${run.updated} updated, ${run.skipped} unchanged, ${run.failed} failed`,
  ]
  if (run.error) lines.push(`  ${run.error}`)
  for (const failure of failures.slice(0, 20)) lines.push(`  failed: ${failure.item}: ${failure.error}`)
  return lines.join('\n')
}

program
  .command('run [sources...]', { isDefault: true })
  .description(`collect from sources (${sourceNames.join(', ')}, or all configured)`)
  .action(async (names: string[]) => {
    const sources = loadSources()
    const wanted: SourceName[] =
      names.length === 0 || names.includes('all') ? configuredSources(sources) : (names as SourceName[])
    for (const name of wanted) {
      if (!(sourceNames as readonly string[]).includes(name))
        throw new UpshotError('bad_request', `Unknown source "${name}": use ${sourceNames.join(', ')} or all.`)
    }
    if (wanted.length === 0) throw new UpshotError('config', `The sources file ${sourcesPath()} configures no source.`)
    const database = await openDatabase({ command: 'npm run collect' })
    const controller = new AbortController()
    const stop = () => {
      console.error('\nstopping after the page in hand (the next run resumes there)…')
      controller.abort('interrupted')
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    let worst = 0
    try {
      for (const name of wanted) {
        const start = Date.now()
        console.log(`${name}: collecting into ${database.describe}`)
        const { summary, github } = await runSource(database.connection.db, name, {
          sources,
          signal: controller.signal,
          onProgress: (message) => console.log(`${elapsed(start)}  ${message}`),
        })
        console.log(describeRun(summary))
        if (github)
          console.log(
            `  GitHub: ${github.requests} requests, ${github.pointsSpent} rate-limit points, ${github.notModified} answered 304 (free), ${github.retries} retries`,
          )
        worst = Math.max(worst, exitCode(summary.run.status) === 1 ? 3 : exitCode(summary.run.status))
        if (controller.signal.aborted) break
      }
    } finally {
      await database.close()
    }
    process.exitCode = worst === 3 ? 1 : worst
  })

program
  .command('import <kind> <file>')
  .description(`import a CSV file (${importKinds.join(', ')}); all rows or none`)
  .option('--dry-run', 'check every row and report what would change, writing nothing')
  .action(async (kind: string, file: string, options: { dryRun?: boolean }) => {
    if (!(importKinds as readonly string[]).includes(kind))
      throw new UpshotError('bad_request', `Unknown import kind "${kind}": use ${importKinds.join(', ')}.`)
    let bytes: Buffer
    try {
      bytes = fs.readFileSync(file)
    } catch (error) {
      throw new UpshotError(
        'bad_request',
        `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`,
      )
    }
    const database = await openDatabase({ command: 'npm run collect -- import' })
    try {
      const withinHours = incidentLinkingHours()
      const report = await importCsv(database.connection.db, {
        kind: kind as ImportKind,
        file: path.basename(file),
        bytes,
        dryRun: !!options.dryRun,
        linkIncidentsWithinHours: withinHours,
      })
      for (const problem of report.problems.slice(0, 200)) console.log(formatProblem(file, problem))
      if (report.problems.length > 200) console.log(`… and ${report.problems.length - 200} more problems`)
      const verb = report.dryRun ? 'would insert' : 'inserted'
      const outcome = report.problems.length
        ? `nothing ${report.dryRun ? 'would be' : 'was'} imported: ${report.rejected} of ${report.rows} rows rejected`
        : `${verb} ${report.inserted}, ${report.dryRun ? 'would update' : 'updated'} ${report.updated}, unchanged ${report.unchanged}, rejected 0`
      console.log(`${file} (${kind}, ${report.rows} rows): ${outcome}`)
      const pending = describePending(report)
      if (pending) console.log(pending)
      process.exitCode = report.problems.length ? 1 : 0
    } finally {
      await database.close()
    }
  })

program
  .command('schedule')
  .description('run the scheduler and the collector workers on a job queue in Postgres (pg-boss) until stopped')
  .action(async () => {
    const database = await openDatabase({ command: 'npm run collect -- schedule' })
    const scheduler = await startScheduler({
      url: database.connection.url,
      db: database.connection.db,
      sources: loadSources(),
      log: (message) => console.log(`${new Date().toISOString()}  ${message}`),
    })
    console.log(
      `scheduling ${scheduler.jobs.map((job) => `${job.name} (${job.cron})`).join(', ')} on ${database.describe}; Ctrl-C stops`,
    )
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    await scheduler.stop()
    await database.close()
  })

const token = program
  .command('token')
  .description('API tokens for machines (the portal-events forwarder; npm run report with sign-in on)')
token
  .command('create <name>')
  .option('--scope <scope...>', `what the token may do: ${TOKEN_SCOPES.join(', ')}`, ['portal-events'])
  .action(async (name: string, options: { scope: string[] }) => {
    const database = await openDatabase({ command: 'npm run collect -- token' })
    try {
      const created = await createApiToken(database.connection.db, { name, scopes: options.scope })
      console.log(
        `token ${created.id} (${name}, ${options.scope.join(', ')}) — shown once, store it now:\n${created.token}`,
      )
    } finally {
      await database.close()
    }
  })
token.command('list').action(async () => {
  const database = await openDatabase({ command: 'npm run collect -- token' })
  try {
    for (const t of await listApiTokens(database.connection.db))
      console.log(
        `${String(t.id).padStart(4)}  ${t.name}  [${t.scopes.join(', ')}]  created ${t.createdAt}  last used ${t.lastUsedAt ?? 'never'}${t.revokedAt ? `  revoked ${t.revokedAt}` : ''}`,
      )
  } finally {
    await database.close()
  }
})
token.command('revoke <id>').action(async (id: string) => {
  const database = await openDatabase({ command: 'npm run collect -- token' })
  try {
    console.log(
      (await revokeApiToken(database.connection.db, { id: Number(id) }))
        ? `token ${id} revoked`
        : `no active token ${id}`,
    )
  } finally {
    await database.close()
  }
})

program
  .command('status')
  .description('the latest runs of every source')
  .action(async () => {
    const database = await openDatabase({ command: 'npm run collect -- status' })
    try {
      for (const run of await listSyncRuns(database.connection.db, { limit: 30 })) {
        console.log(
          `${run.startedAt.toISOString()}  ${run.source.padEnd(16)} ${run.scope.padEnd(24)} ${run.status.padEnd(8)} +${run.created} ~${run.updated} =${run.skipped} !${run.failed}${run.error ? `  ${run.error}` : ''}`,
        )
      }
    } finally {
      await database.close()
    }
  })

program.parseAsync().catch((error: unknown) => {
  console.error(isUpshotError(error) && error.hint ? `${error.message}\n${error.hint}` : describeError(error))
  process.exit(1)
})
