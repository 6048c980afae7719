// The rows a weekly chart hands recharts: one a week (or a run of weeks left out), each series' value under its
// key; for lines the value again under `key~comparison`, `key~shown` and `key~open`, so each period draws as its
// own line.
import type { WeeklyPoint } from '@/lib/charts/weekly-series'

export function weeklyRows(
  points: readonly WeeklyPoint[],
  series: readonly { key: string; name: string }[],
  kind: 'bars' | 'lines',
): Record<string, string | number | null>[] {
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
  return rows
}
