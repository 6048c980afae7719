import { describe, expect, it } from 'vitest'
import { timeBounds } from '@/collectors/plausible'
import { parseBatch } from './ingest'

const bounds = timeBounds({ today: '2026-12-03', earliestDay: '2000-01-01' })
const event = (fields: Record<string, unknown> = {}) => ({
  action: 'navigate',
  subject: '/catalog',
  timestamp: '2026-12-02T10:00:00Z',
  user: 'user:default/ada',
  ...fields,
})

describe('a portal-events batch', () => {
  it('a time in year 9999 or 0001 is refused, naming the event and the field; nothing of the batch is kept', () => {
    expect(
      parseBatch(
        [event(), event({ timestamp: '9999-12-31T00:00:00Z' }), event({ timestamp: '0001-01-01T00:00:00Z' })],
        bounds,
      ),
    ).toEqual({
      problems: [
        'events[1].timestamp: "9999-12-31T00:00:00Z" is after tomorrow (2026-12-04, UTC): it cannot have happened yet',
        'events[2].timestamp: "0001-01-01T00:00:00Z" is before 2000-01-01, the earliest date accepted (UPSHOT_EARLIEST_DATE)',
      ],
    })
    // milliseconds since 1970 too
    expect(parseBatch([event({ timestamp: Date.UTC(9999, 0, 1) })], bounds)).toEqual({
      problems: [expect.stringMatching(/^events\[0\]\.timestamp: 253370764800000 is after tomorrow/)],
    })
  })

  it('a NUL or a lone surrogate anywhere is refused, naming the field', () => {
    expect(
      parseBatch(
        {
          events: [
            event({ subject: '/catalog\u0000' }),
            { event: event({ attributes: { note: 'x\ud800' } }), timestamp: '2026-12-02T10:00:00Z' },
          ],
        },
        bounds,
      ),
    ).toEqual({
      problems: [
        'events[0].subject: contains a control character (U+0000)',
        'events[1].event.attributes.note: contains half of a character (U+D800, a lone surrogate)',
      ],
    })
  })

  it('a good batch passes; tomorrow is not the future yet', () => {
    const parsed = parseBatch(
      [event(), event({ timestamp: '2026-12-04T23:00:00Z', subject: 'tab\tand\u0085 next-line are text' })],
      bounds,
    )
    expect('events' in parsed && parsed.events.map((e) => e.occurredAt.toISOString())).toEqual([
      '2026-12-02T10:00:00.000Z',
      '2026-12-04T23:00:00.000Z',
    ])
  })
})
