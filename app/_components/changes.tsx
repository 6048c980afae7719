import { formatEffect, formatValue } from '../../lib/format'
import { comparableMetric, type MetricKey } from '../../lib/metrics/comparable'
import type { CellFigure, Outcome } from '../../lib/metrics/compare'
import { Effect } from './effect'
import { IntervalPlot } from './interval-plot'

export interface Change {
  key: MetricKey
  figures: { baseline: CellFigure; evaluation: CellFigure }
  outcome: Outcome
}

/** Each metric in the comparison weeks and now, the change with its interval drawn, and the verdict. */
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
                  <Effect outcome={change.outcome} format={format} />
                </td>
                <td className="plot-col">
                  <IntervalPlot outcome={change.outcome} label={`${metric.label}: ${change.outcome.state === 'estimate' ? `${format(change.outcome.estimate.value)}, from ${format(change.outcome.estimate.low)} to ${format(change.outcome.estimate.high)}` : 'not enough data'}`} />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
