// Numbers for humans: "91.0 per week", "5.1 days", "38 min", "12.3%". Pure; the e2e tests format their own
// SQL results with the same functions, so what they compare is the number, not the wording.

const EM_DASH = '—'

/** A signed number: "+1.5 days", "−12 min", "±0%" when it rounds to zero. */
const signed = (value: number, digits: number, suffix: string) => {
  const rounded = Number(value.toFixed(digits))
  if (rounded === 0) return `±0${suffix}`
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(digits)}${suffix}`
}

export function formatPerWeek(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return EM_DASH
  return `${value.toFixed(value >= 100 ? 0 : 1)} per week`
}

/** A duration given in hours, in the unit a reader expects: minutes under an hour, days from two days. */
export function formatHours(hours: number | null): string {
  if (hours === null || !Number.isFinite(hours)) return EM_DASH
  if (hours < 1) return `${Math.round(hours * 60)} min`
  if (hours < 48) return `${hours.toFixed(1)} hours`
  return `${(hours / 24).toFixed(1)} days`
}

export function formatMinutes(minutes: number | null): string {
  return minutes === null ? EM_DASH : formatHours(minutes / 60)
}

/** A ratio (0–1) as a percentage. */
export function formatPercent(ratio: number | null, digits = 1): string {
  if (ratio === null || !Number.isFinite(ratio)) return EM_DASH
  return `${(ratio * 100).toFixed(digits)}%`
}

/** An effect on the relative scale (a ratio minus one) as a signed percentage: "+29%", "−8%". */
export function formatSignedPercent(ratio: number, digits = 0): string {
  return signed(ratio * 100, digits, '%')
}

/** A difference of two shares in percentage points: "−0.4 pp". */
export function formatSignedPoints(difference: number, digits = 1): string {
  return signed(difference * 100, digits, ' pp')
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US')
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
})

/** "18 May 2026" (UTC). */
export function formatDate(date: Date): string {
  return dateFormat.format(date)
}

/** A half-open interval as the inclusive days it covers: "14 Jul 2025 – 11 Jan 2026". */
export function formatInterval({ from, to }: { from: Date; to: Date }): string {
  return `${formatDate(from)} – ${formatDate(new Date(to.getTime() - 86_400_000))}`
}

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
})

/** "24 Nov 2026, 09:30 UTC". */
export function formatTime(date: Date): string {
  return timeFormat.format(date)
}

/** How long ago, in the largest whole unit: "just now", "12 min ago", "3 hours ago", "5 days ago". */
export function formatAge(date: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - date.getTime()) / 60_000)
  if (minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`
  return `${Math.floor(hours / 24)} days ago`
}

/** A run's length: "850 ms", "42 s", "3.5 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`
  return `${(ms / 60_000).toFixed(1)} min`
}

/** The units of the compared metrics (lib/metrics/comparable.ts), restated so client charts can import this file. */
export type MetricUnit =
  | 'per_service_week'
  | 'hours'
  | 'minutes'
  | 'days'
  | 'share'
  | 'score'
  | 'per_engineer_week'
  | 'count'
  | 'per_week'

/** A metric's value in its unit: "2.40 per service-week", "5.1 days", "12.3%", "7.4 / 10". */
export function formatValue(unit: MetricUnit, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return EM_DASH
  switch (unit) {
    case 'per_service_week':
      return `${value.toFixed(2)} per service-week`
    case 'per_engineer_week':
      return `${value.toFixed(2)} per engineer-week`
    case 'per_week':
      return formatPerWeek(value)
    case 'hours':
      return formatHours(value)
    case 'minutes':
      return formatMinutes(value)
    case 'days':
      return `${value.toFixed(1)} days`
    case 'share':
      return formatPercent(value)
    case 'score':
      return `${value.toFixed(1)} / 10`
    case 'count':
      return formatCount(Math.round(value))
  }
}

/** An effect: relative ones as a signed percentage, absolute ones in the metric's unit ("−12 min", "+0.4 points"); `extra` more decimals. */
export function formatEffect(scale: 'relative' | 'absolute', unit: MetricUnit, value: number, extra = 0): string {
  if (scale === 'relative') return formatSignedPercent(value, extra)
  switch (unit) {
    case 'share':
      return formatSignedPoints(value, 1 + extra)
    case 'minutes':
      return Math.abs(value) >= 90 ? signed(value / 60, 1 + extra, ' hours') : signed(value, extra, ' min')
    case 'hours':
      return Math.abs(value) >= 48 ? signed(value / 24, 1 + extra, ' days') : signed(value, 1 + extra, ' hours')
    case 'days':
      return signed(value, 1 + extra, ' days')
    case 'score':
      return signed(value, 1 + extra, ' points')
    default:
      return signed(value, 2 + extra, '')
  }
}

/**
 * An interval as "−12 min to −3 min", with as many more decimals as it takes (up to three) for an interval
 * that excludes no change to read that way: never "±0 min to +2 min" beside a verdict that says "worsened".
 */
export function formatEffectInterval(
  scale: 'relative' | 'absolute',
  unit: MetricUnit,
  low: number,
  high: number,
): string {
  const excludesZero = low > 0 || high < 0
  let extra = 0
  const shows = (text: string) => !text.startsWith('±0')
  while (
    excludesZero &&
    extra < 3 &&
    !(shows(formatEffect(scale, unit, low, extra)) && shows(formatEffect(scale, unit, high, extra)))
  )
    extra++
  return `${formatEffect(scale, unit, low, extra)} to ${formatEffect(scale, unit, high, extra)}`
}

/** Axis ticks in one unit for the whole axis, chosen by its largest value (never "30.0 hours" next to "2.5 days"). */
export function axisFormatter(unit: MetricUnit, max: number): (value: number) => string {
  const hours = unit === 'minutes' ? max / 60 : max
  if (unit === 'hours' || unit === 'minutes') {
    const toHours = unit === 'minutes' ? 1 / 60 : 1
    if (hours >= 48) return (value) => `${trim((value * toHours) / 24)} d`
    if (hours >= 2) return (value) => `${trim(value * toHours)} h`
    return (value) => `${Math.round(value * toHours * 60)} min`
  }
  if (unit === 'share') return (value) => `${Number((value * 100).toFixed(1))}%`
  if (unit === 'count') return (value) => formatCount(Math.round(value))
  return (value) => trim(value)
}

const trim = (value: number) => String(Number(value.toFixed(Math.abs(value) >= 10 ? 0 : 1)))

/** US dollars for a headline: "$515k", "$1.25M", "−$140k", "$950". */
export function formatMoney(value: number): string {
  const sign = value < 0 ? '−' : ''
  const abs = Math.abs(value)
  if (abs >= 1_000_000) return `${sign}$${Number((abs / 1_000_000).toFixed(2))}M`
  if (abs >= 1_000) return `${sign}$${Math.round(abs / 1_000)}k`
  return `${sign}$${Math.round(abs)}`
}
