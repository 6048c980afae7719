'use client'

import { useId } from 'react'
import {
  BarChart,
  CartesianGrid,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { axisTicks } from '@/lib/charts/nice-ticks'
import type { WeekMarker, WeekPeriod, WeeklyPoint } from '@/lib/charts/weekly-series'
import { formatValue, type MetricUnit } from '@/lib/format'
import { SERIES_COLOURS, weekTick } from './axis'
import { ChartKey } from './chart-key'
import { markerLines } from './markers'
import { monthLabel, monthTicks } from './month-ticks'
import { periodBars, periodLines } from './period-series'
import { BEFORE_BAND } from './week-periods'
import { WeekTooltip } from './week-tooltip'
import { weeklyRows } from './weekly-rows'

export interface WeeklyChartProps {
  /** lib/charts/weekly-series.ts weeklyPoints: every week from the first compared with to the last shown. */
  points: WeeklyPoint[]
  /** In stack order (bottom first) for stacked bars; the key below lists them in this order. */
  series: { key: string; name: string }[]
  kind: 'bars' | 'lines'
  stacked?: boolean
  unit: MetricUnit
  markers?: WeekMarker[]
  /** Points weeks apart (a survey wave a quarter): join them across the weeks without data. */
  sparse?: boolean
  testId: string
  /** What the chart shows, for screen readers. */
  summary: string
  /** The key of periods and milestones below the chart; false where several charts share one ChartKey. */
  keyed?: boolean
}

/**
 * A weekly time chart that shows before beside after: the weeks compared with (muted, banded "before"), the
 * weeks between the windows (faint, or a gap marker), the weeks shown (full colour, banded "now"), and the
 * week in progress at the data's end (hatched bar or hollow point on a dashed line, "not final" in the
 * tooltip), with milestones as numbered lines and a key below. Plain props; fetches nothing.
 */
export function WeeklyChart({
  points,
  series,
  kind,
  stacked = false,
  unit,
  markers = [],
  sparse = false,
  testId,
  summary,
  keyed = true,
}: WeeklyChartProps) {
  const id = `wk${useId().replace(/[^a-zA-Z0-9]/g, '')}`
  const rows = weeklyRows(points, series, kind)
  const values = points.flatMap((point) =>
    stacked
      ? [series.reduce((sum, one) => sum + (point.values[one.key] ?? 0), 0)]
      : series.map((one) => point.values[one.key] ?? 0),
  )
  const { ticks, format: tick } = axisTicks(unit, Math.max(0, ...values))
  const format = (value: unknown) => formatValue(unit, typeof value === 'number' ? value : null)
  const weeks = points.filter((point) => !point.omitted).map((point) => point.week)
  const xTicks = monthTicks(weeks, 8)
  const firstOf = (period: WeekPeriod) => points.find((point) => point.period === period)?.week
  const lastOf = (period: WeekPeriod) => points.findLast((point) => point.period === period)?.week
  const gaps = points.filter((point) => point.omitted)
  const colour = (index: number) => SERIES_COLOURS[index % SERIES_COLOURS.length] as string

  const common = (
    <>
      <defs>
        {series.map((one, index) => (
          <pattern
            key={one.key}
            id={`${id}-hatch-${index}`}
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" fill={colour(index)} fillOpacity={0.15} />
            <line x1="0" y1="0" x2="0" y2="6" stroke={colour(index)} strokeWidth="3" />
          </pattern>
        ))}
      </defs>
      <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
      <XAxis
        dataKey="week"
        ticks={xTicks}
        interval={0}
        tickFormatter={(week: string) => monthLabel(week, week === xTicks[0] || week.slice(5, 7) === '01')}
        stroke="var(--muted)"
        fontSize={12}
      />
      <YAxis
        width={72}
        stroke="var(--muted)"
        fontSize={12}
        ticks={ticks}
        domain={[ticks[0] ?? 0, ticks.at(-1) ?? 1]}
        tickFormatter={tick}
        interval={0}
        allowDataOverflow
      />
      {firstOf('comparison') ? (
        <ReferenceArea x1={firstOf('comparison')} x2={lastOf('comparison')} {...BEFORE_BAND} />
      ) : null}
      {firstOf('shown') ? (
        <ReferenceArea
          x1={firstOf('shown')}
          ifOverflow="visible"
          x2={lastOf('incomplete') ?? lastOf('shown')}
          fillOpacity={0}
          strokeOpacity={0}
          label={{ value: 'now', position: 'insideTopLeft', fill: 'var(--muted)', fontSize: 12 }}
        />
      ) : null}
      {gaps.map((gap) => (
        <ReferenceLine
          key={gap.week}
          x={gap.week}
          stroke="var(--muted)"
          strokeDasharray="2 4"
          label={{ value: `⋯ ${gap.omitted} wk`, position: 'insideBottom', fill: 'var(--muted)', fontSize: 11 }}
        />
      ))}
      <Tooltip
        content={(props) => (
          <WeekTooltip active={props.active} payload={props.payload} series={series} format={format} />
        )}
        cursor={{ fill: 'var(--border)', opacity: 0.4 }}
      />
      {markerLines(markers)}
    </>
  )

  return (
    <figure className="figure weekly-chart" data-testid={testId}>
      <div
        className="chart"
        role="img"
        aria-label={`${summary}: ${points[0] ? `from the week of ${weekTick(points[0].week)}` : ''}${points.at(-1) ? ` to the week of ${weekTick((points.at(-1) as WeeklyPoint).week)}` : ''}, the weeks compared with in a muted shade, the weeks shown in full colour`}
      >
        <ResponsiveContainer width="100%" height="100%">
          {kind === 'bars' ? (
            <BarChart data={rows} margin={{ top: 20, right: 12, bottom: 0, left: 0 }} barCategoryGap={1}>
              {common}
              {periodBars({ series, colour, stacked, id })}
            </BarChart>
          ) : (
            <LineChart data={rows} margin={{ top: 20, right: 12, bottom: 0, left: 0 }}>
              {common}
              {periodLines({ series, colour, sparse })}
            </LineChart>
          )}
        </ResponsiveContainer>
      </div>
      {series.length > 1 ? (
        <ul className="chart-key" aria-label="Series">
          {series.map((one, index) => (
            <li key={one.key}>
              <span className="swatch" style={{ background: colour(index) }} aria-hidden="true" />
              {one.name}
            </li>
          ))}
        </ul>
      ) : null}
      {keyed ? <ChartKey points={points} markers={markers} /> : null}
    </figure>
  )
}
