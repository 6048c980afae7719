// The weekly chart's time axis: one tick a month, labelled "Jan ’26" or "Mar".

const shortMonth = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' })
/** "Jan ’26" for the first tick and every January, "Mar" otherwise. */
export const monthLabel = (week: string, withYear: boolean) =>
  `${shortMonth.format(new Date(`${week}T00:00:00Z`))}${withYear ? ` ’${week.slice(2, 4)}` : ''}`

/** One tick per month (the first week starting in it), thinned so at most `most` remain. */
export function monthTicks(weeks: readonly string[], most: number): string[] {
  const firsts = weeks.filter((week, index) => index === 0 || week.slice(0, 7) !== weeks[index - 1]?.slice(0, 7))
  const every = Math.max(1, Math.ceil(firsts.length / most))
  return firsts.filter((_, index) => index % every === 0)
}
