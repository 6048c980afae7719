'use client'

// The key below a weekly chart (or several that share it): what each shade means, and the numbered milestones.
import type { WeekMarker, WeekPeriod, WeeklyPoint } from '@/lib/charts/weekly-series'
import { MarkerLegend } from './markers'
import { PERIOD_TEXT } from './week-periods'

/** What the shades mean (only the periods drawn) and what each numbered line is. */
export function ChartKey({
  points,
  markers = [],
  texts = {},
}: {
  points: readonly Pick<WeeklyPoint, 'period' | 'omitted'>[]
  markers?: readonly WeekMarker[]
  texts?: Partial<Record<WeekPeriod, string>>
}) {
  const periods = (['comparison', 'between', 'shown', 'incomplete'] as const).filter((period) =>
    points.some((point) => point.period === period && !point.omitted),
  )
  return (
    <>
      <ul className="chart-key" aria-label="Key">
        {periods.map((period) => (
          <li key={period}>
            <span className={`swatch period-${period}`} aria-hidden="true" />
            {texts[period] ?? PERIOD_TEXT[period]}
          </li>
        ))}
      </ul>
      <MarkerLegend markers={markers} />
    </>
  )
}
