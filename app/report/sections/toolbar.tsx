import Link from 'next/link'
import { ExportLink } from './export-link'

/** The screen-only bar above the page: back to the dashboard (with the filters kept), the exports, the assumptions. */
export function ReportToolbar({
  exports,
  filterQuery,
}: {
  exports: { pdfA4: string; pdfLetter: string; png: string; csv: string }
  filterQuery: string
}) {
  const withFilters = (path: string) => (filterQuery ? `${path}?${filterQuery}` : path)
  return (
    <nav className="report-toolbar" aria-label="One-pager">
      <Link href={withFilters('/')}>← Dashboard</Link>
      <ExportLink href={exports.pdfA4} label="PDF (A4)" preparing="Preparing the PDF…" />
      <ExportLink href={exports.pdfLetter} label="PDF (Letter)" preparing="Preparing the PDF…" />
      <ExportLink href={exports.png} label="PNG" preparing="Preparing the PNG…" />
      <ExportLink href={exports.csv} label="CSV of the figures" preparing="Preparing the CSV…" />
      <Link href={withFilters('/roi')}>Assumptions</Link>
    </nav>
  )
}
