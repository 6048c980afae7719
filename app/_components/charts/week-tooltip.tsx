'use client'

// The weekly chart's tooltip: the week, which window it is in, and each series' value.
import type { WeekPeriod } from '@/lib/charts/weekly-series'
import { formatDate } from '@/lib/format'
import { PERIOD_TEXT } from './week-periods'

/** The week, which window it is in (or "week in progress"), and each series' value. */
export function WeekTooltip({
  active,
  payload,
  series,
  format,
}: {
  active?: boolean
  payload?: readonly { payload?: unknown }[]
  series: { key: string; name: string }[]
  format: (value: unknown) => string
}) {
  const row = payload?.[0]?.payload as Record<string, string | number | null> | undefined
  if (!active || !row) return null
  const period = row.period as WeekPeriod
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-week">
        {row.omitted
          ? `${row.omitted} weeks between the windows, left out`
          : `Week of ${formatDate(new Date(`${String(row.week)}T00:00:00Z`))}`}
        <span className={`chart-tooltip-period period-${period}`}>
          {period === 'incomplete' ? 'week in progress: not final' : PERIOD_TEXT[period]}
        </span>
      </p>
      {row.omitted ? null : (
        <ul>
          {series.map((one) => (
            <li key={one.key}>
              {one.name}: {format(row[one.key])}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
