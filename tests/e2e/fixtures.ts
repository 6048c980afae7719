// The database behind the web server a test talks to, so a test can compute what the page should show.
import { test as base } from '@playwright/test'
import postgres from 'postgres'
import { embeddedUrl, readLiveOwner } from '../../db/embedded-lock'
import { e2e, type E2eEngine } from '../helpers/e2e-env'

export const test = base.extend<{ sql: postgres.Sql }, { engine: E2eEngine }>({
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
