// The one-pager as a page: its own parameters (initiative, paper) and filters read from the request, the
// links of its exports, the line under its title, and what the printed document (app/report/document.tsx) is
// drawn from – the live page's, or a snapshot's as it was sent. Server-only.
import 'server-only'
import { z } from 'zod'
import { useCaseLabels } from '@/lib/domain'
import { formatDate, formatInterval } from '@/lib/format'
import { keptFilters } from './filter-keys'
import { pageFilters, type SearchParams } from './page-filters'
import type { Freshness } from './read-cache'
import { readReport, type ReportScope, type ReportView } from './report'

export const reportParamsSchema = z.object({
  initiative: z
    .string()
    .regex(/^\d{1,9}$/, 'initiative must be an initiative id')
    .optional(),
  paper: z.enum(['a4', 'letter'], { error: 'paper must be a4 or letter' }).default('a4'),
})

export type Paper = z.infer<typeof reportParamsSchema>['paper']

/**
 * The one-pager's own parameters (which initiative, which paper) and its filters, as a query string: the
 * exports render or read the page for the same query, and the toolbar's links keep it.
 */
export function reportQuery({
  initiative,
  paper,
  filters,
}: {
  initiative: number
  paper: Paper
  filters: string
}): string {
  const query = new URLSearchParams(filters)
  query.set('initiative', String(initiative))
  query.set('paper', paper)
  return `?${query}`
}

/** What the filters do to the one-pager: the chart takes the teams and weeks; the claims, tiles and money do not. */
export interface ReportFilterNote {
  /** The link chose a filter (else the note is not shown). */
  chosen: boolean
  /** "Discovery (group)", or "All teams". */
  scope: string
  /** The weeks the chart shows, in words. */
  weeks: string
  problems: string[]
}

export type ReportPage =
  | { state: 'not-found' }
  | { state: 'empty'; paper: Paper }
  | {
      state: 'ready'
      paper: Paper
      report: Extract<ReportView, { state: 'ready' }>
      filters: ReportFilterNote
      /** The filters as a query string, for the toolbar's links back to the dashboard ('' for none). */
      filterQuery: string
      exports: { pdfA4: string; pdfLetter: string; png: string; csv: string }
      meta: string
      /** When the figures were computed, and whether newer data is being computed (the unfiltered one-pager only). */
      freshness: Freshness | null
    }

/**
 * What the printed one-pager is drawn from (app/report/document.tsx): the live page's, or a snapshot's as it was
 * sent (lib/data/snapshots.ts keeps exactly this).
 */
export type ReportDocumentData = Pick<
  Extract<ReportPage, { state: 'ready' }>,
  'paper' | 'report' | 'filters' | 'meta' | 'freshness'
>

/**
 * The one-pager for a request's search params: its initiative (the latest launched when none is named; a
 * named one that does not exist is not found) and paper, and the filters. The teams chosen (a group, the
 * pilot or control teams, teams) and the weeks shown apply to the deployments chart; the headlines, tiles,
 * lead chart and money always compare all pilot teams with all control teams over the initiative's own weeks,
 * as its claims were planned: a subset of teams would be a different test than the one the 5% holds for.
 */
export async function readReportPage(searchParams: SearchParams): Promise<ReportPage> {
  const first = (key: string) => (typeof searchParams[key] === 'string' ? searchParams[key] : undefined)
  const parsed = reportParamsSchema.safeParse({ initiative: first('initiative'), paper: first('paper') })
  if (!parsed.success) return { state: 'not-found' }
  const filterQuery = keptFilters(searchParams)
  const resolved = await pageFilters(filterQuery)
  const weeksChosen = resolved.chosen.from !== undefined || resolved.chosen.to !== undefined
  const scope: ReportScope = {
    ...(resolved.filters.teamIds ? { teamIds: resolved.filters.teamIds } : {}),
    ...(weeksChosen ? { weeks: resolved.filters.interval } : {}),
  }
  const initiativeId = parsed.data.initiative ? Number(parsed.data.initiative) : undefined
  const report = await readReport({ initiativeId, scope })
  const { paper } = parsed.data
  if (report.state !== 'ready') return initiativeId === undefined ? { state: 'empty', paper } : { state: 'not-found' }
  const { initiative } = report
  const query = (as: Paper) => reportQuery({ initiative: initiative.id, paper: as, filters: filterQuery })
  return {
    state: 'ready',
    paper,
    report,
    freshness: report.freshness ?? null,
    filters: {
      chosen: filterQuery !== '',
      scope: resolved.scope,
      weeks: formatInterval(report.chartWeeks),
      problems: resolved.problems,
    },
    filterQuery,
    exports: {
      pdfA4: `/api/report.pdf${query('a4')}`,
      pdfLetter: `/api/report.pdf${query('letter')}`,
      png: `/api/report.png${query(paper)}`,
      csv: `/api/report.csv${query(paper)}`,
    },
    meta: reportMeta(report),
  }
}

/** The line under the one-pager's title: use case, launch, pilot and control teams, the windows compared. */
export function reportMeta(report: Extract<ReportView, { state: 'ready' }>): string {
  const { initiative } = report
  return [
    useCaseLabels[initiative.useCase],
    `launched ${formatDate(initiative.launchDate)}`,
    `pilot: ${report.pilots.join(', ')}`,
    `control: ${report.controls.join(', ')}`,
    `before ${formatInterval(initiative.baseline)}, after ${formatInterval(initiative.evaluation)}`,
  ].join(' · ')
}

/** The unfiltered one-pager of a computed report, as a snapshot keeps it (no filters, no freshness note). */
export function reportDocumentOf(
  report: Extract<ReportView, { state: 'ready' }>,
  paper: Paper = 'a4',
): ReportDocumentData {
  return {
    paper,
    report,
    filters: { chosen: false, scope: 'All teams', weeks: formatInterval(report.chartWeeks), problems: [] },
    meta: reportMeta(report),
    freshness: null,
  }
}
