import { notFound } from 'next/navigation'
import { readReportPage } from '@/lib/data/report-page'
import type { SearchParams } from '@/lib/data/page-filters'
import { guardPage } from '@/lib/auth/guard'
import { ReportDocument, reportPageStyle } from './document'
import { ReportToolbar } from './sections/toolbar'
import './report.css'

export const metadata = { title: 'One-pager' }
export const dynamic = 'force-dynamic'

// One printed page: its sections render together (no streaming), so the PDF and PNG renderer, which waits for
// data-report-ready, never captures a section still loading.
export default async function ReportPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('viewer', { tokenScope: 'report' })
  const page = await readReportPage(await searchParams)
  if (page.state === 'not-found') notFound()
  if (page.state === 'empty') {
    return (
      <main className="report" data-report-ready="empty">
        <style>{reportPageStyle(page.paper)}</style>
        <h1>Nothing to report yet</h1>
        <p>
          The one-pager reports on an initiative: pilot teams against control teams. Create one on the Initiatives page
          first.
        </p>
      </main>
    )
  }
  return (
    <>
      <ReportToolbar exports={page.exports} filterQuery={page.filterQuery} />
      <ReportDocument page={page} />
    </>
  )
}
