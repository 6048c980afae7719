import { cache, Suspense } from 'react'
import { LoadedFreshness } from '@/app/_components/freshness-note'
import { ChangeTable } from '@/app/_components/changes'
import { CategoryBars } from '@/app/_components/charts/category-bars'
import { PageFilters } from '@/app/_components/page-filters'
import { Section, SectionSkeleton } from '@/app/_components/section'
import { readOnboarding } from '@/lib/data/onboarding'
import { filterQuery, pageFilters, type SearchParams } from '@/lib/data/page-filters'
import { formatCount, formatValue } from '@/lib/format'
import type { WeekPeriod } from '@/lib/charts/weekly-series'
import type { CohortSummary } from '@/lib/metrics/onboarding'
import { guardPage } from '@/lib/auth/guard'

export const metadata = { title: 'Onboarding' }

const loadOnboarding = cache(async (query: string) =>
  readOnboarding((await pageFilters(query)).filters, { standing: query === '' }),
)

const days = (summary: CohortSummary) => (summary.withheld ? null : summary.medianDays)
const monthName = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' })

export default async function OnboardingPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('viewer')
  const query = filterQuery(await searchParams)
  return (
    <>
      <header className="page-header">
        <h1>Onboarding</h1>
        <p>
          How fast new hires ship: days from their start date to their first and their tenth merged pull request, by the
          month they started. The weeks filter chooses hires by start date.
        </p>
      </header>
      <PageFilters query={query} />
      <Suspense fallback={null}>
        <LoadedFreshness load={() => loadOnboarding(query)} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="Ramp-up" />}>
        <SummarySection query={query} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="By hire month" />}>
        <CohortSection query={query} />
      </Suspense>
    </>
  )
}

function Summary({ summary, nth }: { summary: CohortSummary; nth: string }) {
  if (summary.withheld) return <span className="withheld">withheld: {summary.reason}</span>
  return (
    <>
      <span className="value" data-testid={`onboarding-${nth}-median`}>
        {formatValue('days', summary.medianDays)}
      </span>{' '}
      <span className="sample">
        {summary.reached} of {summary.hires} got there; {summary.notYet} not yet
      </span>
    </>
  )
}

async function SummarySection({ query }: { query: string }) {
  const onboarding = await loadOnboarding(query)
  const { current } = onboarding
  if (current.first.hires === 0) {
    return (
      <Section title="Ramp-up" testId="onboarding-empty">
        <p className="empty">
          Nobody in these teams started in these weeks. Widen the weeks shown, or import the roster with start dates on
          the Data sources page.
        </p>
      </Section>
    )
  }
  return (
    <Section
      title="Ramp-up"
      lede="Medians counting hires who have not got there yet as “not yet” (Kaplan–Meier), so a slow hire is not left out. Groups under five hires are withheld."
      testId="onboarding-summary"
    >
      <p className="headline">
        <span data-testid="onboarding-hires">{formatCount(current.first.hires)}</span> hires started in the weeks shown.
      </p>
      <dl className="pairs">
        <dt>Days to first merged PR</dt>
        <dd>
          <Summary summary={current.first} nth="first" />
        </dd>
        <dt>Days to tenth merged PR</dt>
        <dd>
          <Summary summary={current.tenth} nth="tenth" />
        </dd>
      </dl>
      {onboarding.changes.length > 0 ? <ChangeTable changes={onboarding.changes} testId="onboarding-changes" /> : null}
    </Section>
  )
}

async function CohortSection({ query }: { query: string }) {
  const onboarding = await loadOnboarding(query)
  const label = (month: string) => monthName.format(new Date(`${month}-01T00:00:00Z`))
  const rows: { label: string; first: number | null; tenth: number | null; period: WeekPeriod }[] = []
  for (const cohort of onboarding.timeline) {
    const previous = rows.at(-1)
    // the months between the two windows: one gap marker, not months of nothing
    if (
      previous &&
      previous.period !== 'between' &&
      (previous.period === 'comparison') !== (cohort.period === 'comparison')
    )
      rows.push({ label: '⋯', first: null, tenth: null, period: 'between' })
    rows.push({
      label: label(cohort.month),
      first: days(cohort.first),
      tenth: days(cohort.tenth),
      period: cohort.period,
    })
  }
  const withheld = onboarding.timeline.filter((cohort) => cohort.first.withheld)
  return (
    <Section
      title="By hire month"
      lede="Median days to the first and the tenth merged pull request of each month’s hires: the hires compared with (before, muted), then the hires shown. The latest month’s hires are still ramping up (outlined): not final."
      testId="onboarding-cohorts"
    >
      <CategoryBars
        data={rows.map(({ label, first, tenth }) => ({ label, first, tenth }))}
        periods={rows.map((row) => row.period)}
        periodTexts={{
          comparison: 'hires compared with (before)',
          between: 'months between the two windows',
          shown: 'hires shown',
          incomplete: 'latest hires, still ramping up: not final',
        }}
        series={[
          { key: 'first', name: 'Days to first merged PR' },
          { key: 'tenth', name: 'Days to tenth merged PR' },
        ]}
        unit="days"
        testId="chart-cohorts"
        summary="Median days to first and tenth merged pull request by hire month, the hires compared with and the hires shown"
      />
      {withheld.length > 0 ? (
        <p className="footnote">
          Withheld, fewer than five hires:{' '}
          {withheld
            .map(
              (cohort) =>
                `${label(cohort.month)}${cohort.period === 'comparison' ? ' (before)' : ''} (${cohort.hires})`,
            )
            .join(', ')}
          .
        </p>
      ) : null}
    </Section>
  )
}
