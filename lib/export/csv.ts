// The report's figures as CSV (RFC 4180, by csv-stringify). A text cell that starts with = + - @, a tab or a
// carriage return is prefixed with an apostrophe, so a spreadsheet shows it instead of running it (OWASP's
// "CSV injection"), and every text cell is quoted, so a spreadsheet that splits on semicolons cannot start a
// cell inside one. Numbers are written as numbers: a negative net stays something a spreadsheet can add up.
import { stringify } from 'csv-stringify/sync'

const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A cell as text a spreadsheet will not execute; a number stays a number (it cannot be a formula); a missing
 * value stays missing (an empty, unquoted cell, which a spreadsheet reads as blank, not as text).
 */
export function neutralise(value: string | number | null): string | number | null {
  if (value === null || typeof value === 'number') return value
  return FORMULA_START.test(value) ? `'${value}` : value
}

export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return stringify(
    [header, ...rows].map((row) => row.map(neutralise)),
    { record_delimiter: '\r\n', quoted_string: true },
  )
}
