import { notFound } from 'next/navigation'
import { FreshnessNote } from '@/app/_components/freshness-note'
import { readReportPage } from '@/lib/data/report'
import type { SearchParams } from '@/lib/data/page-filters'
import { guardPage } from '@/lib/auth/guard'
import { RoiBox, RoiVerdictLine } from './roi-box'
import { ReportCharts } from './sections/charts'
import { ReportFilters } from './sections/filters'
import { ReportHeader } from './sections/header'
import { ReportMethod } from './sections/method'
import { ReportTiles } from './sections/tiles'
import { ReportToolbar } from './sections/toolbar'
import { ReportVerdict } from './sections/verdict'
import './report.css'

export const metadata = { title: 'One-pager' }
export const dynamic = 'force-dynamic'

// One printed page: its sections render together (no streaming), so the PDF and PNG renderer, which waits for
// data-report-ready, never captures a section still loading.
export default async function ReportPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('viewer', { tokenScope: 'report' })
  const page = await readReportPage(await searchParams)
  if (page.state === 'not-found') notFound()
  const pageStyle = `@page { size: ${page.paper === 'letter' ? 'letter' : 'A4'}; margin: 9mm 11mm; }`
  if (page.state === 'empty') {
    return (
      <main className="report" data-report-ready="empty">
        <style>{pageStyle}</style>
        <h1>Nothing to report yet</h1>
        <p>
          The one-pager reports on an initiative: pilot teams against control teams. Create one on the Initiatives page
          first.
        </p>
      </main>
    )
  }
  const { report } = page
  return (
    <>
      <ReportToolbar exports={page.exports} filterQuery={page.filterQuery} />
      <main className="report" data-report-ready="ready" data-testid="report">
        <style>{pageStyle}</style>
        <ReportHeader generatedAt={report.generatedAt} name={report.initiative.name} meta={page.meta} />
        <FreshnessNote freshness={page.freshness} paper />
        <ReportFilters note={page.filters} initiative={report.initiative.name} />
        <RoiVerdictLine roi={report.roi} />
        <ReportVerdict
          headlines={report.headlines}
          notYetClear={report.notYetClear}
          whenKnown={report.whenKnown}
          docs={report.roi.study}
        />
        <ReportTiles tiles={report.tiles} />
        <ReportCharts
          weekly={report.weekly}
          launchWeek={report.launchWeek}
          scope={page.filters.chosen ? page.filters.scope : 'all teams'}
          lead={report.lead}
        />
        <RoiBox roi={report.roi} />
        <ReportMethod control={report.control} generatedAt={report.generatedAt} latest={report.latest} />
      </main>
    </>
  )
}
