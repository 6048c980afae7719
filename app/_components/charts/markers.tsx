'use client'

import { ReferenceLine } from 'recharts'
import { weekTick } from './axis'

export interface Marker {
  /** The Monday of the week it happened in (YYYY-MM-DD). */
  week: string
  label: string
}

/**
 * Milestones as numbered dashed lines on the time axis; call inside a chart (recharts reads its direct
 * children). Milestones in the same week share one line, labelled "1, 2", so no number hides another.
 */
export function markerLines(markers: readonly Marker[]) {
  const byWeek = new Map<string, number[]>()
  markers.forEach((marker, index) => byWeek.set(marker.week, [...(byWeek.get(marker.week) ?? []), index + 1]))
  return [...byWeek].map(([week, numbers]) => (
    <ReferenceLine
      key={week}
      x={week}
      stroke="var(--accent)"
      strokeDasharray="4 3"
      label={{ value: numbers.join(', '), position: 'top', fill: 'var(--accent)', fontSize: 12 }}
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
