import { pageFilters } from '../../lib/data/page-filters'
import { formatDate } from '../../lib/format'
import { FilterBar } from './filter-bar'

const lastDay = (iso: string) => formatDate(new Date(Date.parse(iso) - 86_400_000))
const span = (from: string, to: string) => `${formatDate(new Date(from))} – ${lastDay(to)}`

/** The filter bar, what the page is about in words, and what in the link could not be read. */
export async function PageFilters({ query, compare = true }: { query: string; compare?: boolean }) {
  const filters = await pageFilters(query)
  const { window } = filters
  return (
    <div className="filter-panel">
      <FilterBar teams={filters.teams} groups={filters.groups} chosen={filters.chosen} window={window} launch={filters.launch} compare={compare} />
      <p className="scope" data-testid="scope">
        <strong>{filters.scope}</strong> · {span(window.from, window.to)}
        {compare && window.compareFrom && window.compareTo ? <> · compared with {span(window.compareFrom, window.compareTo)}</> : null}
      </p>
      {filters.problems.length > 0 ? (
        <div className="notice" role="alert" data-testid="filter-problems">
          Part of this link could not be read, so the default is used for it:
          <ul>
            {filters.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  )
}
