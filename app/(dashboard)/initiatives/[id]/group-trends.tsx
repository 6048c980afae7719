import { WeeklyLines } from '@/app/_components/charts/weekly-lines'
import type { InitiativeView } from '@/lib/data/initiative'
import { startOfUtcWeek, toIsoDate } from '@/lib/dates'
import { formatEffect, formatEffectInterval } from '@/lib/format'

/**
 * Pilot and control teams week by week, from the start of the baseline to the end of the evaluation, with
 * the launch marked: the reader can see whether the two groups moved alike before it (the assumption a
 * difference-in-differences rests on), and the placebo check below each chart says what the test found.
 */
export function GroupTrends({ initiative }: { initiative: InitiativeView }) {
  const launch = toIsoDate(startOfUtcWeek(initiative.launchDate))
  return (
    <>
      {initiative.series.map((series) => {
        const metric = initiative.metrics.find((one) => one.key === series.key)
        const trend = metric?.preTrend
        const format = (value: number) => formatEffect(metric?.scale ?? 'relative', series.unit, value)
        return (
          <div key={series.key} data-testid={`group-trend-${series.key}`}>
            <h3>{series.label}: pilot and control each week</h3>
            <WeeklyLines
              data={series.points.map((point) => ({ week: point.at, pilot: point.pilot, control: point.control }))}
              series={[
                { key: 'pilot', name: 'Pilot teams' },
                { key: 'control', name: 'Control teams' },
              ]}
              unit={series.unit}
              markers={[{ week: launch, label: 'Launch' }]}
              testId={`group-chart-${series.key}`}
              summary={`${series.label} of the pilot and the control teams each week from ${series.points[0]?.at ?? '—'} to ${series.points.at(-1)?.at ?? '—'}, launch in the week of ${launch}`}
            />
            <p className="sample" data-testid={`pre-trend-${series.key}`}>
              {!trend || trend.state === 'unknown'
                ? `Pre-launch check: ${trend?.reason ?? 'not run'}.`
                : `Pre-launch check (the same comparison inside the baseline, its second half against its first): ${format(trend.outcome.estimate.value)}, 95% interval ${formatEffectInterval(trend.outcome.estimate.scale, series.unit, trend.outcome.estimate.low, trend.outcome.estimate.high)}. ${
                    trend.state === 'parallel'
                      ? 'Pilot and control moved alike before the launch.'
                      : 'Pilot and control already moved apart before the launch: the change after it is not claimed.'
                  }`}
            </p>
          </div>
        )
      })}
    </>
  )
}
