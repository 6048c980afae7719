import { describe, expect, it } from 'vitest'
import { readCsv } from './read'

const columns = { required: ['id', 'title'], known: ['id', 'title', 'note'] }
const read = (text: string | Uint8Array) => readCsv(typeof text === 'string' ? Buffer.from(text) : text, columns)

describe('reading a CSV: characters that cannot be imported', () => {
  it('a NUL in a cell is refused on its line and column; the row is checked no further', () => {
    const result = read('id,title\ni-1,fine\ni-2,fine\ni-3,Checkout\u0000errors\n')
    expect(result.problems).toEqual([
      { line: 4, column: 'title', message: 'contains a control character (U+0000); remove it' },
    ])
    expect(result.records.map((record) => [record.line, record.badText ?? false])).toEqual([
      [2, false],
      [3, false],
      [4, true],
    ])
  })

  it('every control character but tab and line feed (a quoted cell may span lines)', () => {
    const result = read(
      'id,title,note\ni-1,"two\nlines",tab\there\ni-2,bell\u0007,x\ni-3,ok,del\u007f\ni-4,ok,c1\u0085\n',
    )
    expect(result.problems).toEqual([
      { line: 4, column: 'title', message: 'contains a control character (U+0007); remove it' },
      { line: 5, column: 'note', message: 'contains a control character (U+007F); remove it' },
      { line: 6, column: 'note', message: 'contains a control character (U+0085); remove it' },
    ])
    expect(result.records[0]?.values).toEqual({ id: 'i-1', title: 'two\nlines', note: 'tab\there' })
  })

  it('a control character in a column name is named by position, and nothing else is said', () => {
    expect(read('id,ti\u0001tle\ni-1,x\n').problems).toEqual([
      { line: 1, message: 'the name of column 2 contains a control character (U+0001); remove it' },
    ])
  })

  it('bytes that are not UTF-8 are named by line and column', () => {
    const bytes = Buffer.concat([
      Buffer.from('id,title,note\ni-1,fine,fine\ni-2,fine,Zo'),
      Buffer.from([0xeb]),
      Buffer.from('\n'),
    ])
    expect(read(bytes).problems).toEqual([
      {
        line: 3,
        column: 'note',
        message: 'the file is not UTF-8 (this line has bytes that are not); save it as "CSV UTF-8" and try again',
      },
    ])
    // in the header: the line only
    expect(
      read(Buffer.concat([Buffer.from('id,ti'), Buffer.from([0xff]), Buffer.from('tle\ni-1,x\n')])).problems,
    ).toEqual([
      {
        line: 1,
        message: 'the file is not UTF-8 (this line has bytes that are not); save it as "CSV UTF-8" and try again',
      },
    ])
  })

  it('an encoded lone surrogate (ED A0 80) is not UTF-8 either', () => {
    const bytes = Buffer.concat([Buffer.from('id,title\ni-1,'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\n')])
    expect(read(bytes).problems).toEqual([
      { line: 2, column: 'title', message: expect.stringMatching(/^the file is not UTF-8/) as unknown as string },
    ])
  })
})
