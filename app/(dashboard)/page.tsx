import Link from 'next/link'
import { cache, Suspense } from 'react'
import { WeeklyBars } from '../_components/charts/weekly-bars'
import { WeeklyLines } from '../_components/charts/weekly-lines'
import { DoraKeyCard } from '../_components/dora-keys'
import { Section, SectionSkeleton } from '../_components/section'
import { readOverview } from '../../lib/data/overview'
import { formatDate, formatInterval } from '../../lib/format'
import { guardPage } from '../../lib/auth/guard'

export const metadata = { title: 'Overview' }

// One read of the overview per request, shared by the sections.
const loadOverview = cache(() => readOverview())

export default async function OverviewPage() {
  const viewer = await guardPage('viewer')
  return (
    <>
      <header className="page-header">
        <h1>Overview</h1>
        <p>What has changed since the developer portal launched: the four DORA keys for the whole organisation, before the launch and now.</p>
      </header>
      <Suspense fallback={<SectionSkeleton title="DORA keys, before and after launch" />}>
        <DoraSection admin={viewer.role === 'admin'} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="Deployments per week" />}>
        <TrendSection />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="Portal adoption" />}>
        <AdoptionSection />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="How fresh the data is" />}>
        <FreshnessSection />
      </Suspense>
    </>
  )
}

async function DoraSection({ admin }: { admin: boolean }) {
  const overview = await loadOverview()
  if (overview.state === 'empty') {
    return (
      <Section title="No data yet" testId="overview-empty">
        <p className="empty">
          Nothing has been collected into this database. <code>npm run demo</code> loads a demo organisation into the embedded database.
        </p>
      </Section>
    )
  }
  if (overview.state === 'no-launch') {
    return (
      <Section title="No portal launch date" testId="overview-no-launch">
        <p className="empty">
          The Overview compares the weeks before the developer portal launched with the latest weeks, so it needs the day it launched.{' '}
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
      <div className="windows">
        <span data-testid="window-before">Before: {formatInterval(windows.before)}</span>
        <span data-testid="window-after">Now: {windows.after ? formatInterval(windows.after) : 'not a full week since launch yet'}</span>
        <span>Latest deployment: {latest.deployment ? formatDate(latest.deployment) : 'none'}</span>
      </div>
      <div className="cards">
        {keys.map((figures) => (
          <DoraKeyCard key={figures.key} figures={figures} tiers={overview.tiers} />
        ))}
      </div>
      <p className="footnote">
        The badge on each key is its performance level by the DORA 2024 State of DevOps report, for the latest weeks. Changes for every team, before vs now (the organisation before and after), with 95% intervals from resampling whole weeks: they include everything else that changed
        meanwhile (hiring, seasons); pilot-versus-control comparisons on an initiative separate the portal’s effect, so their figures differ. “Better” or “worse” only where a change holds among the four
        (5% family-wise, Holm). <a href="/api/docs/metrics.md">Definitions</a>. Medians are of individual changes and
        recoveries; a failed deployment not yet recovered is left out.
      </p>
    </Section>
  )
}

async function TrendSection() {
  const overview = await loadOverview()
  if (overview.state !== 'ready') return null
  return (
    <Section title="Deployments per week" lede="Successful production deployments, all teams, with the portal milestones.">
      <WeeklyBars
        data={overview.weekly.map((week) => ({ week: week.weekStart, value: week.deployments }))}
        markers={overview.milestones.map((milestone) => ({ week: milestone.weekStart, label: milestone.label }))}
        valueLabel="deployments"
      />
    </Section>
  )
}

async function AdoptionSection() {
  const overview = await loadOverview()
  if (overview.state !== 'ready') return null
  return (
    <Section title="Portal adoption" lede={<>Weekly active engineers ÷ engineers on the roster, all teams. More on the <Link href="/adoption">Adoption</Link> page.</>}>
      <WeeklyLines
        data={overview.weekly.map((week) => ({ week: week.weekStart, value: week.activeShare }))}
        series={[{ key: 'value', name: 'Weekly active engineers ÷ engineers' }]}
        unit="share"
        markers={overview.milestones.map((milestone) => ({ week: milestone.weekStart, label: milestone.label }))}
        testId="chart-overview-adoption"
        summary="Weekly active engineers as a share of engineers on the roster, with the portal milestones"
      />
    </Section>
  )
}

async function FreshnessSection() {
  const overview = await loadOverview()
  if (overview.state !== 'ready') return null
  const { latest } = overview
  const day = (date: Date | null) => (date ? formatDate(date) : 'none yet')
  return (
    <Section title="How fresh the data is" testId="overview-freshness">
      <p>
        Latest deployment {day(latest.deployment)} · latest pull request {day(latest.pullRequest)} · latest incident {day(latest.incident)}. Each source’s last sync and its errors are on the{' '}
        <Link href="/sources">Data sources</Link> page.
      </p>
    </Section>
  )
}
