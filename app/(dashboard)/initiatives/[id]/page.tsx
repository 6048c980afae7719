import Link from 'next/link'
import { notFound } from 'next/navigation'
import { cache, Suspense } from 'react'
import { Effect } from '../../../_components/effect'
import { IntervalPlot } from '../../../_components/interval-plot'
import { Section, SectionSkeleton } from '../../../_components/section'
import { readInitiative, type InitiativeMetric } from '../../../../lib/data/initiative'
import { useCaseLabels } from '../../../../lib/domain'
import { formatDate, formatEffect, formatInterval, formatValue } from '../../../../lib/format'
import { guardPage } from '../../../../lib/auth/guard'

export const metadata = { title: 'Initiative' }

const loadInitiative = cache((id: number) => readInitiative(id))

/** The verdict in one plain sentence, as a director would say it. */
function verdictSentence(metric: InitiativeMetric): string {
  const { outcome } = metric
  if (outcome.state === 'not_enough_data') return `${metric.label}: not enough data yet (${outcome.reason}).`
  const format = (value: number) => formatEffect(metric.scale, metric.unit, value)
  const interval = `95% interval ${format(outcome.estimate.low)} to ${format(outcome.estimate.high)}`
  if (outcome.verdict === 'no_clear_change') return `${metric.label}: no clear change for the pilot teams beyond what the control teams saw (${format(outcome.estimate.value)}; ${interval}, which includes no change).`
  const word = outcome.verdict === 'improved' ? 'improved' : 'got worse'
  return `${metric.label} ${word} for the pilot teams by ${format(outcome.estimate.value)} beyond the change in the control teams (${interval}).`
}

export default async function InitiativePage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await guardPage('viewer')
  const { id } = await params
  if (!/^\d{1,9}$/.test(id)) notFound()
  const initiative = await loadInitiative(Number(id))
  if (!initiative) notFound()
  const pilots = initiative.teams.filter((team) => team.role === 'pilot')
  const controls = initiative.teams.filter((team) => team.role === 'control')
  return (
    <>
      <header className="page-header">
        <h1>{initiative.name}</h1>
        <p>
          {useCaseLabels[initiative.useCase]} · launched {formatDate(initiative.launchDate)} · baseline {formatInterval(initiative.baseline)} · evaluation {formatInterval(initiative.evaluation)}
          {viewer.role === 'admin' ? (
            <>
              {' · '}
              <Link href={`/initiatives/${initiative.id}/edit`}>Edit</Link>
            </>
          ) : null}
        </p>
        {initiative.description ? <p>{initiative.description}</p> : null}
      </header>
      <Section title="Teams" testId="initiative-teams">
        <p>
          <strong>Pilot:</strong> <span data-testid="initiative-pilots">{pilots.map((team) => team.name).join(', ') || 'none'}</span>. <strong>Control:</strong>{' '}
          <span data-testid="initiative-controls">{controls.map((team) => team.name).join(', ') || 'none'}</span>.
        </p>
      </Section>
      <Suspense fallback={<SectionSkeleton title="What changed" />}>
        <ComparisonSection id={initiative.id} />
      </Suspense>
    </>
  )
}

async function ComparisonSection({ id }: { id: number }) {
  const initiative = await loadInitiative(id)
  if (!initiative) return null
  const primary = initiative.metrics.filter((metric) => metric.primary)
  return (
    <Section
      title="What changed"
      lede="Each metric for the pilot and the control teams, before (baseline) and after (evaluation). The estimate is the pilot’s change minus the control’s (difference-in-differences), with its 95% interval from resampling."
      testId="initiative-comparison"
    >
      <ul className="verdicts" data-testid="initiative-verdicts">
        {primary.map((metric) => (
          <li key={metric.key} className={metric.outcome.state === 'estimate' ? metric.outcome.verdict : 'unknown'}>
            {verdictSentence(metric)}
          </li>
        ))}
      </ul>
      <div className="table-wrap">
        <table className="table" data-testid="initiative-metrics">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Pilot, before</th>
              <th scope="col">Pilot, after</th>
              <th scope="col">Control, before</th>
              <th scope="col">Control, after</th>
              <th scope="col">Pilot vs control</th>
              <th scope="col" className="plot-col">
                Interval against no change
              </th>
            </tr>
          </thead>
          <tbody>
            {initiative.metrics.map((metric) => {
              const format = (value: number) => formatEffect(metric.scale, metric.unit, value)
              const cell = (key: keyof InitiativeMetric['figures']) => (
                <td data-testid={`metric-${metric.key}-${key}`}>
                  <span className="value">{formatValue(metric.unit, metric.figures[key].value)}</span>
                  <span className="sample">{metric.figures[key].sample}</span>
                </td>
              )
              return (
                <tr key={metric.key} className={metric.primary ? 'primary' : undefined} data-testid={`metric-${metric.key}`}>
                  <th scope="row">
                    {metric.label}
                    {metric.primary ? <span className="tag">judged by</span> : null}
                  </th>
                  {cell('pilotBaseline')}
                  {cell('pilotEvaluation')}
                  {cell('controlBaseline')}
                  {cell('controlEvaluation')}
                  <td className="effect">
                    <Effect outcome={metric.outcome} format={format} />
                  </td>
                  <td className="plot-col">
                    <IntervalPlot outcome={metric.outcome} label={verdictSentence(metric)} />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </Section>
  )
}
