import { cache, Suspense } from 'react'
import { LoadedFreshness } from '@/app/_components/freshness-note'
import { CategoryBars } from '@/app/_components/charts/category-bars'
import { WeeklyChart } from '@/app/_components/charts/weekly-chart'
import { PageFilters } from '@/app/_components/page-filters'
import { Section, SectionSkeleton } from '@/app/_components/section'
import { readAdoption } from '@/lib/data/adoption'
import { filterQuery, pageFilters, type SearchParams } from '@/lib/data/page-filters'
import { formatCount, formatHours, formatPercent } from '@/lib/format'
import { guardPage } from '@/lib/auth/guard'
import { firstTeams, TeamLimitNote } from '@/app/_components/team-limit'

export const metadata = { title: 'Adoption' }

const loadAdoption = cache(async (query: string) =>
  readAdoption((await pageFilters(query)).filters, { standing: query === '' }),
)

export default async function AdoptionPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('viewer')
  const query = filterQuery(await searchParams)
  return (
    <>
      <header className="page-header">
        <h1>Adoption</h1>
        <p>
          Who uses the portal: the share of engineers on the roster who use it, how much of the catalog has an owner and
          docs, template runs, and the path from engineer to a service in production, per team.
        </p>
      </header>
      <PageFilters query={query} />
      <Suspense fallback={null}>
        <LoadedFreshness load={() => loadAdoption(query)} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="Active engineers" />}>
        <UsersSection query={query} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="Catalog and templates" />}>
        <CatalogSection query={query} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="What people use the portal for" />}>
        <TopSection query={query} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="From engineer to service in production" />}>
        <FunnelSection query={query} />
      </Suspense>
    </>
  )
}

async function UsersSection({ query }: { query: string }) {
  const { monthly, trend, markers, activeShare, comparison } = await loadAdoption(query)
  return (
    <Section
      title="Active engineers"
      lede="Active engineers ÷ engineers on the roster: people on the chosen teams' roster (team memberships) who used the portal (any tracked event), divided by the people on that roster; at most 100%. Per week, the roster is who was on each team on its Monday. Portal users who were not on the roster then are counted apart."
      testId="adoption-users"
    >
      <p className="headline">
        Last four weeks: <span data-testid="adoption-monthly-users">{formatCount(monthly.activeEngineers)}</span> of{' '}
        {formatCount(monthly.engineers)} engineers on the roster used the portal (
        {formatPercent(monthly.activeShare, 0)}, active engineers ÷ engineers on the roster)
        {monthly.otherUsers > 0 ? (
          <>
            , + <span data-testid="adoption-monthly-others">{formatCount(monthly.otherUsers)}</span> other portal{' '}
            {monthly.otherUsers === 1 ? 'user' : 'users'}, not on the roster
          </>
        ) : null}
        .
      </p>
      <p data-testid="adoption-before-now">
        Weekly active engineers ÷ engineers on the roster, the mean of the weeks:{' '}
        {comparison ? <>{formatPercent(activeShare.before, 0)} in the weeks compared with (before), </> : null}
        {formatPercent(activeShare.now, 0)} in the weeks shown{comparison ? ' (now)' : ''}.
      </p>
      <WeeklyChart
        points={trend}
        series={[{ key: 'activeShare', name: 'Weekly active engineers ÷ engineers on the roster' }]}
        kind="lines"
        unit="share"
        markers={markers}
        testId="chart-active-share"
        summary="Weekly active engineers as a share of the engineers on the roster that week"
      />
    </Section>
  )
}

