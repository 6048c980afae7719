import type { Outcome } from '../../lib/metrics/compare'

const VERDICT_WORDS = { improved: 'better', worsened: 'worse', no_clear_change: 'no clear change' } as const

/** An estimated change with its 95% interval and verdict, or why there is not enough data to say. */
export function Effect({ outcome, format }: { outcome: Outcome; format: (value: number) => string }) {
  if (outcome.state === 'not_enough_data') {
    return (
      <span className="change unchanged" title={outcome.reason}>
        not enough data <span className="sample">{outcome.reason}</span>
      </span>
    )
  }
  const { estimate, verdict } = outcome
  return (
    <>
      <span className={`change ${verdict === 'no_clear_change' ? 'unchanged' : verdict}`} data-verdict={verdict}>
        {format(estimate.value)}
      </span>
      <span className="sample">
        {VERDICT_WORDS[verdict]} · 95% interval {format(estimate.low)} to {format(estimate.high)}
        {estimate.permutationP !== null ? ` · ${estimate.permutationP < 0.001 ? 'p < 0.001' : `p = ${estimate.permutationP.toFixed(3)}`}` : ''}
      </span>
    </>
  )
}
