import { formatEffect, formatEffectInterval } from '@/lib/format'
import { whenKnown } from '@/lib/data/claim-text'
import type { InitiativeMetric } from '@/lib/data/initiative'
import { claimP } from '@/lib/metrics/compare'
import { formatP, formatPValue } from '@/lib/stats/claims'

/** The verdict in one plain sentence, as a director would say it, with how sure and why. */
export function verdictSentence(metric: InitiativeMetric): string {
  const { outcome } = metric
  if (outcome.state === 'not_enough_data') return `${metric.label}: not enough data yet (${outcome.reason}).`
  const format = (value: number) => formatEffect(metric.scale, metric.unit, value)
  const interval = `95% interval ${formatEffectInterval(metric.scale, metric.unit, outcome.estimate.low, outcome.estimate.high)}`
  if (metric.role === 'exploratory')
    return `${metric.label}: ${format(outcome.estimate.value)} beyond the control teams (${interval}); exploratory, not tested for a claim.`
  if (metric.confirmed && outcome.verdict !== 'no_clear_change') {
    const word = outcome.verdict === 'improved' ? 'improved' : 'got worse'
    return `${metric.label} ${word} for the pilot teams: ${format(outcome.estimate.value)} beyond the change in the control teams (${interval}; confirmed: ${formatPValue(claimP(outcome.estimate))}, within the ${formatP(metric.claim.level ?? 0.05)} its place among ${metric.claim.familySize} requires).`
  }
  if (metric.preTrend.state === 'diverged')
    return `${metric.label}: ${format(outcome.estimate.value)} (${interval}), but not claimed: pilot and control teams already moved apart before the launch.`
  if (outcome.verdict === 'no_clear_change')
    return `${metric.label}: no clear change for the pilot teams beyond what the control teams saw (${format(outcome.estimate.value)}; ${interval}, which includes no change).`
  return `${metric.label}: ${format(outcome.estimate.value)} (${interval}), not confirmed: ${metric.claim.why}.`
}

/** Every stated metric's verdict, primary metrics first, each with what it would take to know. */
export function Verdicts({ metrics }: { metrics: InitiativeMetric[] }) {
  const stated = metrics.filter((metric) => metric.role !== 'exploratory')
  return (
    <ul className="verdicts" data-testid="initiative-verdicts">
      {stated.map((metric) => {
        const known = metric.confirmed ? null : whenKnown(metric)
        const tone =
          metric.outcome.state !== 'estimate' ? 'unknown' : metric.confirmed ? metric.outcome.verdict : 'unconfirmed'
        return (
          <li key={metric.key} className={tone} data-key={metric.key} data-claim={metric.claim.status}>
            {metric.primary ? <span className="tag">primary</span> : null} {verdictSentence(metric)}
            {known ? <span className="sample"> When will we know: {known}.</span> : null}
          </li>
        )
      })}
    </ul>
  )
}
