'use client'

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { axisFormatter, formatValue, type MetricUnit } from '@/lib/format'
import { SERIES_COLOURS, weekTick } from './axis'
import { MarkerLegend, markerLines, type Marker } from './markers'

export interface WeeklyLinesProps {
  /** One row per week: `week` (a Monday, YYYY-MM-DD) and a value (or null: no data that week) per series. */
  data: ({ week: string } & Record<string, number | string | null>)[]
  series: { key: string; name: string }[]
  unit: MetricUnit
  markers?: Marker[]
  testId: string
  /** What the chart shows, for screen readers. */
  summary: string
}

/** Lines per week (a gap where a week has no data), with milestones drawn on the time axis. */
export function WeeklyLines({ data, series, unit, markers = [], testId, summary }: WeeklyLinesProps) {
  const format = (value: unknown) => formatValue(unit, typeof value === 'number' ? value : null)
  const values = data
    .flatMap((row) => series.map((one) => row[one.key]))
    .filter((value): value is number => typeof value === 'number')
  const tick = axisFormatter(unit, Math.max(0, ...values))
  return (
    <figure className="figure" data-testid={testId}>
      <div className="chart" role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 20, right: 12, bottom: 0, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
            <XAxis dataKey="week" tickFormatter={weekTick} minTickGap={24} stroke="var(--muted)" fontSize={12} />
            <YAxis width={72} stroke="var(--muted)" fontSize={12} tickFormatter={tick} />
            <Tooltip
              labelFormatter={(week) => `Week of ${weekTick(String(week))}`}
              formatter={(value, name) => [format(value), name]}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
            />
            {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
            {series.map((line, index) => (
              <Line
                key={line.key}
                type="monotone"
                dataKey={line.key}
                name={line.name}
                stroke={SERIES_COLOURS[index % SERIES_COLOURS.length]}
                strokeWidth={2}
                dot={false}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
            {markerLines(markers)}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <MarkerLegend markers={markers} />
    </figure>
  )
}
