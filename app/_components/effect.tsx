import type { Outcome } from '@/lib/metrics/compare'

const VERDICT_WORDS = { improved: 'better', worsened: 'worse', no_clear_change: 'no clear change' } as const

/**
 * An estimated change with its 95% interval and verdict, or why there is not enough data to say. `claim` is
 * what the family-wise rule made of it where the page states several verdicts: a change it did not confirm
 * reads "not confirmed", an exploratory one "exploratory"; `interval` the interval as printed (so an interval
 * that excludes no change visibly does).
 */
export function Effect({
  outcome,
  format,
  interval,
  claim,
}: {
  outcome: Outcome
  format: (value: number) => string
  interval?: string
  claim?: 'confirmed' | 'not_confirmed' | 'exploratory'
}) {
  if (outcome.state === 'not_enough_data') {
    return (
      <span className="change unchanged" title={outcome.reason}>
        not enough data <span className="sample">{outcome.reason}</span>
      </span>
    )
  }
  const { estimate, verdict } = outcome
  const shown =
    verdict === 'no_clear_change'
      ? VERDICT_WORDS[verdict]
      : claim === 'not_confirmed'
        ? 'not confirmed'
        : claim === 'exploratory'
          ? `exploratory (${VERDICT_WORDS[verdict]})`
          : VERDICT_WORDS[verdict]
  const tone =
    verdict === 'no_clear_change' || claim === 'not_confirmed' || claim === 'exploratory' ? 'unchanged' : verdict
  return (
    <>
      <span className={`change ${tone}`} data-verdict={claim === 'not_confirmed' ? 'not_confirmed' : verdict}>
        {format(estimate.value)}
      </span>
      <span className="sample">
        {shown} · 95% interval {interval ?? `${format(estimate.low)} to ${format(estimate.high)}`}
        {estimate.permutationP !== null
          ? ` · ${estimate.permutationP < 0.001 ? 'p < 0.001' : `p = ${estimate.permutationP.toFixed(3)}`}`
          : ''}
      </span>
    </>
  )
}
