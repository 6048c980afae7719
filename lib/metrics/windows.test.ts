import { describe, expect, it } from 'vitest'
import { parseIsoDate, toIsoDate } from '@/lib/dates'
import { launchWindows } from './windows'

const iso = (interval: { from: Date; to: Date } | null) =>
  interval && `${toIsoDate(interval.from)}..${toIsoDate(interval.to)}`

describe('windows around a launch', () => {
  it('before: the 26 weeks up to the launch; after: the latest 26 full weeks', () => {
    const windows = launchWindows(parseIsoDate('2026-01-12'), new Date('2026-11-25T10:00:00Z'))
    expect(iso(windows.before)).toBe('2025-07-14..2026-01-12') // 182 days
    expect(iso(windows.after)).toBe('2026-05-25..2026-11-23') // ends at this week's Monday
  })

  it('after never reaches back before the launch', () => {
    const windows = launchWindows(parseIsoDate('2026-10-05'), new Date('2026-11-25T10:00:00Z'))
    expect(iso(windows.after)).toBe('2026-10-05..2026-11-23')
  })

  it('has no after window until the launch week is over; the launch week itself counts as after', () => {
    expect(launchWindows(parseIsoDate('2026-11-23'), new Date('2026-11-25T10:00:00Z')).after).toBeNull() // launched this Monday
    expect(iso(launchWindows(parseIsoDate('2026-11-18'), new Date('2026-11-25T10:00:00Z')).after)).toBe(
      '2026-11-16..2026-11-23',
    ) // last Wednesday
  })
})

describe('whole weeks', () => {
  it('a range from Wednesday 4 March to Wednesday 18 March covers Monday 2 March to Monday 23 March', async () => {
    const { wholeWeeks, weeksIn } = await import('./windows')
    const weeks = wholeWeeks({ from: parseIsoDate('2026-03-04'), to: parseIsoDate('2026-03-18') })
    expect(iso(weeks)).toBe('2026-03-02..2026-03-23')
    expect(weeksIn(weeks)).toBe(3)
    expect(iso(wholeWeeks({ from: parseIsoDate('2026-03-02'), to: parseIsoDate('2026-03-16') }))).toBe(
      '2026-03-02..2026-03-16',
    )
  })

  it('a launch on a Wednesday counts from its Monday', () => {
    expect(iso(launchWindows(parseIsoDate('2026-01-14'), new Date('2026-11-25T10:00:00Z')).before)).toBe(
      '2025-07-14..2026-01-12',
    )
  })
})
