import type { DoraKey, DoraKeyFigures } from '@/lib/data/overview'
import {
  formatCount,
  formatEffect,
  formatEffectInterval,
  formatHours,
  formatMinutes,
  formatPercent,
  formatPerWeek,
  type MetricUnit,
} from '@/lib/format'
import type { TierKey, TierRating } from '@/lib/metrics/tiers'
import { Effect } from './effect'
import { TierBadge } from './tier-badge'

const DORA_KEYS: Record<
  DoraKey,
  {
    label: string
    definition: string
    unit: string
    format: (value: number | null) => string
    scale: 'relative' | 'absolute'
    metricUnit: MetricUnit
  }
> = {
  deployment_frequency: {
    label: 'Deployment frequency',
    definition:
      'Successful production deployments per week, all teams: the organisation before and after (an initiative counts per service-week, pilot beyond control).',
    unit: 'deployments',
    format: formatPerWeek,
    scale: 'relative',
    metricUnit: 'per_week',
  },
  lead_time: {
    label: 'Change lead time',
    definition: 'Median time from a change’s first commit to the production deployment that shipped it.',
    unit: 'changes',
    format: formatHours,
    scale: 'relative',
    metricUnit: 'hours',
  },
  change_fail_rate: {
    label: 'Change fail rate',
    definition:
      'Share of production deployments that caused an incident or were rolled back or hot-fixed within 24 hours.',
    unit: 'deployments',
    format: formatPercent,
    scale: 'absolute',
    metricUnit: 'share',
  },
  recovery_time: {
    label: 'Failed deployment recovery time',
    definition: 'Median time from a failed deployment to its rollback, hotfix or resolved incident.',
    unit: 'recoveries',
    format: formatMinutes,
    scale: 'relative',
    metricUnit: 'minutes',
  },
}

const TIER_KEYS: Record<DoraKey, TierKey> = {
  deployment_frequency: 'deploymentFrequency',
  lead_time: 'leadTime',
  change_fail_rate: 'changeFailRate',
  recovery_time: 'recoveryTime',
}

export function DoraKeyCard({ figures, tiers }: { figures: DoraKeyFigures; tiers?: TierRating }) {
  const meta = DORA_KEYS[figures.key]
  const id = `dora-${figures.key}`
  return (
    <article className="card" data-testid={id} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        {meta.label} {tiers ? <TierBadge tier={tiers.keys[TIER_KEYS[figures.key]]} year={tiers.year} /> : null}
      </h3>
      <p className="definition">{meta.definition}</p>
      <dl>
        <dt>Before</dt>
        <dd>
          <span className="value" data-testid={`${id}-before`}>
            {meta.format(figures.before.value)}
          </span>
          <span className="sample">
            n = {formatCount(figures.before.sample)} {meta.unit}
          </span>
        </dd>
        <dt>Now</dt>
        <dd>
          <span className="value" data-testid={`${id}-after`}>
            {figures.after ? meta.format(figures.after.value) : 'not yet'}
          </span>
          {figures.after ? (
            <span className="sample">
              n = {formatCount(figures.after.sample)} {meta.unit}
            </span>
          ) : null}
        </dd>
        <dt>Change</dt>
        <dd data-testid={`${id}-change`}>
          {figures.change ? (
            <Effect
              outcome={figures.change}
              format={(value) => formatEffect(meta.scale, meta.metricUnit, value)}
              interval={
                figures.change.state === 'estimate'
                  ? formatEffectInterval(
                      meta.scale,
                      meta.metricUnit,
                      figures.change.estimate.low,
                      figures.change.estimate.high,
                    )
                  : undefined
              }
              claim={figures.confirmed ? 'confirmed' : 'not_confirmed'}
            />
          ) : (
            'not yet'
          )}
        </dd>
      </dl>
    </article>
  )
}
