'use client'

import { ReferenceLine } from 'recharts'
import { weekTick } from './axis'

export interface Marker {
  /** The Monday of the week it happened in (YYYY-MM-DD). */
  week: string
  label: string
}

/** Milestones as numbered dashed lines on the time axis; call inside a chart (recharts reads its direct children). */
export function markerLines(markers: readonly Marker[]) {
  return markers.map((marker, index) => (
    <ReferenceLine
      key={marker.week + marker.label}
      x={marker.week}
      stroke="var(--accent)"
      strokeDasharray="4 3"
      label={{ value: String(index + 1), position: 'top', fill: 'var(--accent)', fontSize: 12 }}
    />
  ))
}

/** What each numbered line is. */
export function MarkerLegend({ markers }: { markers: readonly Marker[] }) {
  if (markers.length === 0) return null
  return (
    <ol className="chart-legend">
      {markers.map((marker) => (
        <li key={marker.week + marker.label}>
          {marker.label} (week of {weekTick(marker.week)})
        </li>
      ))}
    </ol>
  )
}
