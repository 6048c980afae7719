// The CSV export of the demo's one-pager, parsed as a spreadsheet would: every numeric column holds numbers
// (no units, no visible apostrophe, no U+2212 minus), the verdict is in words, and the money has ROI and
// payback; its figures are the one-pager's own.
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connect, type Connection } from '@/db/client'
import { getReport, type ReportView } from '@/lib/data/report'
import { toCsv } from '@/lib/export/csv'
import { REPORT_CSV_HEADER, reportCsvRows } from '@/lib/export/report-csv'
import { engine } from '@/tests/helpers/database'

const NUMERIC = ['pilot before', 'pilot after', 'control before', 'control after', 'estimate', 'low', 'high'] as const
const VERDICT =
  /^(improved|worsened|no clear change|not enough data|not confirmed \((improved|worsened) at 95% alone\)|exploratory: (improved|worsened|no clear change), not tested)$/

describe(`the one-pager as CSV (${engine})`, () => {
  let database: Connection
  let report: Extract<ReportView, { state: 'ready' }>
  let csv: string
  let records: Record<string, string>[]
  beforeAll(async () => {
    database = connect(inject('demoDatabaseUrl'), { max: 2 })
    report = (await getReport({ db: database.db, now: new Date('2026-11-25T12:00:00Z') })) as typeof report
    csv = toCsv([...REPORT_CSV_HEADER], reportCsvRows(report.initiative, report.roi))
    records = parse(csv, { columns: true }) as Record<string, string>[]
  })
  afterAll(async () => database?.close())

  it('every numeric cell parses as a number, written plainly; numbers are not quoted, text is', () => {
    expect(Object.keys(records[0] ?? {})).toEqual([...REPORT_CSV_HEADER])
    const cells = records.flatMap((record) =>
      NUMERIC.map((column) => ({ metric: record.metric, column, value: record[column] ?? '' })),
    )
    expect(cells.filter((cell) => cell.value !== '').length).toBeGreaterThan(60)
    expect(cells.filter((cell) => cell.value !== '' && !/^-?\d+(\.\d+)?$/.test(cell.value))).toEqual([])
    // text is quoted and guarded (no cell here starts with the formula guard's apostrophe); a number, or a blank, is bare
    expect(records.flatMap((record) => Object.values(record)).filter((value) => value.startsWith("'"))).toEqual([])
    const [, firstRow] = csv.split('\r\n')
    expect(firstRow).toMatch(/^"[^"]+","[^"]+","(primary|secondary|exploratory)","[^"]+",(-?[\d.]+)?,(-?[\d.]+)?,/)
    expect(csv).not.toMatch(/,"",/)
  })

  it('the verdict is in words, and each metric row is the one-pager’s figure in its unit', () => {
    const metrics = records.filter((record) => record.role !== '')
    expect(metrics).toHaveLength(report.initiative.metrics.length)
    expect(metrics.filter((record) => !VERDICT.test(record['verdict or note'] ?? ''))).toEqual([])
    const frequency = report.initiative.metrics.find((metric) => metric.key === 'deployment_frequency')
    const row = metrics.find((record) => record.metric === frequency?.label)
    expect(row).toMatchObject({ unit: 'per service-week', 'estimate unit': '%' })
    expect(Number(row?.['pilot before'])).toBeCloseTo(frequency?.figures.pilotBaseline.value ?? Number.NaN, 3)
    if (frequency?.outcome.state !== 'estimate') throw new Error('the demo’s deployment frequency has an estimate')
    expect(Number(row?.estimate)).toBeCloseTo(frequency.outcome.estimate.value * 100, 3)
  })

  it('the money: value, cost and net a year in dollars, ROI in percent and payback in months, as the ROI model has them', () => {
    const money = (metric: string) => records.find((record) => record.metric === metric)
    const { result } = report.roi
    expect(money('Value')).toMatchObject({
      'estimate unit': 'USD per year',
      estimate: String(Math.round(result.value.likely)),
    })
    expect(money('Cost')).toMatchObject({ estimate: String(Math.round(result.cost.likely)) })
    expect(money('Net')).toMatchObject({
      estimate: String(Math.round(result.net.likely)),
      low: String(Math.round(result.net.low)),
      high: String(Math.round(result.net.high)),
    })
    expect(money('ROI')?.['estimate unit']).toBe('%')
    expect(Number(money('ROI')?.estimate)).toBeCloseTo(result.roiPercent?.likely ?? Number.NaN, 3)
    const payback = money('Payback')
    expect(payback?.['estimate unit']).toBe('months')
    // a number where the year's value covers the cost, else blank with the reason in words
    if (result.paybackMonths.likely === null)
      expect(payback).toMatchObject({ estimate: '', 'verdict or note': expect.stringMatching(/^never \(likely: /) })
    else expect(Number(payback?.estimate)).toBeCloseTo(result.paybackMonths.likely, 3)
  })
})