async function CatalogSection({ query }: { query: string }) {
  const { catalog, scaffolder, newServices, trend, markers } = await loadAdoption(query)
  return (
    <Section title="Catalog and templates" testId="adoption-catalog">
      <div className="cards">
        <article className="card">
          <h3>Catalog coverage</h3>
          <p>
            <span className="value" data-testid="adoption-catalog-services">
              {formatCount(catalog.services)}
            </span>{' '}
            services; {formatPercent(catalog.ownedShare, 0)} have an owner, {formatPercent(catalog.docsShare, 0)} have
            docs.
          </p>
        </article>
        <article className="card">
          <h3>Template runs</h3>
          <p>
            <span className="value" data-testid="adoption-scaffolder-runs">
              {formatCount(scaffolder.runs)}
            </span>{' '}
            runs of {scaffolder.templates.length} templates; {formatPercent(scaffolder.successRate, 0)} succeeded
            (cancelled runs not counted); {formatCount(scaffolder.servicesCreated)} services created.
          </p>
        </article>
        <article className="card">
          <h3>New services: template vs by hand</h3>
          <p>
            From a template: {formatCount(newServices.template.services)}, median setup{' '}
            <span data-testid="adoption-setup-template">{formatHours(newServices.template.setupMedianHours)}</span>. By
            hand: {formatCount(newServices.manual.services)}, median setup{' '}
            <span data-testid="adoption-setup-manual">{formatHours(newServices.manual.setupMedianHours)}</span>.
          </p>
        </article>
      </div>
      <div className="chart-grid">
        <div>
          <h3 className="chart-title">Template runs per week</h3>
          <WeeklyChart
            points={trend}
            series={[{ key: 'templateRuns', name: 'Template runs' }]}
            kind="bars"
            unit="count"
            markers={markers}
            testId="chart-template-runs"
            summary="Scaffolder template runs started per week"
          />
        </div>
        <div>
          <h3 className="chart-title">Catalog coverage</h3>
          <WeeklyChart
            points={trend}
            series={[
              { key: 'ownedShare', name: 'With an owner' },
              { key: 'docsShare', name: 'With docs' },
            ]}
            kind="lines"
            unit="share"
            markers={markers}
            testId="chart-catalog-coverage"
            summary="Share of the catalog's services with an owner and with docs, by the week they were in the catalog"
          />
        </div>
      </div>
      <p className="footnote">
        Coverage counts the services in the catalog by each week’s end, with their owner and docs as the catalog says
        now: it keeps no history of when docs were added.
      </p>
    </Section>
  )
}

const templateName = (ref: string) => ref.replace(/^template:(default\/)?/, '')
const pageName = (path: string) => path.replace(/^\/docs\/(default\/)?(component\/)?/, '')

async function TopSection({ query }: { query: string }) {
  const { top } = await loadAdoption(query)
  const lists = [
    {
      title: 'Templates run most',
      testId: 'adoption-top-templates',
      rows: top.templates.map((row) => ({
        key: row.templateRef,
        name: templateName(row.templateRef),
        count: `${formatCount(row.runs)} runs, ${formatCount(row.completed)} completed`,
      })),
    },
    {
      title: 'TechDocs pages read most',
      testId: 'adoption-top-techdocs',
      rows: top.techdocs.map((row) => ({
        key: row.subject,
        name: pageName(row.subject),
        count: `${formatCount(row.events)} views by ${formatCount(row.users)} people`,
      })),
    },
    {
      title: 'Searched for most',
      testId: 'adoption-top-searches',
      rows: top.searches.map((row) => ({
        key: row.subject,
        name: `“${row.subject}”`,
        count: `${formatCount(row.events)} searches by ${formatCount(row.users)} people`,
      })),
    },
  ]
  return (
    <Section
      title="What people use the portal for"
      lede="Over the weeks shown, from the portal's own events and the template runs: the five of each that come up most."
      testId="adoption-top"
    >
      <div className="top-lists">
        {lists.map((list) => (
          <div key={list.title} data-testid={list.testId}>
            <h3 className="chart-title">{list.title}</h3>
            {list.rows.length > 0 ? (
              <ol>
                {list.rows.map((row) => (
                  <li key={row.key}>
                    {row.name}
                    <span className="count">{row.count}</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="empty">None in these weeks.</p>
            )}
          </div>
        ))}
      </div>
    </Section>
  )
}

async function FunnelSection({ query }: { query: string }) {
  const { funnel } = await loadAdoption(query)
  const { shown: rows, total } = firstTeams(
    funnel.filter((row) => row.engineers > 0 || row.otherUsers > 0),
    (a, b) => b.engineers - a.engineers,
  )
  return (
    <Section
      title="From engineer to service in production"
      lede="Per team, over the weeks shown: the engineers on its roster, those of them who used the portal in a week they were on the team, other portal users counted to the team who were not on its roster then, those who ran a template, the services templates created, and those of them in production."
      testId="adoption-funnel"
    >
      <CategoryBars
        data={rows.map((row) => ({
          label: row.team.name,
          engineers: row.engineers,
          active: row.activeEngineers,
          others: row.otherUsers,
          template: row.templateUsers,
          production: row.servicesInProduction,
        }))}
        series={[
          { key: 'engineers', name: 'Engineers on the roster' },
          { key: 'active', name: 'Active engineers' },
          { key: 'others', name: 'Other portal users, not on the roster' },
          { key: 'template', name: 'Ran a template' },
          { key: 'production', name: 'Template services in production' },
        ]}
        unit="count"
        horizontal
        testId="chart-funnel"
        summary="Per team: engineers on the roster, active engineers, other portal users, template users and template services in production"
      />
      <TeamLimitNote shown={rows.length} total={total} order="the largest first" />
    </Section>
  )
}
