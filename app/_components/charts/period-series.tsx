'use client'

// A weekly chart's series drawn period by period; call inside the chart (recharts reads its direct children).
// Bars take their period's shade, the week in progress hatched; each line is four: the whole span faint, the
// weeks compared with, the weeks shown, and a dashed stretch into the week in progress ending on a hollow point.
import { Bar, Line, Rectangle, type BarShapeProps } from 'recharts'
import type { WeekPeriod } from '@/lib/charts/weekly-series'
import { OPACITY } from './week-periods'

interface SeriesOptions {
  series: { key: string; name: string }[]
  colour: (index: number) => string
}

/** The bars of each series; `id` names the chart's hatch patterns (`${id}-hatch-${index}`). */
export function periodBars({ series, colour, stacked, id }: SeriesOptions & { stacked: boolean; id: string }) {
  return series.map((one, index) => (
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
          <Rectangle {...props} fill={`url(#${id}-hatch-${index})`} stroke={colour(index)} strokeWidth={1} />
        ) : (
          <Rectangle {...props} fill={colour(index)} fillOpacity={OPACITY[period]} />
        )
      }}
    />
  ))
}

/** The four lines of each series; `sparse` joins points weeks apart across the weeks without data. */
export function periodLines({ series, colour, sparse }: SeriesOptions & { sparse: boolean }) {
  return series.flatMap((one, index) => [
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
  ])
}
