// The printed one-pager itself, drawn from its data: the live /report page and a kept snapshot (the Snapshots
// pages and share links) draw the same document, so what was sent reads exactly as it did.
import { FreshnessNote } from '@/app/_components/freshness-note'
import type { ReportDocumentData } from '@/lib/data/report-page'
import { RoiBox, RoiVerdictLine } from './roi-box'
import { ReportCharts } from './sections/charts'
import { ReportFilters } from './sections/filters'
import { ReportGoals } from './sections/goals'
import { ReportHeader } from './sections/header'
import { ReportMethod } from './sections/method'
import { ReportTiles } from './sections/tiles'
import { ReportVerdict } from './sections/verdict'
import './report.css'

export function reportPageStyle(paper: ReportDocumentData['paper']): string {
  return `@page { size: ${paper === 'letter' ? 'letter' : 'A4'}; margin: 9mm 11mm; }`
}

export function ReportDocument({ page, snapshot }: { page: ReportDocumentData; snapshot?: string }) {
  const { report } = page
  return (
    <main className="report" data-report-ready="ready" data-testid="report">
      <style>{reportPageStyle(page.paper)}</style>
      <ReportHeader generatedAt={report.generatedAt} name={report.initiative.name} meta={page.meta} />
      {snapshot ? (
        <p className="report-snapshot" data-testid="snapshot-note">
          {snapshot}
        </p>
      ) : (
        <FreshnessNote freshness={page.freshness} paper />
      )}
      <ReportFilters note={page.filters} initiative={report.initiative.name} />
      <RoiVerdictLine roi={report.roi} />
      <ReportVerdict
        headlines={report.headlines}
        notYetClear={report.notYetClear}
        whenKnown={report.whenKnown}
        docs={report.roi.study}
      />
      <ReportGoals goals={report.goals} />
      <ReportTiles tiles={report.tiles} />
      <ReportCharts
        weekly={report.weekly}
        launchWeek={report.launchWeek}
        scope={page.filters.chosen ? page.filters.scope : 'all teams'}
        lead={report.lead}
      />
      <RoiBox roi={report.roi} />
      <ReportMethod
        control={report.control}
        budget={report.initiative.budget}
        generatedAt={report.generatedAt}
        latest={report.latest}
      />
    </main>
  )
}
