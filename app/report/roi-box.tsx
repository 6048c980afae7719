// The one-pager's money: the verdict line for the top, and the "What it is worth, a year" box. Server
// components fed by the ROI read model; every figure comes from lib/roi (the money rule: likely counts confirmed
// effects only, and net, ROI and payback are worked from the same pairs, so they cannot contradict each other).
import type { RoiView } from '@/lib/data/roi'
import { formatCount, formatDate, formatMoney } from '@/lib/format'
import { assumptionSpecs, costPresets, type AssumptionKey } from '@/lib/roi/assumptions'
import { moneyRange, roiFigures } from '@/lib/roi/figures'
import { breakEvenSentence, roiVerdict } from '@/lib/roi/verdict'
import { MoneyText } from '@/app/_components/money-text'

/** The one line at the top of the one-pager: pays, not yet shown, or a loss, from the model only. */
export function RoiVerdictLine({ roi }: { roi: RoiView }) {
  const verdict = roiVerdict(roi.result)
  return (
    <p className={`roi-verdict ${verdict.tone}`} data-testid="report-verdict" data-tone={verdict.tone}>
      <MoneyText>{`${verdict.sentence}.`}</MoneyText>
    </p>
  )
}

export function RoiBox({ roi }: { roi: RoiView }) {
  const { result } = roi
  // The FTE figures and the break-even use an engineer's daily cost and the working weeks, whatever is counted.
  const used = new Set<AssumptionKey>([
    'engineer_daily_cost',
    'working_weeks_per_year',
    ...result.costUses,
    ...result.benefits.filter((b) => b.value).flatMap((b) => b.uses),
  ])
  const assumptionsUsed = roi.assumptions.list.filter((one) => used.has(one.key))
  const figures = roiFigures(result)
  return (
    <section className="roi" data-testid="report-roi">
      <h2>What it is worth, a year</h2>
      <div className="roi-grid">
        <p data-testid="report-roi-value">
          <span className="label">Value</span>
          <strong className="figure-nowrap">{figures.value.likely}</strong>
          <span className="range">
            <MoneyText>{figures.value.range}</MoneyText>
          </span>
          <span className="range">{figures.value.ftes}</span>
        </p>
        <p>
          <span className="label">Cost</span>
          <strong className="figure-nowrap">{figures.cost.likely}</strong>
          <span className="range">
            <MoneyText>{figures.cost.range}</MoneyText>
          </span>
        </p>
        <p data-testid="report-roi-net">
          <span className="label">Net</span>
          <strong className="figure-nowrap">{figures.net.likely}</strong>
          <span className="range">
            <MoneyText>{figures.net.range}</MoneyText>
          </span>
        </p>
        <p data-testid="report-roi-percent">
          <span className="label">ROI</span>
          <strong className="figure-nowrap">{figures.roi.likely}</strong>
          <span className="range">{figures.roi.range}</span>
        </p>
        <p data-testid="report-roi-payback">
          <span className="label">Payback</span>
          <strong className="figure-nowrap">{figures.payback.likely}</strong>
          {figures.payback.never ? (
            <span className="range">
              <MoneyText>{`never: ${figures.payback.never}`}</MoneyText>
            </span>
          ) : null}
          <span className="range">{figures.payback.range}</span>
        </p>
      </div>
      <p className="break-even" data-testid="report-break-even">
        <MoneyText>{`${breakEvenSentence(result)}: ${formatMoney(result.breakEven.value)} a year at ${formatMoney(result.fteYearCost)} an FTE-year.`}</MoneyText>
      </p>
      <ul className="benefits">
        {result.benefits.map((benefit) => (
          <li key={benefit.key} className={benefit.confirmed === false ? 'not-confirmed' : undefined}>
            <strong>{benefit.label}:</strong>{' '}
            <MoneyText>
              {benefit.value
                ? `${formatMoney(benefit.value.likely)} (${moneyRange(benefit.value)}) = ${benefit.formula}`
                : `not counted: ${benefit.reason}`}
            </MoneyText>
            {benefit.value && benefit.confirmed === false
              ? ' (not confirmed: counted 0 in likely, its interval in the range)'
              : ''}
            .
          </li>
        ))}
      </ul>
      <p className="assumptions" data-testid="report-assumptions">
        <strong>Assumptions used:</strong>{' '}
        {assumptionsUsed
          .map(
            (one) =>
              `${one.label}: ${one.key === 'cost_preset' ? costPresets[one.value as 0 | 1 | 2 | 3]?.name : formatCount(one.value)} ${one.key === 'cost_preset' ? '' : assumptionSpecs[one.key].unit} (${one.set ? `set by ${one.set.by} on ${formatDate(one.set.at)}` : 'default'})`,
          )
          .join('; ')}
        . Counts from the last year of data: {formatCount(roi.counts.engineers)} engineers,{' '}
        {formatCount(roi.counts.hiresPerYear)} hires, {formatCount(roi.counts.incidentsPerYear)} incidents,{' '}
        {formatCount(roi.counts.servicesFromTemplatesPerYear)} services from templates.
      </p>
    </section>
  )
}
