import { formatEffect, formatEffectInterval, formatValue } from '@/lib/format'
import { comparableMetric, type MetricKey } from '@/lib/metrics/comparable'
import type { CellFigure, Outcome } from '@/lib/metrics/compare'
import { Effect } from './effect'
import { IntervalPlot } from './interval-plot'

export interface Change {
  key: MetricKey
  figures: { baseline: CellFigure; evaluation: CellFigure }
  outcome: Outcome
  /** The verdict holds among all the table states (5% family-wise, lib/metrics/compare.ts withClaims). */
  confirmed: boolean
}

/**
 * Each metric in the comparison weeks and now, the change with its interval drawn, and the verdict: "better"
 * or "worse" only for a change confirmed among all the rows (the chance that any of them is false is held at
 * 5%); an interval that excludes no change without that reads "not confirmed".
 */
export function ChangeTable({ changes, testId }: { changes: Change[]; testId: string }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Compared weeks</th>
            <th scope="col">Weeks shown</th>
            <th scope="col">Change, 95% interval</th>
            <th scope="col" className="plot-col">
              Interval against no change
            </th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => {
            const metric = comparableMetric(change.key)
            const format = (value: number) => formatEffect(metric.scale, metric.unit, value)
            const estimate = change.outcome.state === 'estimate' ? change.outcome.estimate : null
            const interval = estimate
              ? formatEffectInterval(metric.scale, metric.unit, estimate.low, estimate.high)
              : ''
            return (
              <tr key={change.key} data-testid={`change-${change.key}`}>
                <th scope="row">{metric.label}</th>
                <td>
                  <span className="value">{formatValue(metric.unit, change.figures.baseline.value)}</span>
                  <span className="sample">{change.figures.baseline.sample}</span>
                </td>
                <td>
                  <span className="value" data-testid={`change-${change.key}-now`}>
                    {formatValue(metric.unit, change.figures.evaluation.value)}
                  </span>
                  <span className="sample">{change.figures.evaluation.sample}</span>
                </td>
                <td className="effect">
                  <Effect
                    outcome={change.outcome}
                    format={format}
                    interval={interval}
                    claim={change.confirmed ? 'confirmed' : 'not_confirmed'}
                  />
                </td>
                <td className="plot-col">
                  <IntervalPlot
                    outcome={change.outcome}
                    label={`${metric.label}: ${estimate ? `${format(estimate.value)}, 95% interval ${interval}` : 'not enough data'}`}
                    tone={change.confirmed || !estimate ? undefined : 'unconfirmed'}
                  />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <p className="footnote">
        “Better” or “worse” only where the change holds among all {changes.length} rows: the chance that any of them is
        false is held at 5% (Holm). These compare the teams shown with themselves, before and after; an initiative
        compares its pilot with its control teams. <a href="/api/docs/metrics.md">Definitions</a>.
      </p>
    </div>
  )
}
