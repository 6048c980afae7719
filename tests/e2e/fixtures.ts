// The database behind the web server a test talks to, so a test can compute what the page should show.
import { test as base } from '@playwright/test'
import postgres from 'postgres'
import { embeddedUrl, readLiveOwner } from '@/db/embedded-lock'
import { e2e, type E2eEngine } from '@/tests/helpers/e2e-env'

export const test = base.extend<{ sql: postgres.Sql; problems: string[] }, { engine: E2eEngine }>({
  /** What went wrong in the page while the test ran: console errors, page errors, failed requests, 4xx/5xx answers. */
  problems: async ({ page }, use) => {
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('requestfailed', (request) => {
      // Cancelled by the page itself, not failed: the router's prefetch of a linked page when the test moves on,
      // a server action's answer stream once its redirect has been followed (its effect is checked in SQL), and
      // the tab's icon when a navigation starts before it arrived.
      const cancelled = request.failure()?.errorText === 'net::ERR_ABORTED'
      const url = new URL(request.url())
      if (
        cancelled &&
        (url.searchParams.has('_rsc') || request.headers()['next-action'] !== undefined || url.pathname === '/icon.svg')
      )
        return
      problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`)
    })
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`)
    })
    await use(problems)
  },
  // Set per project in playwright.config.ts.
  engine: ['embedded', { option: true, scope: 'worker' }],
  sql: async ({ engine }, use) => {
    let url = e2e.databaseUrl
    if (engine === 'embedded') {
      const owner = readLiveOwner(e2e.dataDir)
      if (!owner?.host || !owner.port) throw new Error(`no process serves the embedded database in ${e2e.dataDir}`)
      url = embeddedUrl(owner.host, owner.port)
    }
    if (!url) throw new Error('no database for the postgres project')
    const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { TimeZone: 'UTC' } })
    await use(sql)
    await sql.end()
  },
})

export { expect } from '@playwright/test'
