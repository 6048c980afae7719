// Axis ticks at round values: 0 / 1 / 2 / 3 / 4 d, never 1.3 / 2.5 / 3.8 d. Pure; the charts (client) and
// the one-pager's server-drawn SVG both use it.
import { axisFormatter, type MetricUnit } from '@/lib/format'

/** 1, 2, 2.5 or 5 times a power of ten: the steps a reader counts in. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough))
  const fraction = rough / power
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
  return nice * power
}

/**
 * About `count` ticks at round values covering [min, max]: the first at or below min, the last at or above
 * max, evenly spaced by a step of 1, 2, 2.5 or 5 × 10ⁿ. A flat range (min = max) still gets an axis.
 * `integer` keeps the step whole (counts of things).
 */
export function niceTicks(
  min: number,
  max: number,
  count = 5,
  { integer = false }: { integer?: boolean } = {},
): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1]
  let [low, high] = min <= max ? [min, max] : [max, min]
  if (low === high) {
    if (low === 0) high = 1
    else if (low > 0) low = 0
    else high = 0
  }
  let step = niceStep((high - low) / Math.max(1, count - 1))
  if (integer) step = Math.max(1, Math.round(step) === step ? step : Math.ceil(step))
  const first = Math.floor(low / step + 1e-9)
  const last = Math.ceil(high / step - 1e-9)
  // as many decimals as the step has, so 0.1 × 3 reads 0.3, not 0.30000000000000004
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)) + 1)
  const ticks: number[] = []
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(decimals)))
  return ticks
}

/**
 * Round ticks in the unit the axis is read in, with its formatter: durations in whole days, hours or minutes
 * as lib/format.ts axisFormatter picks for the largest value, shares in whole percentages. Values stay in the
 * data's unit (hours, minutes, a 0–1 share); the ticks are placed where the displayed number is round.
 */
export function axisTicks(
  unit: MetricUnit,
  max: number,
  { min = 0, count = 5 }: { min?: number; count?: number } = {},
): { ticks: number[]; format: (value: number) => string } {
  // a survey score is out of 10: the axis says so
  if (unit === 'score') return { ticks: [0, 2, 4, 6, 8, 10], format: axisFormatter(unit, 10) }
  const top = Math.max(max, min)
  const scale = displayScale(unit, top)
  const ticks = niceTicks(min / scale, top / scale, count, { integer: unit === 'count' }).map((tick) => tick * scale)
  return { ticks, format: axisFormatter(unit, top) }
}

/** How many data units one displayed unit is (a day is 24 hours; a percentage point is 0.01 of a share). */
function displayScale(unit: MetricUnit, max: number): number {
  const hours = unit === 'minutes' ? max / 60 : max
  const perHour = unit === 'minutes' ? 60 : 1
  if (unit === 'hours' || unit === 'minutes') return hours >= 48 ? 24 * perHour : hours >= 2 ? perHour : perHour / 60
  if (unit === 'share') return 0.01
  return 1
}
