import { cache, Suspense } from 'react'
import { LoadedFreshness } from '@/app/_components/freshness-note'
import { ChangeTable } from '@/app/_components/changes'
import { ChartKey } from '@/app/_components/charts/chart-key'
import { WeeklyChart } from '@/app/_components/charts/weekly-chart'
import { PageFilters } from '@/app/_components/page-filters'
import { Section, SectionSkeleton } from '@/app/_components/section'
import { TierBadge } from '@/app/_components/tier-badge'
import { weekMarkers } from '@/lib/charts/weekly-series'
import { readDelivery, type DeliveryFigures } from '@/lib/data/delivery'
import { getInitiativeList } from '@/lib/data/initiative'
import { filterQuery, pageFilters, type SearchParams } from '@/lib/data/page-filters'
import { formatCount, formatHours, formatMinutes, formatPercent, formatPerWeek } from '@/lib/format'
import { guardPage } from '@/lib/auth/guard'
import { firstTeams, TeamLimitNote } from '@/app/_components/team-limit'

export const metadata = { title: 'Delivery' }

const loadDelivery = cache(async (query: string) =>
  readDelivery((await pageFilters(query)).filters, { standing: query === '' }),
)

export default async function DeliveryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('viewer')
  const query = filterQuery(await searchParams)
  return (
    <>
      <header className="page-header">
        <h1>Delivery</h1>
        <p>
          The DORA keys for the teams chosen, week by week and per team, with their performance level from the State of
          DevOps reports, and each against the weeks they are compared with.
        </p>
      </header>
      <PageFilters query={query} />
      <Suspense fallback={null}>
        <LoadedFreshness load={() => loadDelivery(query)} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="The DORA keys" />}>
        <KeysSection query={query} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="Week by week" />}>
        <TrendSection query={query} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="By team" />}>
        <TeamsSection query={query} />
      </Suspense>
    </>
  )
}

async function KeysSection({ query }: { query: string }) {
  const delivery = await loadDelivery(query)
  const { current, tiers } = delivery
  if (current.deployments === 0 && current.leadTimeHours.count === 0) {
    return (
      <Section title="The DORA keys" testId="delivery-empty">
        <p className="empty">
          No production deployments in these weeks for these teams. Choose other weeks or teams, or connect GitHub on
          the Data sources page.
        </p>
      </Section>
    )
  }
  return (
    <Section
      title="The DORA keys"
      lede="Every team chosen, over the weeks shown, against the weeks compared with (these teams before and after, not pilot beyond control); deployment frequency is per service-week, as DORA defines it, where the Overview counts all deployments per week. Intervals from resampling whole weeks."
      testId="delivery-keys"
    >
      <p className="headline">
        <span data-testid="delivery-deployments">{formatCount(current.deployments)}</span> production deployments in{' '}
        {current.weeks} weeks ({formatPerWeek(current.deploymentsPerWeek)}). Performance level, 2024 report:{' '}
        <TierBadge tier={tiers[2024].overall} year={2024} />; 2023 report:{' '}
        <TierBadge tier={tiers[2023].overall} year={2023} />.
      </p>
      {delivery.changes.length > 0 ? (
        <ChangeTable changes={delivery.changes} testId="delivery-changes" />
      ) : (
        <p className="empty">Choose weeks to compare with to see the change.</p>
      )}
      <p className="footnote">
        Levels follow the DORA State of DevOps report tables (deployment frequency per service, median lead time, change
        fail rate, median recovery); a team’s overall level is its lowest key. Definitions: docs/metrics.md.
      </p>
    </Section>
  )
}

