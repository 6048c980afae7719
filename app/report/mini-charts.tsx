// The one-pager's two small charts, drawn as SVG on the server: nothing to load or hydrate, so the PDF and
// the PNG show exactly what the page shows.
import { formatValue, type MetricUnit } from '../../lib/format'

const shortDate = new Intl.DateTimeFormat('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' })

/** Deployments per week with the launch marked. */
export function WeeklyDeployments({ weeks, launchWeek }: { weeks: { weekStart: string; deployments: number }[]; launchWeek: string }) {
  const width = 340
  const height = 96
  const max = Math.max(1, ...weeks.map((week) => week.deployments))
  const bar = width / Math.max(1, weeks.length)
  const launchIndex = weeks.findIndex((week) => week.weekStart === launchWeek)
  const ticks = weeks.filter((_, index) => index % 13 === 0)
  return (
    <svg viewBox={`0 0 ${width} ${height + 16}`} className="mini-chart" role="img" aria-label={`Production deployments per week, the last ${weeks.length} weeks; the most in a week: ${max}`} data-testid="report-chart-deployments">
      <line x1="0" x2={width} y1={height} y2={height} className="axis" />
      {weeks.map((week, index) => {
        const h = (week.deployments / max) * (height - 14)
        return <rect key={week.weekStart} x={index * bar + 0.5} y={height - h} width={Math.max(0.5, bar - 1)} height={h} className={launchIndex >= 0 && index >= launchIndex ? 'after' : 'before'} />
      })}
      {launchIndex >= 0 ? (
        <>
          <line x1={launchIndex * bar} x2={launchIndex * bar} y1="0" y2={height} className="marker" />
          <text x={launchIndex * bar + 3} y="9" className="label">
            launch
          </text>
        </>
      ) : null}
      <text x="0" y="9" className="label">
        {max}
      </text>
      {ticks.map((week) => (
        <text key={week.weekStart} x={weeks.indexOf(week) * bar} y={height + 12} className="label">
          {shortDate.format(new Date(`${week.weekStart}T00:00:00Z`))}
        </text>
      ))}
    </svg>
  )
}

/** One metric for the pilot and the control teams, before and after: the comparison behind a headline. */
export function PilotControl({ label, unit, values }: { label: string; unit: MetricUnit; values: { pilotBefore: number | null; pilotAfter: number | null; controlBefore: number | null; controlAfter: number | null } }) {
  const width = 340
  const height = 96
  const bars = [
    { name: 'Pilot, before', value: values.pilotBefore, className: 'before' },
    { name: 'Pilot, after', value: values.pilotAfter, className: 'after' },
    { name: 'Control, before', value: values.controlBefore, className: 'before control' },
    { name: 'Control, after', value: values.controlAfter, className: 'after control' },
  ]
  const max = Math.max(1e-9, ...bars.map((one) => one.value ?? 0))
  const slot = width / bars.length
  return (
    <svg viewBox={`0 0 ${width} ${height + 16}`} className="mini-chart" role="img" aria-label={`${label}: ${bars.map((one) => `${one.name} ${formatValue(unit, one.value)}`).join(', ')}`} data-testid="report-chart-pilot">
      <line x1="0" x2={width} y1={height} y2={height} className="axis" />
      {bars.map((one, index) => {
        const h = ((one.value ?? 0) / max) * (height - 16)
        return (
          <g key={one.name}>
            <rect x={index * slot + 10} y={height - h} width={slot - 20} height={h} className={one.className} />
            <text x={index * slot + slot / 2} y={height - h - 3} className="label value" textAnchor="middle">
              {formatValue(unit, one.value).replace(/ per (service|engineer)-week$/, '')}
            </text>
            <text x={index * slot + slot / 2} y={height + 12} className="label" textAnchor="middle">
              {one.name}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
