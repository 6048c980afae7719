import { cache, Suspense } from 'react'
import { ChangeTable } from '../../_components/changes'
import { WeeklyBars } from '../../_components/charts/weekly-bars'
import { WeeklyLines } from '../../_components/charts/weekly-lines'
import { PageFilters } from '../../_components/page-filters'
import { Section, SectionSkeleton } from '../../_components/section'
import { TierBadge } from '../../_components/tier-badge'
import { readDelivery, type DeliveryFigures } from '../../../lib/data/delivery'
import { getInitiativeList } from '../../../lib/data/initiative'
import { filterQuery, pageFilters, type SearchParams } from '../../../lib/data/page-filters'
import { parseIsoDate, startOfUtcWeek, toIsoDate } from '../../../lib/dates'
import { formatCount, formatHours, formatMinutes, formatPercent, formatPerWeek } from '../../../lib/format'
import { guardPage } from '../../../lib/auth/guard'
import { firstTeams, TeamLimitNote } from '../../_components/team-limit'

export const metadata = { title: 'Delivery' }

const loadDelivery = cache(async (query: string) => readDelivery((await pageFilters(query)).filters))

export default async function DeliveryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('viewer')
  const query = filterQuery(await searchParams)
  return (
    <>
      <header className="page-header">
        <h1>Delivery</h1>
        <p>The DORA keys for the teams chosen, week by week and per team, with their performance level from the State of DevOps reports, and each against the weeks they are compared with.</p>
      </header>
      <PageFilters query={query} />
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
        <p className="empty">No production deployments in these weeks for these teams. Choose other weeks or teams, or connect GitHub on the Data sources page.</p>
      </Section>
    )
  }
  return (
    <Section title="The DORA keys" lede="Every team chosen, over the weeks shown, against the weeks compared with (these teams before and after, not pilot beyond control); deployment frequency is per service-week, as DORA defines it, where the Overview counts all deployments per week. Intervals from resampling whole weeks." testId="delivery-keys">
      <p className="headline">
        <span data-testid="delivery-deployments">{formatCount(current.deployments)}</span> production deployments in {current.weeks} weeks ({formatPerWeek(current.deploymentsPerWeek)}).
        Performance level, 2024 report: <TierBadge tier={tiers[2024].overall} year={2024} />; 2023 report: <TierBadge tier={tiers[2023].overall} year={2023} />.
      </p>
      {delivery.changes.length > 0 ? <ChangeTable changes={delivery.changes} testId="delivery-changes" /> : <p className="empty">Choose weeks to compare with to see the change.</p>}
      <p className="footnote">
        Levels follow the DORA State of DevOps report tables (deployment frequency per service, median lead time, change fail rate, median recovery); a
        team’s overall level is its lowest key. Definitions: docs/metrics.md.
      </p>
    </Section>
  )
}

async function TrendSection({ query }: { query: string }) {
  const [delivery, initiatives] = await Promise.all([loadDelivery(query), getInitiativeList()])
  // the portal's milestones and each initiative's launch, where they fall in the weeks shown
  const markers = [
    ...delivery.milestones.map((milestone) => ({ week: weekOf(milestone.occurredOn), label: milestone.label })),
    ...initiatives.map((initiative) => ({ week: weekOf(initiative.launchDate), label: `${initiative.name} launched` })),
  ]
    .filter((marker) => delivery.weekly.some((week) => week.weekStart === marker.week))
    .sort((a, b) => a.week.localeCompare(b.week))
  const line = (pick: (week: DeliveryFigures) => number | null) => delivery.weekly.map((week) => ({ week: week.weekStart, value: pick(week) }))
  return (
    <Section title="Week by week" lede="The portal’s milestones and each initiative’s launch are drawn on the time axis." testId="delivery-trend">
      <div className="chart-grid">
        <div>
          <h3 className="chart-title">Production deployments per week</h3>
          <WeeklyBars data={delivery.weekly.map((week) => ({ week: week.weekStart, value: week.deployments }))} markers={markers} valueLabel="deployments" />
        </div>
        <div>
          <h3 className="chart-title">Change lead time, weekly median</h3>
          <WeeklyLines data={line((week) => week.leadTimeHours.median)} series={[{ key: 'value', name: 'Lead time' }]} unit="hours" testId="chart-lead-time" summary="Median change lead time per week" />
        </div>
        <div>
          <h3 className="chart-title">Change fail rate per week</h3>
          <WeeklyLines data={line((week) => week.changeFailRate)} series={[{ key: 'value', name: 'Change fail rate' }]} unit="share" testId="chart-change-fail-rate" summary="Change fail rate per week" />
        </div>
        <div>
          <h3 className="chart-title">Failed deployment recovery time, weekly median</h3>
          <WeeklyLines data={line((week) => week.recoveryMinutes.median)} series={[{ key: 'value', name: 'Recovery time' }]} unit="minutes" testId="chart-recovery" summary="Median failed deployment recovery time per week" />
        </div>
      </div>
    </Section>
  )
}

async function TeamsSection({ query }: { query: string }) {
  const delivery = await loadDelivery(query)
  const { shown, total } = firstTeams(delivery.byTeam, (a, b) => b.figures.deploymentsPerWeek - a.figures.deploymentsPerWeek)
  return (
    <Section title="By team" lede="Each team’s keys over the weeks shown. Teams, never people." testId="delivery-teams">
      {/* focusable and named: on a phone the table scrolls sideways, and a keyboard must reach it (axe scrollable-region-focusable) */}
      <div className="table-wrap" role="region" aria-label="Delivery figures by team" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Deployments</th>
              <th scope="col">Lead time</th>
              <th scope="col">Change fail rate</th>
              <th scope="col">Recovery</th>
              <th scope="col">Level (2024)</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ team, figures, tiers }) => (
              <tr key={team.id}>
                <th scope="row">{team.name}</th>
                <td>{formatPerWeek(figures.deploymentsPerWeek)}</td>
                <td>{formatHours(figures.leadTimeHours.median)}</td>
                <td>{formatPercent(figures.changeFailRate)}</td>
                <td>{formatMinutes(figures.recoveryMinutes.median)}</td>
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

const weekOf = (day: string) => toIsoDate(startOfUtcWeek(parseIsoDate(day)))
