// Reading a CSV file into records that remember their line, with every problem found up front: not UTF-8
// (named by line and column), too large, too many rows, a missing column, a malformed row, a cell with a
// control character (collectors/plausible.ts says which and why), a cell that looks like a spreadsheet
// formula. A byte-order mark is dropped. csv-parse does the parsing.
import { parse } from 'csv-parse/sync'
import { printable, textProblem } from '@/collectors/plausible'

export const MAX_BYTES = 20 * 1024 * 1024
const MAX_ROWS = 200_000

export interface Problem {
  /** 1-based line in the file. */
  line: number
  /** The column's header, when the problem is in one cell or column. */
  column?: string
  message: string
}

export interface CsvRecord {
  line: number
  values: Record<string, string>
  /** A cell holds a character that cannot be imported (reported): the row is checked no further, since every other message about it would repeat the cell. */
  badText?: boolean
}

export interface ReadResult {
  records: CsvRecord[]
  problems: Problem[]
}

const FORMULA = /^[=+\-@\t\r]/
const NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/

/**
 * Reads `bytes` as a CSV with a header row naming the columns. `required` columns must be present; columns
 * not in `known` are reported (a typo in a header would otherwise silently drop a column).
 */
export function readCsv(
  bytes: Uint8Array,
  {
    required,
    known,
    maxBytes = MAX_BYTES,
    maxRows = MAX_ROWS,
  }: { required: string[]; known: string[]; maxBytes?: number; maxRows?: number },
): ReadResult {
  if (bytes.length > maxBytes) {
    return {
      records: [],
      problems: [
        {
          line: lineAt(bytes, maxBytes),
          message: `the file is ${megabytes(bytes.length)}; at most ${megabytes(maxBytes)} can be imported at once (it passes the limit on this line)`,
        },
      ],
    }
  }
  const invalidLine = firstNonUtf8Line(bytes)
  if (invalidLine !== null) {
    return {
      records: [],
      problems: [
        {
          line: invalidLine,
          column: columnWithReplacement(bytes, invalidLine),
          message: 'the file is not UTF-8 (this line has bytes that are not); save it as "CSV UTF-8" and try again',
        },
      ],
    }
  }
  const text = new TextDecoder('utf-8').decode(bytes)
  let rows: ParsedRow[]
  try {
    rows = parseRows(text)
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1
    return {
      records: [],
      problems: [
        {
          line,
          message: `not a valid CSV row: ${printable(
            (error as Error).message
              .replace(/^Invalid Record Length: /, '')
              .replace(/\s+/g, ' ')
              .slice(0, 200),
          )}`,
        },
      ],
    }
  }
  const [header, ...body] = rows
  if (!header)
    return { records: [], problems: [{ line: 1, message: 'the file is empty: the first line must name the columns' }] }
  // a bad character in a column's name: every message naming the column would repeat it, so nothing else is said
  const badNames = header.record.flatMap((name, index) => {
    const problem = textProblem(name)
    return problem
      ? [{ line: header.info.lines, message: `the name of column ${index + 1} ${problem}; remove it` }]
      : []
  })
  if (badNames.length) return { records: [], problems: badNames }
  const columns = header.record.map((name) => name.trim().toLowerCase())
  const problems: Problem[] = []
  for (const name of required)
    if (!columns.includes(name))
      problems.push({
        line: header.info.lines,
        column: name,
        message: `the required column "${name}" is missing (the columns are: ${columns.join(', ')})`,
      })
  for (const name of columns)
    if (!known.includes(name))
      problems.push({
        line: header.info.lines,
        column: name,
        message: `unknown column "${name}" (expected: ${known.join(', ')})`,
      })
  const seen = new Set<string>()
  for (const name of columns) {
    if (seen.has(name))
      problems.push({ line: header.info.lines, column: name, message: `the column "${name}" appears twice` })
    seen.add(name)
  }
  if (body.length > maxRows) {
    const over = body[maxRows] as (typeof body)[number]
    problems.push({ line: over.info.lines, message: `more than ${maxRows.toLocaleString('en')} rows: split the file` })
  }
  if (problems.length) return { records: [], problems }
  const records: CsvRecord[] = []
  for (const { record, info } of body) {
    const values: Record<string, string> = {}
    let badText = false
    record.forEach((value, index) => {
      const column = columns[index] as string
      const problem = textProblem(value)
      if (problem) {
        problems.push({ line: info.lines, column, message: `${problem}; remove it` })
        badText = true
      } else if (FORMULA.test(value) && !NUMBER.test(value)) {
        problems.push({
          line: info.lines,
          column,
          message: `"${value.slice(0, 40)}" looks like a spreadsheet formula; remove the leading "${value[0]}" (formulas are not imported, to keep them out of exports)`,
        })
      }
      values[column] = value
    })
    records.push({ line: info.lines, values, ...(badText ? { badText } : {}) })
  }
  return { records, problems }
}

interface ParsedRow {
  record: string[]
  /** `lines`: the line the record ends on. */
  info: { lines: number }
}

const parseRows = (text: string): ParsedRow[] =>
  parse(text, { bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as never

/**
 * The column of the first cell on `line` holding bytes that are not UTF-8: the file read again with each
 * such sequence replaced by U+FFFD, looked for in that line's record. Undefined when that cannot be told
 * (the file does not parse, or the bytes are in the header).
 */
function columnWithReplacement(bytes: Uint8Array, line: number): string | undefined {
  try {
    const [header, ...body] = parseRows(new TextDecoder('utf-8').decode(bytes))
    if (!header || header.info.lines >= line) return undefined
    const record = body.find((row) => row.info.lines >= line)
    const index = record?.record.findIndex((value) => value.includes('\uFFFD')) ?? -1
    const name = index >= 0 ? header.record[index]?.trim().toLowerCase() : undefined
    return name && !textProblem(name) ? name : undefined
  } catch {
    return undefined
  }
}

/** The 1-based line of the first bytes that are not UTF-8, or null when all are. */
function firstNonUtf8Line(bytes: Uint8Array): number | null {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let line = 1
  let start = 0
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i))
      } catch {
        return line
      }
      line++
      start = i + 1
    }
  }
  return null
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1
  for (let i = 0; i < Math.min(offset, bytes.length); i++) if (bytes[i] === 0x0a) line++
  return line
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
