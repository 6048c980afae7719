// Importing a CSV file: read and check every row (a dry run stops here and reports, with what the import
// would insert and update, computed by doing it in a transaction that is rolled back), then write all rows
// in one transaction — or none, when any row has a problem. Every import is recorded as a sync run.
import type { Database } from '@/db/client'
import { findReferences } from '@/db/queries/imports'
import { toIsoDate } from '@/lib/dates'
import { env } from '@/lib/env'
import { UpshotError } from '@/lib/errors'
import { printable, timeBounds, timeProblem, type TimeBounds } from '@/collectors/plausible'
import { runSync } from '@/collectors/sync-run'
import { kindSpecs, type ImportKind, type PendingReferences } from './kinds'
import { readCsv, type Problem } from './read'

export interface ImportReport {
  kind: ImportKind
  file: string
  dryRun: boolean
  rows: number
  inserted: number
  updated: number
  unchanged: number
  /** Rows with at least one problem (nothing is written when there are any). */
  rejected: number
  problems: Problem[]
  /**
   * References the file makes to rows not imported yet (an incident's caused_by_deployment naming no known
   * deployment): kept, and linked when the other side arrives. Absent when nothing was (or would be) written.
   */
  pendingReferences?: PendingReferences
  /** The sync run that recorded it (not for dry runs). */
  runId?: number
}

class DryRun extends Error {}

export async function importCsv(
  db: Database,
  {
    kind,
    file,
    bytes,
    dryRun,
    today = toIsoDate(new Date()),
    earliestDay = env().UPSHOT_EARLIEST_DATE,
    linkIncidentsWithinHours = 2,
  }: {
    kind: ImportKind
    file: string
    bytes: Uint8Array
    dryRun: boolean
    /** Today (YYYY-MM-DD, UTC): team moves without a date happen on it, and times after tomorrow are refused. */
    today?: string
    /** Dates before this day (YYYY-MM-DD) are refused. */
    earliestDay?: string
    linkIncidentsWithinHours?: number | null
  },
): Promise<ImportReport> {
  const spec = kindSpecs[kind]
  const bounds = timeBounds({ today, earliestDay })
  const read = readCsv(bytes, {
    required: spec.columns.filter((c) => c.required).map((c) => c.name),
    known: spec.columns.map((c) => c.name),
  })
  const problems: Problem[] = [...read.problems]
  const rows: { line: number; row: never }[] = []
  const firstLineOfKey = new Map<string, number>()
  for (const record of read.records) {
    if (record.badText) continue
    const cells = Object.fromEntries(Object.entries(record.values).filter(([, value]) => value !== ''))
    const parsed = spec.row.safeParse(cells)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? '')
        const value = cells[column]
        problems.push({
          line: record.line,
          column: column || undefined,
          message:
            value === undefined
              ? issue.code === 'invalid_type'
                ? 'is required'
                : issue.message
              : `"${printable(value.slice(0, 60))}" ${issue.message}`,
        })
      }
      continue
    }
    const timeProblems = implausibleTimes(spec.columns, cells, bounds)
    if (timeProblems.length) {
      problems.push(...timeProblems.map((problem) => ({ line: record.line, ...problem })))
      continue
    }
    const key = spec.key(parsed.data)
    const earlier = firstLineOfKey.get(key)
    if (earlier !== undefined) {
      problems.push({
        line: record.line,
        message: `the same ${spec.keyLabel} as line ${earlier} (each may appear once)`,
      })
      continue
    }
    firstLineOfKey.set(key, record.line)
    rows.push({ line: record.line, row: parsed.data })
  }
  problems.push(...(await checkReferences(db, spec, rows)))
  if (spec.check) problems.push(...(await spec.check(db, rows)))
  problems.sort((a, b) => a.line - b.line)
  const report: ImportReport = {
    kind,
    file,
    dryRun,
    rows: read.records.length,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: new Set(problems.map((p) => p.line)).size,
    problems,
  }

  const write = async (tx: Parameters<Parameters<Database['transaction']>[0]>[0]) =>
    spec.write(
      rows.map((r) => r.row),
      { tx, today, linkIncidentsWithinHours },
    )
  if (dryRun) {
    if (problems.length === 0 && rows.length > 0) {
      await db
        .transaction(async (tx) => {
          const written = await write(tx)
          Object.assign(
            report,
            {
              inserted: written.inserted,
              updated: written.updated,
              unchanged: rows.length - written.inserted - written.updated,
            },
            written.pending ? { pendingReferences: written.pending } : {},
          )
          throw new DryRun()
        })
        .catch((error: unknown) => {
          if (!(error instanceof DryRun)) throw error
        })
    }
    return report
  }
  let pending: PendingReferences | undefined
  // (every message is printable: a control character in it would fail the write of the run's record, too)
  const summary = await runSync(db, { source: `csv:${kind}`, scope: printable(file) }, async (context) => {
    if (problems.length > 0) {
      const first = problems[0] as Problem
      throw new UpshotError(
        'bad_request',
        printable(
          `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing imported; first: line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.message}`,
        ),
      )
    }
    const written = await db.transaction(write)
    context.count({
      created: written.inserted,
      updated: written.updated,
      unchanged: rows.length - written.inserted - written.updated,
    })
    pending = written.pending
  })
  Object.assign(
    report,
    {
      inserted: summary.run.created,
      updated: summary.run.updated,
      unchanged: summary.run.skipped,
      runId: summary.run.id,
    },
    pending ? { pendingReferences: pending } : {},
  )
  if (summary.run.status === 'failed' && problems.length === 0)
    throw new UpshotError('internal', `The import of ${file} failed: ${summary.run.error}`)
  return report
}

