import type { Outcome } from '@/lib/metrics/compare'

/**
 * An estimate with its 95% interval drawn against "no change": a dot on a bar, the zero line dashed, in the
 * colour of the verdict (grey, `unconfirmed`, for an interval that excludes no change the family-wise rule did not confirm). Server-rendered SVG: nothing to load, and it prints.
 */
export function IntervalPlot({ outcome, label, tone }: { outcome: Outcome; label: string; tone?: 'unconfirmed' }) {
  if (outcome.state !== 'estimate') return <span className="interval-empty">—</span>
  const { low, high, value } = outcome.estimate
  const min = Math.min(low, 0)
  const max = Math.max(high, 0)
  const pad = (max - min || 1) * 0.08
  const x = (v: number) => 6 + ((v - (min - pad)) / (max - min + 2 * pad)) * 188
  return (
    <svg
      className={`interval-plot ${tone ?? outcome.verdict}`}
      viewBox="0 0 200 24"
      width="200"
      height="24"
      role="img"
      aria-label={label}
      data-testid="interval-plot"
    >
      <line x1={x(0)} x2={x(0)} y1="2" y2="22" className="zero" />
      <line x1={x(low)} x2={x(high)} y1="12" y2="12" className="range" />
      <line x1={x(low)} x2={x(low)} y1="7" y2="17" className="range" />
      <line x1={x(high)} x2={x(high)} y1="7" y2="17" className="range" />
      <circle cx={x(value)} cy="12" r="4.5" className="point" />
    </svg>
  )
}
