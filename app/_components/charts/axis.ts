// What every chart shares: week ticks ("12 Jan") and the series colours (CSS variables, so both themes work).

const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })

/** "12 Jan" for the week starting on that Monday (YYYY-MM-DD). */
export const weekTick = (week: string) => shortDate.format(new Date(`${week}T00:00:00Z`))

export const SERIES_COLOURS = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)'] as const
