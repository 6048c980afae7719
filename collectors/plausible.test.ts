import { describe, expect, it } from 'vitest'
import {
  keepPlausible,
  printable,
  requirePlausible,
  rowProblems,
  storableJson,
  textProblem,
  timeBounds,
  timeProblem,
} from './plausible'

describe('text that can be imported', () => {
  it('refuses NUL, the other C0 controls, DEL and the C1 controls, naming the code point; tab, line feed and carriage return are text', () => {
    expect(textProblem('Checkout\u0000errors')).toBe('contains a control character (U+0000)')
    expect(textProblem('bell\u0007')).toBe('contains a control character (U+0007)')
    expect(textProblem('x\u007f')).toBe('contains a control character (U+007F)')
    expect(textProblem('next line\u0085')).toBe('contains a control character (U+0085)')
    expect(textProblem('a\tb\r\nc')).toBeNull()
    expect(textProblem('Zoë 🚀 ½ \u00a0 —')).toBeNull()
  })

  it('refuses half of a surrogate pair, but not a whole pair', () => {
    expect(textProblem('a\ud800b')).toBe('contains half of a character (U+D800, a lone surrogate)')
    expect(textProblem('a\udc00')).toBe('contains half of a character (U+DC00, a lone surrogate)')
    expect(textProblem('\ud83d\ude80')).toBeNull()
  })

  it('what a machine sends is refused only for what Postgres cannot store: NUL and lone surrogates', () => {
    expect(textProblem('a\u0000', 'storable')).toBe('contains a control character (U+0000)')
    expect(textProblem('a\ud800', 'storable')).toMatch(/lone surrogate/)
    expect(textProblem('a\u0007\u0085', 'storable')).toBeNull()
  })

  it('printable writes refused characters out, so a message never carries them', () => {
    expect(printable('a\u0000b\u0085c\ud800\tz')).toBe('a\\u0000b\\u0085c\\ud800\tz')
    expect(textProblem(printable('\u0000\u0001\u009f'))).toBeNull()
  })
})

describe('times that can have happened', () => {
  const bounds = timeBounds({ today: '2026-12-03', earliestDay: '2000-01-01' })

  it('an event may be as late as tomorrow (UTC), not a moment later', () => {
    expect(timeProblem(new Date('2026-12-04T23:59:59.999Z'), 'event', bounds)).toBeNull()
    expect(timeProblem(new Date('2026-12-05T00:00:00Z'), 'event', bounds)).toBe(
      'is after tomorrow (2026-12-04, UTC): it cannot have happened yet',
    )
    expect(timeProblem(new Date('9999-12-31T00:00:00Z'), 'event', bounds)).toMatch(/^is after tomorrow/)
  })

  it('a planned day may be up to a year ahead; 9999 is refused', () => {
    expect(timeProblem(new Date('2027-12-03T00:00:00Z'), 'planned', bounds)).toBeNull()
    expect(timeProblem(new Date('2027-12-04T00:00:00Z'), 'planned', bounds)).toBe(
      'is more than a year ahead (after 2027-12-03)',
    )
    expect(timeProblem(new Date('9999-01-01T00:00:00Z'), 'planned', bounds)).toMatch(/more than a year ahead/)
  })

  it('nothing before the earliest day, of either kind; the earliest day itself is accepted', () => {
    expect(timeProblem(new Date('2000-01-01T00:00:00Z'), 'event', bounds)).toBeNull()
    expect(timeProblem(new Date('1999-12-31T23:59:59Z'), 'event', bounds)).toBe(
      'is before 2000-01-01, the earliest date accepted (UPSHOT_EARLIEST_DATE)',
    )
    expect(timeProblem(new Date('0001-01-01T00:00:00Z'), 'planned', bounds)).toMatch(/^is before 2000-01-01/)
    expect(
      timeProblem(
        new Date('1995-06-01T00:00:00Z'),
        'planned',
        timeBounds({ today: '2026-12-03', earliestDay: '1990-01-01' }),
      ),
    ).toBeNull()
  })
})

describe('an upstream row about to be stored', () => {
  const bounds = timeBounds({ today: '2026-12-03', earliestDay: '2000-01-01' })

  it('names the field with NUL or an impossible time, at any depth, keys too', () => {
    expect(rowProblems({ title: 'ok', finishedAt: new Date('9999-01-01T00:00:00Z') }, bounds)).toEqual([
      {
        field: 'finishedAt',
        message: '9999-01-01T00:00:00.000Z is after tomorrow (2026-12-04, UTC): it cannot have happened yet',
      },
    ])
    expect(rowProblems({ attributes: { note: ['a', 'b\u0000'] } }, bounds)).toEqual([
      { field: 'attributes.note[1]', message: 'contains a control character (U+0000)' },
    ])
    expect(rowProblems({ context: { 'bad\u0000key': 1 } }, bounds)).toEqual([
      { field: 'context.bad\\u0000key', message: 'the name contains a control character (U+0000)' },
    ])
    expect(
      rowProblems(
        { title: 'Checkout errors', openedAt: new Date('2026-12-01T10:00:00Z'), resolvedAt: null, value: 3 },
        bounds,
      ),
    ).toEqual([])
  })

  it('keepPlausible drops each bad row and records it as a failed item, naming it and why', () => {
    const failed: [string, string][] = []
    const context = { fail: (item: string, error: unknown) => void failed.push([item, (error as Error).message]) }
    const rows = [
      { externalId: 'PD-1', openedAt: new Date('2026-11-30T10:00:00Z') },
      { externalId: 'PD-2', openedAt: new Date('0001-01-01T00:00:00Z') },
      { externalId: 'PD-3\u0000', openedAt: new Date('2026-11-30T10:00:00Z') },
    ]
    expect(keepPlausible(context, rows, (row) => `incident ${printable(row.externalId)}`, bounds)).toEqual([rows[0]])
    expect(failed).toEqual([
      [
        'incident PD-2',
        'openedAt: 0001-01-01T00:00:00.000Z is before 2000-01-01, the earliest date accepted (UPSHOT_EARLIEST_DATE); not stored',
      ],
      ['incident PD-3\\u0000', 'externalId: contains a control character (U+0000); not stored'],
    ])
  })
})

describe('a webhook delivery', () => {
  it('requirePlausible hands a plausible row back as it is, and throws naming the first field at fault', () => {
    const row = { title: 'Fix checkout', mergedAt: new Date() }
    expect(requirePlausible(row)).toBe(row)
    expect(() => requirePlausible({ title: 'ok', mergedAt: new Date('9999-01-01T00:00:00Z') })).toThrow(
      /^mergedAt: 9999-01-01T00:00:00\.000Z is after tomorrow .*; not stored$/,
    )
    expect(() => requirePlausible({ head: { message: 'a\u0000b' } })).toThrow(
      'head.message: contains a control character (U+0000); not stored',
    )
  })

  it('storableJson replaces NUL and lone surrogates, in keys too and at any depth, and keeps all else', () => {
    expect(
      storableJson({
        'bad\u0000key': ['a\u0000b', 'c\ud800', '🚀 \u0007 é'],
        nested: { count: 3, merged: true, missing: null },
      }),
    ).toEqual({
      'bad\ufffdkey': ['a\ufffdb', 'c\ufffd', '🚀 \u0007 é'],
      nested: { count: 3, merged: true, missing: null },
    })
    expect(storableJson('x\udc00')).toBe('x\ufffd')
    expect(storableJson(42)).toBe(42)
  })
})
