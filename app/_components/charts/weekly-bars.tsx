'use client'

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { weekTick as tick } from './axis'
import { MarkerLegend, markerLines, type Marker } from './markers'

export interface WeeklyBarsProps {
  data: { week: string; value: number }[]
  markers: Marker[]
  valueLabel: string
}

/** Bars per week with milestones (launches) drawn on the time axis. Plain props; fetches nothing. */
export function WeeklyBars({ data, markers, valueLabel }: WeeklyBarsProps) {
  return (
    <div data-testid="chart-weekly-bars">
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 20, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
            <XAxis dataKey="week" tickFormatter={tick} minTickGap={24} stroke="var(--muted)" fontSize={12} />
            <YAxis allowDecimals={false} width={40} stroke="var(--muted)" fontSize={12} />
            <Tooltip
              labelFormatter={(week) => `Week of ${tick(String(week))}`}
              formatter={(value) => [value, valueLabel]}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
            />
            <Bar dataKey="value" name={valueLabel} fill="var(--bar)" isAnimationActive={false} />
            {markerLines(markers)}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <MarkerLegend markers={markers} />
    </div>
  )
}