async function checkReferences(
  db: Database,
  spec: (typeof kindSpecs)[ImportKind],
  rows: { line: number; row: never }[],
): Promise<Problem[]> {
  const wanted = rows.map(({ line, row }) => ({ line, refs: spec.references(row) }))
  const all = (field: 'teams' | 'services' | 'repositories') => [...new Set(wanted.flatMap((w) => w.refs[field] ?? []))]
  const found = await findReferences(db, {
    teams: all('teams'),
    services: all('services'),
    repositories: all('repositories'),
  })
  const problems: Problem[] = []
  const columns = { teams: 'team', services: 'service', repositories: 'repository' } as const
  const whereFrom = {
    teams: 'import the roster first',
    services: 'sync the catalog first',
    repositories: 'import the repositories CSV, or sync GitHub, first',
  } as const
  for (const { line, refs } of wanted) {
    for (const field of ['teams', 'services', 'repositories'] as const) {
      for (const ref of refs[field] ?? [])
        if (!found[field].has(ref))
          problems.push({
            line,
            column: columns[field],
            message: `"${ref}" is not known (${whereFrom[field]})`,
          })
    }
  }
  return problems
}

/** Each date or time cell outside the bounds for its column (collectors/plausible.ts), as a problem on its column. */
function implausibleTimes(
  columns: { name: string; time?: 'event' | 'planned' }[],
  cells: Record<string, string>,
  bounds: TimeBounds,
): Omit<Problem, 'line'>[] {
  return columns.flatMap(({ name, time }) => {
    const value = cells[name]
    if (!time || value === undefined) return []
    // the row's schema has checked the format: a day, or a time with its zone (a space for the T allowed)
    const at = new Date(value.length === 10 ? `${value}T00:00:00Z` : value.replace(' ', 'T'))
    const problem = timeProblem(at, time, bounds)
    return problem ? [{ column: name, message: `"${value}" ${problem}` }] : []
  })
}

/** The report's pending references as a sentence, or null when there are none. */
export function describePending(report: Pick<ImportReport, 'dryRun' | 'pendingReferences'>): string | null {
  const incidents = report.pendingReferences?.incidentsWithoutDeployment ?? 0
  if (incidents === 0) return null
  return `${incidents} incident${incidents === 1 ? '' : 's'} ${report.dryRun ? 'would name' : incidents === 1 ? 'names' : 'name'} a deployment not imported yet (caused_by_deployment): kept, and linked when that deployment arrives.`
}

/** A problem as one line: file:line: column: message. */
export function formatProblem(file: string, problem: Problem): string {
  return `${file}:${problem.line}: ${problem.column ? `${problem.column}: ` : ''}${problem.message}`
}
