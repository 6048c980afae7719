// The report's figures as CSV (RFC 4180, by csv-stringify). A cell that starts with = + - @, a tab or a
// carriage return is prefixed with an apostrophe, so a spreadsheet shows it instead of running it (OWASP's
// "CSV injection").
import { stringify } from 'csv-stringify/sync'

const FORMULA_START = /^[=+\-@\t\r]/

/** A cell as text a spreadsheet will not execute. */
export function neutralise(value: string | number | null): string {
  const text = value === null ? '' : String(value)
  return FORMULA_START.test(text) ? `'${text}` : text
}

export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return stringify([header, ...rows].map((row) => row.map(neutralise)), { record_delimiter: '\r\n', quoted_match: /[",\r\n]/ })
}
