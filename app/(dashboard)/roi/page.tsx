import Link from 'next/link'
import { Section } from '@/app/_components/section'
import { getRoi, getRoiAssumptions } from '@/lib/data/roi'
import { readReport } from '@/lib/data/report'
import { formatDate, formatTime } from '@/lib/format'
import { assumptionSpecs, costPresets, describeAssumption, type AssumptionKey } from '@/lib/roi/assumptions'
import { roiFigures } from '@/lib/roi/figures'
import { AssumptionsForm } from './assumptions-form'
import { RoiFigureList } from './roi-figures'
import { guardPage } from '@/lib/auth/guard'
import { FiltersIgnored } from '@/app/_components/page-filters'
import { FreshnessNote } from '@/app/_components/freshness-note'
import { filterQuery, type SearchParams } from '@/lib/data/page-filters'

export const metadata = { title: 'ROI assumptions' }

export default async function RoiPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await guardPage('viewer')
  const query = filterQuery(await searchParams)
  // The one-pager's money (its initiative's measured effects, the saved assumptions), so the figures here are its figures.
  // The form shows the assumptions as stored now, never the one-pager's (which may be its last answer while a new
  // one computes): saving must compare with what is stored.
  const [report, current] = await Promise.all([readReport(), getRoiAssumptions()])
  const roi = report.state === 'ready' ? report.roi : await getRoi([])
  const initiative = report.state === 'ready' ? report.initiative.name : null
  const { list, history } = current
  const saved = { values: current.values, figures: roiFigures(roi.result) }
  return (
    <>
      <header className="page-header">
        <h1>ROI assumptions</h1>
        <p>
          What an engineer’s day costs, what the portal costs, and what a study measured: the money model multiplies the
          measured effects by these. Every change is kept with who made it and when, and the{' '}
          <Link href="/report">one-pager</Link> lists the ones it used.
        </p>
      </header>
      <FiltersIgnored query={query} why="the assumptions hold for the whole organisation." />
      <FreshnessNote freshness={report.freshness} />
      {viewer.role === 'admin' ? (
        <AssumptionsForm
          fields={list.map(({ key, label, unit, help, value }) => ({
            key,
            label,
            unit,
            help,
            value,
            // the cost presets, from the seed's back-of-the-napkin figures, by name
            ...(key === 'cost_preset'
              ? {
                  options: Object.entries(costPresets).map(([preset, { label: name }]) => ({
                    value: preset,
                    label: name,
                  })),
                }
              : {}),
          }))}
          measured={roi.inputs}
          saved={saved}
          initiative={initiative}
        />
      ) : (
        <>
          <Section
            title="What they give"
            lede={
              initiative
                ? `On the measured effects of ${initiative}, the one-pager’s initiative, over the organisation’s last year.`
                : 'No initiative yet: only the cost is known.'
            }
            testId="roi-result"
          >
            <RoiFigureList figures={saved.figures} testId="roi-saved" />
          </Section>
          <Section title="Assumptions in use" lede="Only an admin may change them." testId="assumptions-read-only">
            <dl className="facts">
              {list.map((row) => (
                <div key={row.key}>
                  <dt>{row.label}</dt>
                  <dd>{describeAssumption(row.key, row.value, row.unit)}</dd>
                </div>
              ))}
            </dl>
          </Section>
        </>
      )}
      <Section title="Changes" testId="assumption-history">
        {history.length === 0 ? (
          <p className="empty">No change yet: every value is its default ({formatDate(new Date())}).</p>
        ) : (
          <div className="table-wrap">
            {/* .stack: one card per change on a phone (globals.css) */}
            <table className="table stack">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Assumption</th>
                  <th scope="col">Value</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {history.map((row) => (
                  <tr key={`${row.key}-${row.changedAt.toISOString()}`}>
                    <td data-label="When">{formatTime(row.changedAt)}</td>
                    <td data-label="Who">{row.changedBy}</td>
                    <th scope="row">{assumptionSpecs[row.key as AssumptionKey]?.label ?? row.key}</th>
                    <td data-label="Value">{describeAssumption(row.key, row.value, row.unit)}</td>
                    <td data-label="Why">{row.note ?? ''}</td>
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
