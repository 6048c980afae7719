import Link from 'next/link'
import { getInitiativeList } from '@/lib/data/initiative'
import { formatDate, formatInterval } from '@/lib/format'
import { parseIsoDate } from '@/lib/dates'
import { useCaseLabels } from '@/lib/domain'
import { Section } from '@/app/_components/section'
import { guardPage } from '@/lib/auth/guard'
import { FiltersIgnored } from '@/app/_components/page-filters'
import { filterQuery, type SearchParams } from '@/lib/data/page-filters'

export const metadata = { title: 'Initiatives' }

export default async function InitiativesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await guardPage('viewer')
  const query = filterQuery(await searchParams)
  const initiatives = await getInitiativeList()
  return (
    <>
      <header className="page-header">
        <h1>Initiatives</h1>
        <p>
          Pilots of the portal: some teams adopt it for one use case, control teams do not yet. Each is judged pilot
          against control, after against before.
        </p>
      </header>
      <FiltersIgnored
        query={query}
        why="each initiative names its own pilot and control teams and its own before and after weeks."
      />
      {viewer.role === 'admin' ? (
        <p>
          <Link href="/initiatives/new" className="button">
            New initiative
          </Link>
        </p>
      ) : null}
      <Section title="All initiatives" testId="initiatives-list">
        {initiatives.length === 0 ? (
          <p className="empty">
            No initiative yet. Create one for the teams that pilot the portal, with teams that do not as the control.
          </p>
        ) : (
          <div className="table-wrap">
            {/* .stack: on a phone each initiative is a card with its cells labelled (globals.css) */}
            <table className="table stack">
              <thead>
                <tr>
                  <th scope="col">Initiative</th>
                  <th scope="col">Use case</th>
                  <th scope="col">Launch</th>
                  <th scope="col">Baseline</th>
                  <th scope="col">Evaluation</th>
                </tr>
              </thead>
              <tbody>
                {initiatives.map((initiative) => (
                  <tr key={initiative.id}>
                    <th scope="row">
                      <Link href={`/initiatives/${initiative.id}`}>{initiative.name}</Link>
                    </th>
                    <td data-label="Use case">{useCaseLabels[initiative.useCase]}</td>
                    <td data-label="Launch">{formatDate(parseIsoDate(initiative.launchDate))}</td>
                    <td data-label="Baseline">
                      {formatInterval({
                        from: parseIsoDate(initiative.baselineStart),
                        to: parseIsoDate(initiative.baselineEnd),
                      })}
                    </td>
                    <td data-label="Evaluation">
                      {formatInterval({
                        from: parseIsoDate(initiative.evaluationStart),
                        to: parseIsoDate(initiative.evaluationEnd),
                      })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </>
  )
}
