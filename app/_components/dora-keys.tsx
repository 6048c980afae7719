import type { DoraKey, DoraKeyFigures } from '../../lib/data/overview'
import { formatChange, formatCount, formatHours, formatMinutes, formatPercent, formatPerWeek, formatPointChange } from '../../lib/format'

export const DORA_KEYS: Record<
  DoraKey,
  { label: string; definition: string; unit: string; format: (value: number | null) => string; change: (before: number | null, after: number | null) => string }
> = {
  deployment_frequency: {
    label: 'Deployment frequency',
    definition: 'Successful production deployments per week.',
    unit: 'deployments',
    format: formatPerWeek,
    change: formatChange,
  },
  lead_time: {
    label: 'Change lead time',
    definition: 'Median time from a change’s first commit to the production deployment that shipped it.',
    unit: 'changes',
    format: formatHours,
    change: formatChange,
  },
  change_fail_rate: {
    label: 'Change fail rate',
    definition: 'Share of production deployments that caused an incident or were rolled back or hot-fixed within 24 hours.',
    unit: 'deployments',
    format: formatPercent,
    change: formatPointChange,
  },
  recovery_time: {
    label: 'Failed deployment recovery time',
    definition: 'Median time from a failed deployment to its rollback, hotfix or resolved incident.',
    unit: 'recoveries',
    format: formatMinutes,
    change: formatChange,
  },
}

/**
 * Raw windows carry no uncertainty yet, so only a clear move is called better or worse: at least 5% for
 * rates and durations, at least one percentage point for the change fail rate.
 */
function direction(figures: DoraKeyFigures): 'improved' | 'worsened' | 'unchanged' {
  const before = figures.before.value
  const after = figures.after?.value ?? null
  if (before === null || after === null) return 'unchanged'
  const clear =
    figures.key === 'change_fail_rate' ? Math.abs(after - before) >= 0.01 : before !== 0 && Math.abs((after - before) / before) >= 0.05
  if (!clear) return 'unchanged'
  return after > before === (figures.better === 'higher') ? 'improved' : 'worsened'
}

export function DoraKeyCard({ figures }: { figures: DoraKeyFigures }) {
  const meta = DORA_KEYS[figures.key]
  const id = `dora-${figures.key}`
  const way = direction(figures)
  return (
    <article className="card" data-testid={id} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{meta.label}</h3>
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
        <dd>
          <span className={`change ${way}`} data-testid={`${id}-change`}>
            {meta.change(figures.before.value, figures.after?.value ?? null)}
          </span>
          <span className="sample">{way === 'unchanged' ? 'about the same' : way === 'improved' ? 'better' : 'worse'}</span>
        </dd>
      </dl>
    </article>
  )
}
