'use client'

import { useRouter } from 'next/navigation'
import { useState, useSyncExternalStore } from 'react'

interface Problem {
  line: number
  column?: string
  message: string
}

interface Report {
  kind: string
  file: string
  dryRun: boolean
  rows: number
  inserted: number
  updated: number
  unchanged: number
  rejected: number
  problems: Problem[]
  /** References to rows not imported yet (collectors/csv/import.ts ImportReport). */
  pendingReferences?: { incidentsWithoutDeployment: number }
}

const noSubscription = () => () => {}
const hydrated = () => true
const notHydrated = () => false

/** Uploads a CSV to POST /api/imports: "Check" is a dry run; "Import" writes all rows or none. */
export function CsvUpload({ kinds }: { kinds: string[] }) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const [report, setReport] = useState<Report | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  // the buttons wait for this script: clicked before it runs, the form would reload the page and upload nothing
  const ready = useSyncExternalStore(noSubscription, hydrated, notHydrated)

  async function send(form: HTMLFormElement, dryRun: boolean) {
    const data = new FormData(form)
    data.set('dryRun', String(dryRun))
    setBusy(true)
    setMessage(null)
    try {
      const response = await fetch('/api/imports', { method: 'POST', body: data })
      const body = (await response.json()) as { ok: boolean; report?: Report; message?: string }
      setReport(body.report ?? null)
      setMessage(body.message ?? null)
      if (!dryRun && body.ok) router.refresh()
    } catch {
      setMessage('The upload did not reach the server; try again.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="upload"
      onSubmit={(event) => {
        event.preventDefault()
        const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null
        void send(event.currentTarget, submitter?.value !== 'import')
      }}
    >
      <label>
        Kind
        <select name="kind" defaultValue={kinds[0]}>
          {kinds.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
      </label>
      <label>
        File
        <input type="file" name="file" accept=".csv,text/csv" required />
      </label>
      <div className="buttons">
        <button type="submit" value="check" disabled={busy || !ready}>
          Check
        </button>
        <button type="submit" value="import" disabled={busy || !ready}>
          Import
        </button>
      </div>
      <div aria-live="polite" data-testid="import-report">
        {message ? <p className="error-text">{message}</p> : null}
        {report ? <ReportView report={report} /> : null}
      </div>
    </form>
  )
}

function ReportView({ report }: { report: Report }) {
  const ok = report.problems.length === 0
  const verb = report.dryRun ? 'would be' : 'were'
  return (
    <div className="report">
      <p>
        <strong>{report.file}</strong> ({report.kind}, {report.rows} rows):{' '}
        {ok
          ? `${report.inserted} ${verb} inserted, ${report.updated} ${verb} updated, ${report.unchanged} unchanged, 0 rejected.`
          : `nothing ${verb} imported: ${report.rejected} of ${report.rows} rows have problems.`}
      </p>
      {ok ? <PendingReferences report={report} /> : null}
      {ok ? null : (
        <table className="runs">
          <caption className="visually-hidden">Problems</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {report.problems.slice(0, 200).map((problem, index) => (
              <tr key={`${problem.line}-${index}`}>
                <td className="num">{problem.line}</td>
                <td>{problem.column ?? ''}</td>
                <td>{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

/** The sentence collectors/csv/import.ts describePending prints on the command line. */
function PendingReferences({ report }: { report: Report }) {
  const incidents = report.pendingReferences?.incidentsWithoutDeployment ?? 0
  if (incidents === 0) return null
  return (
    <p data-testid="pending-references">
      {incidents} incident{incidents === 1 ? '' : 's'}{' '}
      {report.dryRun ? 'would name' : incidents === 1 ? 'names' : 'name'} a deployment not imported yet
      (caused_by_deployment): kept, and linked when that deployment arrives.
    </p>
  )
}
