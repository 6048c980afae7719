import { describe, expect, it } from 'vitest'
import { parseIsoDate, toIsoDate } from '../dates'
import { launchWindows } from './windows'

const iso = (interval: { from: Date; to: Date } | null) => interval && `${toIsoDate(interval.from)}..${toIsoDate(interval.to)}`

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

  it('has no after window until a full week has passed since the launch', () => {
    expect(launchWindows(parseIsoDate('2026-11-18'), new Date('2026-11-25T10:00:00Z')).after).toBeNull()
    expect(launchWindows(parseIsoDate('2026-11-16'), new Date('2026-11-25T10:00:00Z')).after).not.toBeNull()
  })
})
