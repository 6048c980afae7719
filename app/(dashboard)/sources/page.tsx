import { cache, Suspense } from 'react'
import { Section, SectionSkeleton } from '@/app/_components/section'
import { getSourcesPage, type SourceStatus } from '@/lib/data/sources'
import { importKinds } from '@/lib/domain'
import { formatAge, formatCount, formatDuration, formatTime } from '@/lib/format'
import { CsvUpload } from './csv-upload'
import { guardPage } from '@/lib/auth/guard'
import { FiltersIgnored } from '@/app/_components/page-filters'
import { filterQuery, type SearchParams } from '@/lib/data/page-filters'

export const metadata = { title: 'Data sources' }

const loadSources = cache(() => getSourcesPage())

export default async function SourcesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('admin')
  const query = filterQuery(await searchParams)
  return (
    <>
      <header className="page-header">
        <h1>Data sources</h1>
        <p>How fresh each source’s data is, its last runs with what they wrote and what failed, and CSV imports.</p>
      </header>
      <FiltersIgnored query={query} why="each sync collects every team’s data." />
      <Suspense fallback={<SectionSkeleton title="Sources" />}>
        <SourcesSection />
      </Suspense>
      <Section
        title="Import a CSV file"
        lede="Check a file first: every problem is listed with its line and column, and nothing is written until the whole file is valid."
        testId="csv-upload"
      >
        <CsvUpload kinds={[...importKinds]} />
      </Section>
      <Suspense fallback={<SectionSkeleton title="Imports" />}>
        <ImportsSection />
      </Suspense>
    </>
  )
}

async function SourcesSection() {
  const page = await loadSources()
  const now = new Date()
  return (
    <div className="sources">
      {page.sources.map((source) => (
        <SourceCard
          key={source.key}
          source={source}
          now={now}
          webhooks={source.key === 'github' ? page.webhooks : null}
        />
      ))}
    </div>
  )
}

function SourceCard({
  source,
  now,
  webhooks,
}: {
  source: SourceStatus
  now: Date
  webhooks: Awaited<ReturnType<typeof getSourcesPage>>['webhooks'] | null
}) {
  const last = source.last
  return (
    <Section title={source.label} testId={`source-${source.key}`}>
      <dl className="facts">
        <div>
          <dt>Fresh as of</dt>
          <dd data-testid={`fresh-${source.key}`}>
            {source.freshAt ? `${formatAge(source.freshAt, now)} (${formatTime(source.freshAt)})` : 'never collected'}
          </dd>
        </div>
        <div>
          <dt>Last run</dt>
          <dd>
            {last ? (
              <>
                <span className={`status status-${last.status}`} data-testid={`last-status-${source.key}`}>
                  {last.status}
                </span>{' '}
                {formatAge(last.startedAt, now)}
                {last.finishedAt
                  ? `, took ${formatDuration(last.finishedAt.getTime() - last.startedAt.getTime())}`
                  : ''}
              </>
            ) : (
              'none'
            )}
          </dd>
        </div>
        {source.collected.map((item) => (
          <div key={item.label}>
            <dt>{item.label}</dt>
            <dd data-testid={`count-${source.key}-${item.label.replaceAll(' ', '-')}`}>{formatCount(item.count)}</dd>
          </div>
        ))}
        {webhooks ? (
          <div>
            <dt>Webhooks</dt>
            <dd>
              {webhooks.lastReceived ? `last ${formatAge(webhooks.lastReceived, now)}` : 'none received'};{' '}
              {webhooks.pending} queued
              {webhooks.failedLastDay ? `, ${webhooks.failedLastDay} failed today` : ''}
            </dd>
          </div>
        ) : null}
      </dl>
      {last?.error ? (
        <p className="error-text" role="status">
          {last.error}
        </p>
      ) : null}
      {last && last.failures.length > 0 ? (
        <ul className="failures">
          {last.failures.slice(0, 10).map((failure) => (
            <li key={failure.item}>
              <strong>{failure.item}</strong>: {failure.error}
            </li>
          ))}
        </ul>
      ) : null}
      {source.runs.length > 0 ? (
        <RunTable runs={source.runs} caption={`${source.label}: latest runs`} />
      ) : (
        <p className="empty">
          No run yet: see docs/sources.md to connect it, then <code>npm run collect -- {source.key}</code>.
        </p>
      )}
      {source.scopes.length > 0 ? (
        <p className="footnote">
          {source.scopes
            .map(
              (scope) =>
                `${scope.scope}: ${scope.resuming ? 'a pass to resume' : scope.watermark ? `complete to ${formatTime(scope.watermark)}` : 'not yet complete'}`,
            )
            .join(' · ')}
        </p>
      ) : null}
    </Section>
  )
}

function RunTable({ runs, caption }: { runs: SourceStatus['runs']; caption: string }) {
  return (
    // a phone scrolls the table sideways: a named region the keyboard can reach and scroll
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="runs">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Scope</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Created
            </th>
            <th scope="col" className="num">
              Updated
            </th>
            <th scope="col" className="num">
              Unchanged
            </th>
            <th scope="col" className="num">
              Failed
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <td>{formatTime(run.startedAt)}</td>
              <td>{run.scope}</td>
              <td>
                <span className={`status status-${run.status}`}>{run.status}</span>
              </td>
              <td className="num">{formatCount(run.created)}</td>
              <td className="num">{formatCount(run.updated)}</td>
              <td className="num">{formatCount(run.skipped)}</td>
              <td className="num">{formatCount(run.failed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

async function ImportsSection() {
  const page = await loadSources()
  return (
    <Section
      title="Imports"
      lede={page.importCounts.map((item) => `${formatCount(item.count)} ${item.label}`).join(' · ')}
      testId="imports"
    >
      {page.imports.length ? (
        <RunTable runs={page.imports} caption="Latest CSV imports" />
      ) : (
        <p className="empty">No file imported yet.</p>
      )}
      {page.imports.find((run) => run.error) ? (
        <p className="footnote">Last problem: {page.imports.find((run) => run.error)?.error}</p>
      ) : null}
    </Section>
  )
}
