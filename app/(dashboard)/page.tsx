import Link from 'next/link'
import { cache, Suspense } from 'react'
import { WeeklyChart } from '@/app/_components/charts/weekly-chart'
import { DoraKeyCard } from '@/app/_components/dora-keys'
import { Section, SectionSkeleton } from '@/app/_components/section'
import { PageFilters } from '@/app/_components/page-filters'
import { FreshnessNote } from '@/app/_components/freshness-note'
import { readOverview } from '@/lib/data/overview'
import type { WeeklyPoint } from '@/lib/charts/weekly-series'
import { filterQuery, pageFilters, type SearchParams } from '@/lib/data/page-filters'
import { formatDate, formatInterval } from '@/lib/format'
import { guardPage } from '@/lib/auth/guard'

export const metadata = { title: 'Overview' }

// One read of the overview per request, shared by the sections: the teams chosen, and the weeks around the
// launch unless other weeks are chosen (lib/data/filters.ts aroundLaunch).
const loadOverview = cache(async (query: string) => {
  const { filters, chosen, aroundLaunch, scope } = await pageFilters(query)
  const weeksChosen = chosen.from !== undefined || chosen.to !== undefined || chosen.compareFrom !== undefined
  const overview = await readOverview({
    ...(filters.teamIds ? { teamIds: filters.teamIds } : {}),
    ...(weeksChosen && aroundLaunch ? { windows: aroundLaunch } : {}),
  })
  return { overview, scope: filters.teamIds ? scope : 'all teams' }
})

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await guardPage('viewer')
  const query = filterQuery(await searchParams)
  return (
    <>
      <header className="page-header">
        <h1>Overview</h1>
        <p>
          What has changed since the developer portal launched: the four DORA keys for the teams chosen (the whole
          organisation unless you choose), before the launch and now.
        </p>
      </header>
      <PageFilters query={query} around="launch" />
      <Suspense fallback={<SectionSkeleton title="DORA keys, before and after launch" />}>
        <DoraSection admin={viewer.role === 'admin'} query={query} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="Deployments per week" />}>
        <TrendSection query={query} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="Portal adoption" />}>
        <AdoptionSection query={query} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="How fresh the data is" />}>
        <FreshnessSection query={query} />
      </Suspense>
    </>
  )
}

async function DoraSection({ admin, query }: { admin: boolean; query: string }) {
  const { overview, scope } = await loadOverview(query)
  if (overview.state === 'empty') {
    return (
      <Section title="No data yet" testId="overview-empty">
        <p className="empty">
          Nothing has been collected into this database. <code>npm run demo</code> loads a demo organisation into the
          embedded database.
        </p>
      </Section>
    )
  }
  if (overview.state === 'no-launch') {
    return (
      <Section title="No portal launch date" testId="overview-no-launch">
        <p className="empty">
          The Overview compares the weeks before the developer portal launched with the latest weeks, so it needs the
          day it launched.{' '}
          {admin ? (
            <>
              Add it on the <Link href="/milestones">Milestones</Link> page (kind: Portal launch).
            </>
          ) : (
            'An admin can add it on the Milestones page.'
          )}
        </p>
      </Section>
    )
  }
  const { windows, launch, keys, latest } = overview
  return (
    <Section
      title="DORA keys, before and after launch"
      lede={`${launch.name} on ${formatDate(launch.date)}${launch.teams.length > 0 ? ` (for ${launch.teams.join(', ')}; no launch for every team yet)` : ''}.`}
      testId="overview-dora"
    >
      <FreshnessNote freshness={overview.freshness} />
      <div className="windows">
        <span data-testid="window-before">Before: {formatInterval(windows.before)}</span>
        <span data-testid="window-after">
          Now: {windows.after ? formatInterval(windows.after) : 'not a full week since launch yet'}
        </span>
        <span>Latest deployment: {latest.deployment ? formatDate(latest.deployment) : 'none'}</span>
      </div>
      <div className="cards">
        {keys.map((figures) => (
          <DoraKeyCard key={figures.key} figures={figures} tiers={overview.tiers} />
        ))}
      </div>
      <p className="footnote">
        The badge on each key is its performance level by the DORA 2024 State of DevOps report, for the latest weeks.
        Changes for {scope}, before vs now (these teams before and after), with 95% intervals from resampling whole
        weeks: they include everything else that changed meanwhile (hiring, seasons); pilot-versus-control comparisons
        on an initiative separate the portal’s effect, so their figures differ. “Better” or “worse” only where a change
        holds among the four (5% family-wise, Holm). <a href="/api/docs/metrics.md">Definitions</a>. Medians are of
        individual changes and recoveries; a failed deployment not yet recovered is left out.
      </p>
    </Section>
  )
}

type OverviewWeek = Extract<Awaited<ReturnType<typeof readOverview>>, { state: 'ready' }>['weekly'][number]

/** One of the Overview's weekly figures as a chart's points, each week with its period. */
function trendPoints(weeks: OverviewWeek[], figure: 'deployments' | 'activeShare'): WeeklyPoint[] {
  return weeks.map(({ weekStart, period, omitted, ...figures }) => ({
    week: weekStart,
    period,
    ...(omitted ? { omitted } : {}),
    values: { value: omitted ? null : figures[figure] },
  }))
}

async function TrendSection({ query }: { query: string }) {
  const { overview, scope } = await loadOverview(query)
  if (overview.state !== 'ready') return null
  return (
    <Section
      title="Deployments per week"
      lede={`Successful production deployments, ${scope}, with the portal milestones.`}
    >
      <WeeklyChart
        points={trendPoints(overview.weekly, 'deployments')}
        series={[{ key: 'value', name: 'Deployments' }]}
        kind="bars"
        unit="count"
        markers={overview.markers}
        testId="chart-weekly-bars"
        summary="Successful production deployments per week, with the portal milestones"
      />
    </Section>
  )
}

async function AdoptionSection({ query }: { query: string }) {
  const { overview, scope } = await loadOverview(query)
  if (overview.state !== 'ready') return null
  return (
    <Section
      title="Portal adoption"
      lede={
        <>
          Weekly active engineers ÷ engineers on the roster, {scope}. More on the <Link href="/adoption">Adoption</Link>{' '}
          page.
        </>
      }
    >
      <WeeklyChart
        points={trendPoints(overview.weekly, 'activeShare')}
        series={[{ key: 'value', name: 'Weekly active engineers ÷ engineers' }]}
        kind="lines"
        unit="share"
        markers={overview.markers}
        testId="chart-overview-adoption"
        summary="Weekly active engineers as a share of engineers on the roster, with the portal milestones"
      />
    </Section>
  )
}

async function FreshnessSection({ query }: { query: string }) {
  const { overview } = await loadOverview(query)
  if (overview.state !== 'ready') return null
  const { latest } = overview
  const day = (date: Date | null) => (date ? formatDate(date) : 'none yet')
  return (
    <Section title="How fresh the data is" testId="overview-freshness">
      <p>
        Latest deployment {day(latest.deployment)} · latest pull request {day(latest.pullRequest)} · latest incident{' '}
        {day(latest.incident)}. Each source’s last sync and its errors are on the{' '}
        <Link href="/sources">Data sources</Link> page.
      </p>
    </Section>
  )
}
