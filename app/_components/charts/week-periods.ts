// How each period of a weekly chart's weeks reads and is drawn: its words in the tooltip and the key, its shade,
// and the band behind the weeks compared with. Shared by the weekly chart and the category bars.
import type { WeekPeriod } from '@/lib/charts/weekly-series'

/** How each period reads: in the tooltip, and in the key below the chart. */
export const PERIOD_TEXT: Record<WeekPeriod, string> = {
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