async function TrendSection({ query }: { query: string }) {
  const [delivery, initiatives] = await Promise.all([loadDelivery(query), getInitiativeList()])
  // the portal's milestones and each initiative's launch, where they fall in the weeks drawn
  const markers = weekMarkers(delivery.trend, [
    ...delivery.milestones.map((milestone) => ({ on: milestone.occurredOn, label: milestone.label })),
    ...initiatives.map((initiative) => ({ on: initiative.launchDate, label: `${initiative.name} launched` })),
  ])
  const line = (key: string, name: string) => [{ key, name }]
  return (
    <Section
      title="Week by week"
      lede="The weeks compared with (before, muted) beside the weeks shown (now, full colour), the weeks between them faint; the portal’s milestones and each initiative’s launch are the numbered lines. The week in progress at the data’s end is hatched: its figures are not final."
      testId="delivery-trend"
    >
      <div className="chart-grid">
        <div>
          <h3 className="chart-title">Production deployments per week</h3>
          <WeeklyChart
            points={delivery.trend}
            series={line('deployments', 'Deployments')}
            kind="bars"
            unit="count"
            markers={markers}
            keyed={false}
            testId="chart-weekly-bars"
            summary="Production deployments per week"
          />
        </div>
        <div>
          <h3 className="chart-title">Change lead time, weekly median</h3>
          <WeeklyChart
            points={delivery.trend}
            series={line('leadTime', 'Lead time')}
            kind="lines"
            unit="hours"
            markers={markers}
            keyed={false}
            testId="chart-lead-time"
            summary="Median change lead time per week"
          />
        </div>
        <div>
          <h3 className="chart-title">Change fail rate per week</h3>
          <WeeklyChart
            points={delivery.trend}
            series={line('changeFailRate', 'Change fail rate')}
            kind="lines"
            unit="share"
            markers={markers}
            keyed={false}
            testId="chart-change-fail-rate"
            summary="Change fail rate per week"
          />
        </div>
        <div>
          <h3 className="chart-title">Failed deployment recovery time, weekly median</h3>
          <WeeklyChart
            points={delivery.trend}
            series={line('recovery', 'Recovery time')}
            kind="lines"
            unit="minutes"
            markers={markers}
            keyed={false}
            testId="chart-recovery"
            summary="Median failed deployment recovery time per week"
          />
        </div>
      </div>
      <ChartKey points={delivery.trend} markers={markers} />
    </Section>
  )
}

async function TeamsSection({ query }: { query: string }) {
  const delivery = await loadDelivery(query)
  const { shown, total } = firstTeams(
    delivery.byTeam,
    (a, b) => b.figures.deploymentsPerWeek - a.figures.deploymentsPerWeek,
  )
  const compared = delivery.comparison !== null
  const keys: { name: string; show: (figures: DeliveryFigures) => string }[] = [
    { name: 'Deployments', show: (figures) => formatPerWeek(figures.deploymentsPerWeek) },
    { name: 'Lead time', show: (figures) => formatHours(figures.leadTimeHours.median) },
    { name: 'Change fail rate', show: (figures) => formatPercent(figures.changeFailRate) },
    { name: 'Recovery', show: (figures) => formatMinutes(figures.recoveryMinutes.median) },
  ]
  return (
    <Section
      title="By team"
      lede={
        compared
          ? 'Each team’s keys in the weeks compared with (before) and the weeks shown (now). Teams, never people.'
          : 'Each team’s keys over the weeks shown. Teams, never people.'
      }
      testId="delivery-teams"
    >
      {/* focusable and named: on a phone the table scrolls sideways, and a keyboard must reach it (axe scrollable-region-focusable) */}
      <div className="table-wrap" role="region" aria-label="Delivery figures by team" tabIndex={0}>
        <table className="table before-now">
          <thead>
            <tr>
              <th scope="col" rowSpan={compared ? 2 : 1}>
                Team
              </th>
              {keys.map((key) => (
                <th key={key.name} scope="colgroup" colSpan={compared ? 2 : 1}>
                  {key.name}
                </th>
              ))}
              <th scope="col" rowSpan={compared ? 2 : 1}>
                Level (2024)
              </th>
            </tr>
            {compared ? (
              <tr>
                {keys.flatMap((key) => [
                  <th key={`${key.name}-before`} scope="col" className="before">
                    Before
                  </th>,
                  <th key={`${key.name}-now`} scope="col">
                    Now
                  </th>,
                ])}
              </tr>
            ) : null}
          </thead>
          <tbody>
            {shown.map(({ team, figures, previous, tiers }) => (
              <tr key={team.id}>
                <th scope="row">{team.name}</th>
                {keys.flatMap((key) => [
                  ...(compared
                    ? [
                        <td key={`${key.name}-before`} className="before">
                          {previous ? key.show(previous) : '—'}
                        </td>,
                      ]
                    : []),
                  <td key={`${key.name}-now`}>{key.show(figures)}</td>,
                ])}
                <td>
                  <TierBadge tier={tiers[2024].overall} year={2024} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <TeamLimitNote shown={shown.length} total={total} order="those that deploy most first" />
    </Section>
  )
}
