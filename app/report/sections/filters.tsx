import type { ReportFilterNote } from '@/lib/data/report-page'

/**
 * What the teams and weeks chosen change on the one-pager (printed too, so a filtered PDF says it is filtered):
 * the deployments chart takes them; the findings, tiles and money ignore them (lib/data/report-page.ts
 * readReportPage says why). Nothing when the link chose no filter.
 */
export function ReportFilters({ note, initiative }: { note: ReportFilterNote; initiative: string }) {
  if (!note.chosen) return null
  return (
    <div className="report-filters">
      <p className="scope" data-testid="scope">
        Deployments chart: <strong>{note.scope}</strong> · {note.weeks}.{' '}
        <span data-testid="filters-ignored">
          The findings, tiles and money ignore the teams and weeks chosen: they compare all of {initiative}’s pilot
          teams with all its control teams over its own weeks, the test their 5% error control was planned for.
        </span>
      </p>
      {note.problems.length > 0 ? (
        <p className="unclear" role="alert" data-testid="filter-problems">
          Part of this link could not be read, so the default is used for it: {note.problems.join('; ')}.
        </p>
      ) : null}
    </div>
  )
}
