// The answers of the report exports: GET /api/report.pdf, .png and .csv, with ?initiative=<id>&paper=a4|letter.
// A render that fails answers 503 with a message that says why — never a blank or partial file.
import 'server-only'
import { z } from 'zod'
import { readReport } from '../data/report'
import { describeError } from '../errors'
import { formatEffect, formatValue } from '../format'
import { toCsv } from './csv'
import { RenderError, renderReport } from './render'

const querySchema = z.object({
  initiative: z.string().regex(/^\d{1,9}$/, 'initiative must be an initiative id').optional(),
  paper: z.enum(['a4', 'letter'], { error: 'paper must be a4 or letter' }).default('a4'),
})

const json = (status: number, body: unknown) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } })

function readQuery(request: Request) {
  const url = new URL(request.url)
  return querySchema.safeParse({ initiative: url.searchParams.get('initiative') ?? undefined, paper: url.searchParams.get('paper') ?? undefined })
}

/** The caller's session cookie or API token: the renderer loads /report as the caller, with their rights. */
function callerCredentials(request: Request): Record<string, string> {
  const credentials: Record<string, string> = {}
  const cookie = request.headers.get('cookie')
  const authorization = request.headers.get('authorization')
  if (cookie) credentials.cookie = cookie
  if (authorization) credentials.authorization = authorization
  return credentials
}

/**
 * PDF or PNG of /report. The browser loads it from a fixed address of this server — UPSHOT_INTERNAL_URL, else
 * 127.0.0.1 on PORT — never from the request's Host, which a caller chooses (the renderer would fetch it).
 */
export async function reportFile(request: Request, format: 'pdf' | 'png', { executablePath }: { executablePath?: string } = {}): Promise<Response> {
  const query = readQuery(request)
  if (!query.success) return json(400, { ok: false, message: query.error.issues.map((issue) => issue.message).join('; ') })
  const params = new URLSearchParams({ paper: query.data.paper, ...(query.data.initiative ? { initiative: query.data.initiative } : {}) })
  const origin = process.env.UPSHOT_INTERNAL_URL || `http://127.0.0.1:${process.env.PORT || 3000}`
  try {
    const bytes = await renderReport({ origin, path: `/report?${params}`, format, credentials: callerCredentials(request), ...(executablePath ? { executablePath } : {}) })
    return new Response(new Uint8Array(bytes), {
      headers: {
        'content-type': format === 'pdf' ? 'application/pdf' : 'image/png',
        'content-disposition': `attachment; filename="upshot-one-pager.${format}"`,
        'cache-control': 'no-store',
      },
    })
  } catch (error) {
    const reason = error instanceof RenderError ? error.message : 'an unexpected error'
    if (!(error instanceof RenderError)) console.error(`report.${format}: ${describeError(error)}`)
    return json(503, { ok: false, message: `The one-pager could not be rendered as ${format.toUpperCase()}: ${reason}. Try again; if it keeps failing, check that Chromium is installed (or CHROMIUM_PATH names it).` })
  }
}

/** The report's figures as CSV: every metric judged, then the money. */
export async function reportCsv(request: Request): Promise<Response> {
  const query = readQuery(request)
  if (!query.success) return json(400, { ok: false, message: query.error.issues.map((issue) => issue.message).join('; ') })
  const report = await readReport({ initiativeId: query.data.initiative ? Number(query.data.initiative) : undefined })
  if (report.state !== 'ready') return json(404, { ok: false, message: 'There is nothing to report yet: create an initiative first.' })
  const { initiative, roi } = report
  const rows: (string | number | null)[][] = initiative.metrics.map((metric) => {
    const estimate = metric.outcome.state === 'estimate' ? metric.outcome.estimate : null
    const effect = (value: number | undefined) => (value === undefined ? null : formatEffect(metric.scale, metric.unit, value))
    return [
      initiative.name,
      metric.label,
      formatValue(metric.unit, metric.figures.pilotBaseline.value),
      formatValue(metric.unit, metric.figures.pilotEvaluation.value),
      formatValue(metric.unit, metric.figures.controlBaseline.value),
      formatValue(metric.unit, metric.figures.controlEvaluation.value),
      effect(estimate?.value),
      effect(estimate?.low),
      effect(estimate?.high),
      // the claim the one-pager makes: a change the family-wise rule did not confirm is not stated as one
      metric.outcome.state !== 'estimate'
        ? 'not enough data'
        : metric.outcome.verdict === 'no_clear_change' || metric.confirmed
          ? metric.outcome.verdict
          : metric.role === 'exploratory'
            ? `exploratory (${metric.outcome.verdict})`
            : 'not confirmed',
    ]
  })
  const money = (label: string, range: { low: number; likely: number; high: number }) => [initiative.name, label, null, null, null, null, Math.round(range.likely), Math.round(range.low), Math.round(range.high), 'USD per year']
  rows.push(money('Value', roi.result.value), money('Cost', roi.result.cost), money('Net', roi.result.net))
  for (const benefit of roi.result.benefits) if (benefit.value) rows.push(money(benefit.label, benefit.value))
  const csv = toCsv(['initiative', 'metric', 'pilot before', 'pilot after', 'control before', 'control after', 'estimate', 'low (95%)', 'high (95%)', 'verdict or unit'], rows)
  return new Response(csv, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="upshot-one-pager.csv"', 'cache-control': 'no-store' } })
}
