'use client'

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Rectangle,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type BarShapeProps,
} from 'recharts'
import { axisTicks } from '@/lib/charts/nice-ticks'
import type { WeekPeriod } from '@/lib/charts/weekly-series'
import { formatValue, type MetricUnit } from '@/lib/format'
import { SERIES_COLOURS } from './axis'
import { ChartKey } from './chart-key'
import { BEFORE_BAND, OPACITY } from './week-periods'

export interface CategoryBarsProps {
  /** One row per category (a team, a hire month, a wave): `label` and a value per series. */
  data: ({ label: string } & Record<string, number | string | null>)[]
  series: { key: string; name: string }[]
  unit: MetricUnit
  /** Stack the series (phases of one whole) rather than set them side by side. */
  stacked?: boolean
  /** Categories down the side (long names, many rows) rather than along the bottom. */
  horizontal?: boolean
  testId: string
  summary: string
  /**
   * Per row (vertical bars over time: hire months), which window it is in: the rows compared with muted and
   * banded "before", the rows shown in full colour, an incomplete one (still filling) outlined, as on the
   * weekly charts.
   */
  periods?: readonly WeekPeriod[]
  /** What each period's rows are, in the key (rows are not weeks). */
  periodTexts?: Partial<Record<WeekPeriod, string>>
}

/** Bars per category, grouped or stacked. Plain props; fetches nothing. */
export function CategoryBars({
  data,
  series,
  unit,
  stacked = false,
  horizontal = false,
  testId,
  summary,
  periods,
  periodTexts,
}: CategoryBarsProps) {
  const format = (value: unknown) => formatValue(unit, typeof value === 'number' ? value : null)
  const values = data
    .flatMap((row) => series.map((one) => row[one.key]))
    .filter((value): value is number => typeof value === 'number')
  // round ticks in the unit read (whole days, %, a score out of 10 in steps of 2), so no two labels collide
  const { ticks, format: tick } = axisTicks(
    unit,
    stacked
      ? Math.max(
          0,
          ...data.map((row) =>
            series.reduce((sum, one) => sum + (typeof row[one.key] === 'number' ? (row[one.key] as number) : 0), 0),
          ),
        )
      : Math.max(0, ...values),
  )
  const domain: [number, number] = [ticks[0] ?? 0, ticks.at(-1) ?? 1]
  const rows = periods ? data.map((row, index) => ({ ...row, period: periods[index] ?? 'shown' })) : data
  const labelsOf = (period: WeekPeriod) =>
    data.filter((_, index) => periods?.[index] === period).map((row) => row.label)
  const before = labelsOf('comparison')
  const height = horizontal ? Math.max(220, 40 + data.length * (stacked ? 30 : 18 * series.length + 12)) : undefined
  return (
    <figure className="figure" data-testid={testId}>
      <div className="chart" role="img" aria-label={summary} style={height ? { height } : undefined}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={rows}
            layout={horizontal ? 'vertical' : 'horizontal'}
            margin={{ top: 8, right: 16, bottom: 0, left: 4 }}
          >
            <CartesianGrid
              strokeDasharray="3 3"
              vertical={horizontal}
              horizontal={!horizontal}
              stroke="var(--border)"
            />
            {horizontal ? (
              <>
                <XAxis
                  type="number"
                  stroke="var(--muted)"
                  fontSize={12}
                  tickFormatter={tick}
                  domain={domain}
                  ticks={ticks}
                  interval={0}
                />
                <YAxis type="category" dataKey="label" width={130} stroke="var(--muted)" fontSize={12} interval={0} />
              </>
            ) : (
              <>
                <XAxis dataKey="label" stroke="var(--muted)" fontSize={12} minTickGap={8} />
                <YAxis
                  width={72}
                  stroke="var(--muted)"
                  fontSize={12}
                  tickFormatter={tick}
                  domain={domain}
                  ticks={ticks}
                  interval={0}
                />
              </>
            )}
            {before.length > 0 ? <ReferenceArea x1={before[0]} x2={before.at(-1)} {...BEFORE_BAND} /> : null}
            <Tooltip
              formatter={(value, name) => [format(value), name]}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
              cursor={{ fill: 'var(--border)', opacity: 0.4 }}
            />
            {/* in the order of the series, which is the stack's (recharts sorts the key by name unless told not to) */}
            {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} /> : null}
            {series.map((bar, index) => (
              <Bar
                key={bar.key}
                dataKey={bar.key}
                name={bar.name}
                stackId={stacked ? 'stack' : undefined}
                fill={SERIES_COLOURS[index % SERIES_COLOURS.length]}
                isAnimationActive={false}
                shape={
                  periods
                    ? (props: BarShapeProps) => {
                        const period = (props.payload?.period ?? 'shown') as WeekPeriod
                        const colour = SERIES_COLOURS[index % SERIES_COLOURS.length]
                        return period === 'incomplete' ? (
                          <Rectangle
                            {...props}
                            fill={colour}
                            fillOpacity={0.15}
                            stroke={colour}
                            strokeDasharray="3 2"
                          />
                        ) : (
                          <Rectangle {...props} fill={colour} fillOpacity={OPACITY[period]} />
                        )
                      }
                    : undefined
                }
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {periods ? <ChartKey points={periods.map((period) => ({ period }))} texts={periodTexts} /> : null}
    </figure>
  )
}
