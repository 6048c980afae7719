import { pageFilters, type PageFilters as Resolved } from '@/lib/data/page-filters'
import { formatDate } from '@/lib/format'
import { FilterBar } from './filter-bar'

const lastDay = (iso: string) => formatDate(new Date(Date.parse(iso) - 86_400_000))
const span = (from: string, to: string) => `${formatDate(new Date(from))} – ${lastDay(to)}`
const iso = (date: Date) => date.toISOString().slice(0, 10)

/** The weeks in effect; around the launch (the Overview), those it compares: lib/data/filters.ts aroundLaunch. */
function windowOf(filters: Resolved, around: 'filters' | 'launch'): Resolved['window'] {
  if (around === 'filters' || !filters.aroundLaunch) return filters.window
  const { before, after } = filters.aroundLaunch
  return {
    from: after ? iso(after.from) : filters.window.from,
    to: after ? iso(after.to) : filters.window.to,
    compareFrom: iso(before.from),
    compareTo: iso(before.to),
  }
}

/**
 * The filter bar, what the page is about in words, and what in the link could not be read. `around="launch"`:
 * the page compares the weeks since the launch with those before it unless other weeks are chosen.
 */
export async function PageFilters({
  query,
  compare = true,
  around = 'filters',
}: {
  query: string
  compare?: boolean
  around?: 'filters' | 'launch'
}) {
  const filters = await pageFilters(query)
  const window = windowOf(filters, around)
  const cohorts = filters.cohorts
    ? {
        initiative: filters.cohorts.initiative.name,
        pilot: filters.cohorts.pilot.length,
        control: filters.cohorts.control.length,
      }
    : null
  return (
    <div className="filter-panel">
      <FilterBar
        teams={filters.teams}
        groups={filters.groups}
        cohorts={cohorts}
        chosen={filters.chosen}
        window={window}
        launch={filters.launch}
        compare={compare}
      />
      <p className="scope" data-testid="scope">
        <strong>{filters.scope}</strong> · {span(window.from, window.to)}
        {compare && window.compareFrom && window.compareTo ? (
          <> · compared with {span(window.compareFrom, window.compareTo)}</>
        ) : null}
      </p>
      <FilterProblems problems={filters.problems} />
    </div>
  )
}

/** What in the link could not be read; the default is used in its place. */
export function FilterProblems({ problems }: { problems: string[] }) {
  if (problems.length === 0) return null
  return (
    <div className="notice" role="alert" data-testid="filter-problems">
      Part of this link could not be read, so the default is used for it:
      <ul>
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </div>
  )
}

/** The filters of a link in words, for a page that ignores them: "Payments (group) · 5 Jan 2026 – 28 Jun 2026". */
export function filtersInWords(filters: Resolved): string {
  return `${filters.scope} · ${span(filters.window.from, filters.window.to)}`
}

/**
 * On a page the filters do not apply to: which it ignores and why, and that they are kept for the next page
 * (the main nav carries them). Nothing when the link chose no filter.
 */
export async function FiltersIgnored({ query, why }: { query: string; why: string }) {
  if (query === '') return null
  const filters = await pageFilters(query)
  return (
    <div className="filter-panel">
      <p className="scope filters-ignored" role="note" data-testid="filters-ignored">
        <strong>{filtersInWords(filters)}</strong> – this page ignores the teams and weeks chosen, as {why} The nav
        keeps them for the other pages.
      </p>
      <FilterProblems problems={filters.problems} />
    </div>
  )
}
