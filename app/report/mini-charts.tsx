// The one-pager's two small charts, drawn as SVG on the server: nothing to load or hydrate, so the PDF and
// the PNG show exactly what the page shows.
import { niceTicks } from '@/lib/charts/nice-ticks'
import type { WeekPeriod } from '@/lib/charts/weekly-series'
import type { LeadChart } from '@/lib/data/report'
import { formatValue } from '@/lib/format'

const shortDate = new Intl.DateTimeFormat('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' })
const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
const monthOf = (week: string) => shortDate.format(new Date(`${week}T00:00:00Z`))

/** Which bar class each period draws with (app/report/report.css, app/globals.css). */
const BAR_CLASS: Record<WeekPeriod, string> = {
  comparison: 'before',
  between: 'between',
  shown: 'after',
  incomplete: 'in-progress',
}

/**
 * Deployments per week: the weeks the initiative is compared with (before), then the weeks it is judged on
 * (after), the weeks between them faint (or one gap marker), with the launch marked and round y ticks.
 */
export function WeeklyDeployments({
  weeks,
  launchWeek,
}: {
  weeks: { weekStart: string; deployments: number; period?: WeekPeriod; omitted?: number }[]
  launchWeek: string
}) {
  const width = 340
  const height = 96
  const left = 22
  const top = 12
  const plot = width - left
  const ticks = niceTicks(0, Math.max(1, ...weeks.map((week) => week.deployments)), 4, { integer: true })
  const max = ticks.at(-1) ?? 1
  const bar = plot / Math.max(1, weeks.length)
  const x = (index: number) => left + index * bar
  const y = (value: number) => height - (value / max) * (height - top)
  const launchIndex = weeks.findIndex((week) => week.weekStart === launchWeek)
  const periodOf = (week: { period?: WeekPeriod }) => week.period ?? 'shown'
  const firstOf = (period: WeekPeriod) => weeks.findIndex((week) => periodOf(week) === period && !week.omitted)
  const [before, after] = [firstOf('comparison'), firstOf('shown')]
  const lastOf = (period: WeekPeriod) => weeks.findLastIndex((week) => periodOf(week) === period)
  const describe = (from: number, to: number) =>
    from >= 0 && to >= 0
      ? `${dayMonth.format(new Date(`${weeks[from]?.weekStart}T00:00:00Z`))} to the week of ${dayMonth.format(new Date(`${weeks[to]?.weekStart}T00:00:00Z`))}`
      : ''
  const label = [
    'Production deployments per week',
    before >= 0 ? `the weeks compared with, from the week of ${describe(before, lastOf('comparison'))}` : null,
    after >= 0 ? `then the weeks evaluated, from the week of ${describe(after, lastOf('shown'))}` : null,
    `the most in a week: ${Math.max(0, ...weeks.map((week) => week.deployments))}`,
  ]
    .filter(Boolean)
    .join('; ')
  // month labels at the start of each window, and between them where there is room
  const labelled = [before, after].filter((index) => index >= 0)
  for (let index = 0; index < weeks.length; index += 13)
    if (labelled.every((at) => Math.abs(at - index) * bar > 40)) labelled.push(index)
  return (
    <svg
      viewBox={`0 0 ${width} ${height + 16}`}
      className="mini-chart"
      role="img"
      aria-label={label}
      data-testid="report-chart-deployments"
    >
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={left} x2={width} y1={y(tick)} y2={y(tick)} className={tick === 0 ? 'axis' : 'grid'} />
          <text x={left - 3} y={y(tick) + 3} className="label" textAnchor="end">
            {tick}
          </text>
        </g>
      ))}
      {weeks.map((week, index) => {
        if (week.omitted) {
          return (
            <text key={week.weekStart} x={x(index) + bar / 2} y={height - 3} className="label" textAnchor="middle">
              ⋯
            </text>
          )
        }
        const h = height - y(week.deployments)
        return (
          <rect
            key={week.weekStart}
            x={x(index) + 0.25}
            y={height - h}
            width={Math.max(0.5, bar - 0.5)}
            height={h}
            className={BAR_CLASS[periodOf(week)]}
          />
        )
      })}
      {before >= 0 ? (
        <text x={x(before) + 2} y={top - 3} className="zone">
          compared with
        </text>
      ) : null}
      {after >= 0 ? (
        <text x={x(after) + 2} y={top - 3} className="zone">
          evaluated
        </text>
      ) : null}
      {launchIndex >= 0 ? (
        <>
          <line x1={x(launchIndex)} x2={x(launchIndex)} y1={top} y2={height} className="marker" />
          <text x={x(launchIndex) + 2} y={top + 8} className="label">
            launch
          </text>
        </>
      ) : null}
      {labelled.map((index) => (
        <text key={index} x={x(index)} y={height + 12} className="label">
          {monthOf(weeks[index]?.weekStart ?? '')}
        </text>
      ))}
    </svg>
  )
}

/** One metric for the pilot and the control teams, before and after: the comparison behind a headline. */
export function PilotControl({ label, unit, values }: Pick<LeadChart, 'label' | 'unit' | 'values'>) {
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
    <svg
      viewBox={`0 0 ${width} ${height + 16}`}
      className="mini-chart"
      role="img"
      aria-label={`${label}: ${bars.map((one) => `${one.name} ${formatValue(unit, one.value)}`).join(', ')}`}
      data-testid="report-chart-pilot"
    >
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
