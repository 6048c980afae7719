// The answers of the report exports: GET /api/report.pdf, .png and .csv, with ?initiative=<id>&paper=a4|letter.
// A render that fails answers 503 with a message that says why — never a blank or partial file.
import 'server-only'
import { z } from 'zod'
import { keptFilters } from '@/lib/data/filter-keys'
import { readReport } from '@/lib/data/report'
import { describeError } from '@/lib/errors'
import { toCsv } from './csv'
import { REPORT_CSV_HEADER, reportCsvRows } from './report-csv'
import { internalOrigin, RenderError, renderReport } from './render'

const querySchema = z.object({
  initiative: z
    .string()
    .regex(/^\d{1,9}$/, 'initiative must be an initiative id')
    .optional(),
  paper: z.enum(['a4', 'letter'], { error: 'paper must be a4 or letter' }).default('a4'),
})

const json = (status: number, body: unknown) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store' } })

function readQuery(request: Request) {
  const url = new URL(request.url)
  return querySchema.safeParse({
    initiative: url.searchParams.get('initiative') ?? undefined,
    paper: url.searchParams.get('paper') ?? undefined,
  })
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
export async function reportFile(
  request: Request,
  format: 'pdf' | 'png',
  { executablePath }: { executablePath?: string } = {},
): Promise<Response> {
  const query = readQuery(request)
  if (!query.success)
    return json(400, { ok: false, message: query.error.issues.map((issue) => issue.message).join('; ') })
  // the page for the same query: its filters (teams or group, weeks) too, which the page reads and reports on itself
  const params = new URLSearchParams(keptFilters(new URL(request.url).searchParams))
  params.set('paper', query.data.paper)
  if (query.data.initiative) params.set('initiative', query.data.initiative)
  const origin = internalOrigin()
  try {
    const bytes = await renderReport({
      origin,
      path: `/report?${params}`,
      format,
      credentials: callerCredentials(request),
      ...(executablePath ? { executablePath } : {}),
    })
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
    return json(503, {
      ok: false,
      message: `The one-pager could not be rendered as ${format.toUpperCase()}: ${reason}. Try again; if it keeps failing, check that Chromium is installed (or CHROMIUM_PATH names it).`,
    })
  }
}

/**
 * The report's figures as CSV (lib/export/report-csv.ts): every metric judged, then the money. The filters
 * change only the one-pager's deployments chart, which the CSV does not hold, so the same figures for any.
 */
export async function reportCsv(request: Request): Promise<Response> {
  const query = readQuery(request)
  if (!query.success)
    return json(400, { ok: false, message: query.error.issues.map((issue) => issue.message).join('; ') })
  const report = await readReport({ initiativeId: query.data.initiative ? Number(query.data.initiative) : undefined })
  if (report.state !== 'ready')
    return json(404, { ok: false, message: 'There is nothing to report yet: create an initiative first.' })
  const csv = toCsv([...REPORT_CSV_HEADER], reportCsvRows(report.initiative, report.roi))
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="upshot-one-pager.csv"',
      'cache-control': 'no-store',
    },
  })
}
