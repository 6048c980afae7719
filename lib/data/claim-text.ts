// The words of a claim, shared by the initiative page and the one-pager so both say the same thing: the
// headline sentence of a confirmed change (its direction word follows the difference-in-differences), why a
// stated metric is not confirmed, what it would take to know, and what a tile shows. Pure.
import { formatEffect, formatEffectInterval, formatValue } from '@/lib/format'
import type { MetricKey } from '@/lib/metrics/comparable'
import { claimP } from '@/lib/metrics/compare'
import { formatPValue } from '@/lib/stats/claims'
import type { InitiativeMetric } from './initiative'

/** How the one-pager names each metric (the seed's wording). */
export const PHRASES: Partial<Record<MetricKey, string>> = {
  days_to_first_merge: 'Ramp-up (days to first merged PR)',
  deployment_frequency: 'Ship frequency (deployments per service-week)',
  lead_time: 'Lead time (median, first commit to production)',
  time_to_restore: 'Mean time to restore',
  change_fail_rate: 'Change fail rate',
  dx_score: 'DX score',
  docs_score: 'Finding documentation (survey)',
  service_setup_time: 'New service setup time',
}

/** What a tile says: a confirmed change, one the interval shows but the family-wise rule does not confirm, or none. */
export type TileVerdict = 'improved' | 'worsened' | 'not_confirmed' | 'no_clear_change'

/**
 * "Ramp-up (days to first merged PR) improved: −3.9 days beyond the control teams (95% interval −6.0 to
 * −1.8 days); pilot teams 12.5 → 4.7 days." The direction word follows the
 * difference-in-differences (never the pilot's own before and after, which can fall while the control falls
 * further), and only a confirmed change gets a sentence.
 */
export function headlineSentence(metric: InitiativeMetric): string | null {
  if (!metric.confirmed || metric.outcome.state !== 'estimate' || metric.outcome.verdict === 'no_clear_change')
    return null
  const { estimate, verdict } = metric.outcome
  const name = PHRASES[metric.key] ?? metric.label
  const value = (figure: { value: number | null }) => formatValue(metric.unit, figure.value)
  const word = verdict === 'improved' ? 'improved' : 'worsened'
  const interval = formatEffectInterval(metric.scale, metric.unit, estimate.low, estimate.high)
  return `${name} ${word}: ${formatEffect(metric.scale, metric.unit, estimate.value)} beyond the control teams (95% interval ${interval}); pilot teams ${value(metric.figures.pilotBaseline)} → ${value(metric.figures.pilotEvaluation)}.`
}

/** Why a stated metric is not confirmed, in a clause. */
export function whyUnclear(metric: InitiativeMetric): string {
  if (metric.outcome.state === 'not_enough_data') return metric.outcome.reason
  const { estimate, verdict } = metric.outcome
  const effect = (value: number) => formatEffect(metric.scale, metric.unit, value)
  const interval = formatEffectInterval(metric.scale, metric.unit, estimate.low, estimate.high)
  if (metric.preTrend.state === 'diverged')
    return `${effect(estimate.value)}, but pilot and control teams already moved apart before the launch`
  if (verdict === 'no_clear_change') return `${effect(estimate.value)}; its interval, ${interval}, includes no change`
  return `${effect(estimate.value)}, interval ${interval}, not confirmed: ${metric.claim.why ?? formatPValue(claimP(estimate))}`
}

/** What it would take to know, in a clause; null when there is nothing useful to say. */
export function whenKnown(metric: InitiativeMetric): string | null {
  const needed = metric.stillNeeded
  if (!needed || metric.outcome.state !== 'estimate') return null
  const effect = (value: number) => formatEffect(metric.scale, metric.unit, value)
  const smallest = `smallest change the data can detect now: ${effect(needed.minimumDetectable).replace(/^[+−]/, '±')}`
  return needed.more
    ? `${needed.more} would confirm ${effect(metric.outcome.estimate.value)} (${smallest})`
    : `${needed.note ?? ''} (${smallest})`
}

/** What it would take to know, in a few words: "≈9.8× today's data (detects ±12.1 days now)". */
export function whenKnownBrief(metric: InitiativeMetric): string | null {
  const needed = metric.stillNeeded
  if (!needed) return null
  return `${needed.brief} (detects ${formatEffect(metric.scale, metric.unit, needed.minimumDetectable).replace(/^[+−]/, '±')} now)`
}

/** The verdict a tile shows: confirmed changes by direction; a change the interval shows but the rule does not confirm. */
export function tileVerdict(metric: InitiativeMetric): TileVerdict {
  if (metric.outcome.state !== 'estimate' || metric.outcome.verdict === 'no_clear_change') return 'no_clear_change'
  return metric.confirmed ? metric.outcome.verdict : 'not_confirmed'
}
