// Renders the one-pager to PDF or PNG in headless Chromium (playwright-core): one render at a time with a
// short queue, a hard time limit, and the browser may load nothing but the app's own origin (no redirect
// elsewhere either). A render that fails throws a RenderError with a reason — never an empty or blank file.
import { chromium, type Browser } from 'playwright-core'
import { browserEnv, chromiumArgs, chromiumForThisMachine } from './chromium'

export class RenderError extends Error {
  override name = 'RenderError'
}

export interface RenderRequest {
  /** The app's own origin, e.g. http://127.0.0.1:3000: the only one the browser may reach. */
  origin: string
  /** The report's path and query, e.g. /report?initiative=1&paper=letter. */
  path: string
  format: 'pdf' | 'png'
  timeoutMs?: number
  /** This browser instead of the one chromiumForThisMachine() finds. */
  executablePath?: string
  /** The caller's credentials (Cookie, Authorization), sent only to `origin`: the report renders as them. */
  credentials?: Record<string, string>
}

/**
 * Where this server reaches itself to render: UPSHOT_INTERNAL_URL, else 127.0.0.1 on PORT — never a request's Host,
 * which a caller chooses (the renderer would fetch it).
 */
export function internalOrigin(): string {
  return process.env.UPSHOT_INTERNAL_URL || `http://127.0.0.1:${process.env.PORT || 3000}`
}

/** Renders waiting beyond this many are refused at once: a burst must not tie Chromium up for minutes. */
const MAX_WAITING = 3
let queue: Promise<unknown> = Promise.resolve()
let waiting = 0

/** Renders after any render already under way (Chromium is memory-hungry and the machine is shared). */
export function renderReport(request: RenderRequest): Promise<Buffer> {
  if (waiting >= MAX_WAITING)
    return Promise.reject(new RenderError(`${waiting} renders are already waiting; try again in a minute`))
  waiting++
  const run = queue.then(() => renderNow(request)).finally(() => void waiting--)
  queue = run.catch(() => undefined)
  return run
}

async function renderNow({
  origin,
  path,
  format,
  timeoutMs = 30_000,
  executablePath,
  credentials = {},
}: RenderRequest): Promise<Buffer> {
  const allowed = new URL(origin).origin
  let timedOut = false
  let launched: Browser | null = null
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true
      // stop the browser now: the next render must not run beside this one
      void (launched as Browser | null)?.close().catch(() => undefined)
      reject(new RenderError(`rendering took longer than ${Math.round(timeoutMs / 1000)} s`))
    }, timeoutMs)
  })
  const work = (async () => {
    let browser: Browser
    try {
      // the first render on a machine without a system Chromium unpacks the npm-packaged one here (about 10 s)
      const found = executablePath ? { executablePath, args: chromiumArgs, env: {} } : await chromiumForThisMachine()
      browser = await chromium.launch({
        executablePath: found.executablePath,
        args: found.args,
        env: browserEnv(found),
        timeout: timeoutMs,
      })
      launched = browser
    } catch (error) {
      throw new RenderError(`the browser could not start (${firstLine(error)})`)
    }
    // closed here when the work ends, or by the deadline when it comes first; a browser that started after
    // the deadline is closed at once
    try {
      if (timedOut) throw new RenderError('timed out')
      const context = await browser.newContext({
        viewport: { width: 900, height: 1200 },
        deviceScaleFactor: format === 'png' ? 2 : 1,
        serviceWorkers: 'block',
      })
      const page = await context.newPage()
      // Nothing but the app itself: no third-party fetch, no exfiltration through the renderer. Each request is
      // made here, with the caller's credentials added only now that its origin is known to be the app's, and
      // without following redirects: a redirect (to a sign-in page elsewhere, say) would take them along.
      await page.route('**/*', async (route) => {
        if (new URL(route.request().url()).origin !== allowed) return route.abort('blockedbyclient')
        const response = await route
          .fetch({ headers: { ...route.request().headers(), ...credentials }, maxRedirects: 0 })
          .catch(() => null)
        if (!response || (response.status() >= 300 && response.status() < 400)) return route.abort('blockedbyclient')
        return route.fulfill({ response })
      })
      const response = await page
        .goto(new URL(path, allowed).toString(), { waitUntil: 'load', timeout: timeoutMs })
        .catch((error: unknown) => {
          throw new RenderError(`the report page could not be loaded (a redirect is not followed): ${firstLine(error)}`)
        })
      if (!response || !response.ok())
        throw new RenderError(
          `the report page answered ${response?.status() ?? 'nothing (a redirect is not followed)'}`,
        )
      if (new URL(page.url()).origin !== allowed) throw new RenderError('the report page redirected; not followed')
      const ready = await page
        .locator('[data-report-ready]')
        .getAttribute('data-report-ready', { timeout: timeoutMs })
        .catch(() => null)
      if (ready !== 'ready')
        throw new RenderError(
          ready === 'empty'
            ? 'there is nothing to report yet: create an initiative first'
            : 'the report page did not finish drawing',
        )
      await page.emulateMedia({ media: format === 'pdf' ? 'print' : 'screen', colorScheme: 'light' })
      const bytes =
        format === 'pdf'
          ? await page.pdf({ preferCSSPageSize: true, printBackground: true })
          : await page.locator('[data-report-ready]').screenshot({ type: 'png' })
      if (bytes.length < 1000) throw new RenderError(`the ${format.toUpperCase()} came out empty`)
      return bytes
    } finally {
      await browser.close().catch(() => undefined)
    }
  })()
  try {
    return await Promise.race([work, deadline])
  } catch (error) {
    throw error instanceof RenderError ? error : new RenderError(firstLine(error))
  } finally {
    clearTimeout(timer)
    // after a timeout the work's next step fails on the closed browser; that error is expected
    work.catch(() => undefined)
  }
}

/**
 * An error's first line, for a RenderError's message. Browser errors name the URL they failed on, and a snapshot's
 * is /share/<token>: the token is cut, since the message is shown and stored.
 */
export function firstLine(error: unknown): string {
  const line = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200) ?? 'unknown error'
  return line.replaceAll(/\/share\/[^\s"'<>)]+/g, '/share/…')
}
