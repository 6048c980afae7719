'use client'

import { useId } from 'react'
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  Rectangle,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type BarShapeProps,
} from 'recharts'
import { axisTicks } from '@/lib/charts/nice-ticks'
import type { WeekMarker, WeekPeriod, WeeklyPoint } from '@/lib/charts/weekly-series'
import { formatDate, formatValue, type MetricUnit } from '@/lib/format'
import { SERIES_COLOURS, weekTick } from './axis'
import { MarkerLegend, markerLines } from './markers'

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

/** How each period reads: in the tooltip, and in the key below the chart. */
const PERIOD_TEXT: Record<WeekPeriod, string> = {
  comparison: 'weeks compared with (before)',
  between: 'between the two windows',
  shown: 'weeks shown',
  incomplete: 'week in progress at the data’s end: not final',
}

/** Comparison weeks in a muted shade, the weeks between faint, the weeks shown in full colour. */
export const OPACITY: Record<WeekPeriod, number> = { comparison: 0.45, between: 0.2, shown: 1, incomplete: 1 }

/** The shaded band behind the weeks (or months) compared with, labelled "before". */
export const BEFORE_BAND = {
  ifOverflow: 'visible',
  fill: 'var(--muted)',
  fillOpacity: 0.08,
  strokeOpacity: 0,
  label: { value: 'before', position: 'insideTopLeft', fill: 'var(--muted)', fontSize: 12 },
} as const

const shortMonth = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' })
/** "Jan ’26" for the first tick and every January, "Mar" otherwise. */
const monthLabel = (week: string, withYear: boolean) =>
  `${shortMonth.format(new Date(`${week}T00:00:00Z`))}${withYear ? ` ’${week.slice(2, 4)}` : ''}`

/** One tick per month (the first week starting in it), thinned so at most `most` remain. */
function monthTicks(weeks: readonly string[], most: number): string[] {
  const firsts = weeks.filter((week, index) => index === 0 || week.slice(0, 7) !== weeks[index - 1]?.slice(0, 7))
  const every = Math.max(1, Math.ceil(firsts.length / most))
  return firsts.filter((_, index) => index % every === 0)
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
  const rows = points.map((point) => {
    const row: Record<string, string | number | null> = {
      week: point.week,
      period: point.period,
      omitted: point.omitted ?? null,
    }
    for (const one of series) {
      const value = point.values[one.key] ?? null
      row[one.key] = value
      if (kind === 'lines') {
        row[`${one.key}~comparison`] = point.period === 'comparison' ? value : null
        row[`${one.key}~shown`] = point.period === 'shown' ? value : null
      }
    }
    return row
  })
  if (kind === 'lines') {
    // the dashed stretch into the week in progress starts at the last complete week before it
    const firstOpen = points.findIndex((point) => point.period === 'incomplete')
    for (const one of series) {
      for (let index = Math.max(0, firstOpen - 1); firstOpen >= 0 && index < points.length; index++) {
        const row = rows[index] as Record<string, string | number | null>
        row[`${one.key}~open`] = row[one.key] ?? null
      }
    }
  }
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
              {series.map((one, index) => (
                <Bar
                  key={one.key}
                  dataKey={one.key}
                  name={one.name}
                  stackId={stacked ? 'stack' : undefined}
                  fill={colour(index)}
                  isAnimationActive={false}
                  shape={(props: BarShapeProps) => {
                    const period = (props.payload?.period ?? 'shown') as WeekPeriod
                    return period === 'incomplete' ? (
                      <Rectangle
                        {...props}
                        fill={`url(#${id}-hatch-${index})`}
                        stroke={colour(index)}
                        strokeWidth={1}
                      />
                    ) : (
                      <Rectangle {...props} fill={colour(index)} fillOpacity={OPACITY[period]} />
                    )
                  }}
                />
              ))}
            </BarChart>
          ) : (
            <LineChart data={rows} margin={{ top: 20, right: 12, bottom: 0, left: 0 }}>
              {common}
              {series.flatMap((one, index) => [
                // the whole span, faint: carries the weeks between the windows
                <Line
                  key={one.key}
                  type="linear"
                  dataKey={one.key}
                  name={one.name}
                  stroke={colour(index)}
                  strokeOpacity={OPACITY.between}
                  strokeWidth={2}
                  dot={sparse ? { r: 2 } : false}
                  activeDot={false}
                  connectNulls={sparse}
                  isAnimationActive={false}
                />,
                <Line
                  key={`${one.key}~comparison`}
                  type="linear"
                  dataKey={`${one.key}~comparison`}
                  name={`${one.name}, before`}
                  stroke={colour(index)}
                  strokeOpacity={0.6}
                  strokeWidth={2}
                  dot={sparse ? { r: 3, fillOpacity: 0.6 } : false}
                  connectNulls={sparse}
                  isAnimationActive={false}
                  legendType="none"
                />,
                <Line
                  key={`${one.key}~shown`}
                  type="linear"
                  dataKey={`${one.key}~shown`}
                  name={one.name}
                  stroke={colour(index)}
                  strokeWidth={2}
                  dot={sparse ? { r: 3 } : false}
                  connectNulls={sparse}
                  isAnimationActive={false}
                  legendType="none"
                />,
                <Line
                  key={`${one.key}~open`}
                  type="linear"
                  dataKey={`${one.key}~open`}
                  name={`${one.name}, week in progress`}
                  stroke={colour(index)}
                  strokeDasharray="3 3"
                  strokeWidth={2}
                  dot={(props: { cx?: number; cy?: number; index?: number; payload?: { period?: string } }) =>
                    props.payload?.period === 'incomplete' && props.cx !== undefined && props.cy !== undefined ? (
                      <circle
                        key={`open-${props.index}`}
                        cx={props.cx}
                        cy={props.cy}
                        r={4}
                        fill="var(--surface)"
                        stroke={colour(index)}
                        strokeWidth={2}
                        className="point open"
                      />
                    ) : (
                      <g key={`none-${props.index}`} />
                    )
                  }
                  connectNulls
                  isAnimationActive={false}
                  legendType="none"
                />,
              ])}
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

/** The week, which window it is in (or "week in progress"), and each series' value. */
function WeekTooltip({
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
