import { cache, Suspense } from 'react'
import { LoadedFreshness } from '@/app/_components/freshness-note'
import { ChangeTable } from '@/app/_components/changes'
import { CategoryBars } from '@/app/_components/charts/category-bars'
import { WeeklyChart } from '@/app/_components/charts/weekly-chart'
import { PageFilters } from '@/app/_components/page-filters'
import { Section, SectionSkeleton } from '@/app/_components/section'
import { readFlow, type FlowFigures } from '@/lib/data/flow'
import { filterQuery, pageFilters, type SearchParams } from '@/lib/data/page-filters'
import { formatCount, formatHours } from '@/lib/format'
import { guardPage } from '@/lib/auth/guard'
import { firstTeams, TeamLimitNote } from '@/app/_components/team-limit'

export const metadata = { title: 'Flow' }

const loadFlow = cache(async (query: string) =>
  readFlow((await pageFilters(query)).filters, { standing: query === '' }),
)

const PHASES = [
  { key: 'coding', name: 'Coding (first commit → open)' },
  { key: 'pickup', name: 'Pickup (open → first review)' },
  { key: 'review', name: 'Review (first review → merge)' },
  { key: 'deploy', name: 'Deploy (merge → production)' },
] as const

const phases = (figures: FlowFigures) =>
  Object.fromEntries(PHASES.map((phase) => [phase.key, figures[phase.key].median]))

export default async function FlowPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('viewer')
  const query = filterQuery(await searchParams)
  return (
    <>
      <header className="page-header">
        <h1>Flow</h1>
        <p>
          How long a pull request takes, split into its four phases, per team, in the weeks shown and the weeks compared
          with.
        </p>
      </header>
      <PageFilters query={query} />
      <Suspense fallback={null}>
        <LoadedFreshness load={() => loadFlow(query)} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="Cycle time and throughput" />}>
        <SummarySection query={query} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="The four phases, per team" />}>
        <PhasesSection query={query} />
      </Suspense>
    </>
  )
}

async function SummarySection({ query }: { query: string }) {
  const flow = await loadFlow(query)
  if (flow.current.merged === 0) {
    return (
      <Section title="Cycle time and throughput" testId="flow-empty">
        <p className="empty">No pull request was merged in these weeks by these teams. Choose other weeks or teams.</p>
      </Section>
    )
  }
  const { current } = flow
  return (
    <Section
      title="Cycle time and throughput"
      lede="Medians of merged pull requests; throughput is merged pull requests per engineer-week."
      testId="flow-summary"
    >
      <p className="headline">
        <span data-testid="flow-merged">{formatCount(current.merged)}</span> pull requests merged; median cycle time{' '}
        {formatHours(current.cycle.median)} (coding {formatHours(current.coding.median)}, pickup{' '}
        {formatHours(current.pickup.median)}, review {formatHours(current.review.median)}, deploy{' '}
        {formatHours(current.deploy.median)}).
      </p>
      {flow.changes.length > 0 ? <ChangeTable changes={flow.changes} testId="flow-changes" /> : null}
      <h3 className="chart-title">Cycle time, weekly median</h3>
      <WeeklyChart
        points={flow.trend}
        series={[
          { key: 'cycle', name: 'Cycle time' },
          { key: 'review', name: 'Review time' },
        ]}
        kind="lines"
        unit="hours"
        markers={flow.markers}
        testId="chart-cycle-time"
        summary="Median cycle time and review time per week"
      />
      <p className="footnote">
        The weeks compared with (before, muted) beside the weeks shown (now, full colour). The week in progress at the
        data’s end is dashed, with a hollow point: a pull request merged then may not be deployed yet, so its cycle time
        is not counted yet and the median is not final.
      </p>
    </Section>
  )
}

async function PhasesSection({ query }: { query: string }) {
  const flow = await loadFlow(query)
  // the teams whose changes take longest first: where to look
  const { shown, total } = firstTeams(
    flow.byTeam,
    (a, b) => (b.current.cycle.median ?? -1) - (a.current.cycle.median ?? -1),
  )
  const rows = shown.flatMap(({ team, current, previous }) => [
    ...(previous ? [{ label: `${team.name}, before`, ...phases(previous) }] : []),
    { label: previous ? `${team.name}, now` : team.name, ...phases(current) },
  ])
  return (
    <Section
      title="The four phases, per team"
      lede="Median hours in each phase, stacked; the comparison weeks above the weeks shown. Where a phase grew, that is where to look."
      testId="flow-phases"
    >
      <CategoryBars
        data={rows}
        series={PHASES.map((phase) => ({ key: phase.key, name: phase.name }))}
        unit="hours"
        stacked
        horizontal
        testId="chart-phases"
        summary="Median hours per phase for each team, before and now"
      />
      <TeamLimitNote shown={shown.length} total={total} order="those with the longest cycle time first" />
    </Section>
  )
}
