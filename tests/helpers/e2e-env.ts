// Where the end-to-end web servers run and which database each uses. tests/run.ts sets these; a direct
// `npm run test:e2e` falls back to an embedded database in tests/.output/e2e-data.
import path from 'node:path'
import { root } from './processes'

export type E2eEngine = 'embedded' | 'postgres'

export const e2e = {
  dataDir: process.env.E2E_DATA_DIR ?? path.join(root, 'tests', '.output', 'e2e-data'),
  databaseUrl: process.env.E2E_DATABASE_URL || undefined,
  port: { embedded: Number(process.env.E2E_PORT ?? 3100), postgres: Number(process.env.E2E_PORT ?? 3100) + 1 },
  outputDir: path.join(root, 'tests', '.output'),
}

export const e2eEngines: E2eEngine[] = e2e.databaseUrl ? ['embedded', 'postgres'] : ['embedded']

/**
 * Canary credentials: the end-to-end web servers, the build and the collectors the tests run all have these in
 * their environment, and the tests grep every page, response, log line and built client file for them.
 */
export const canarySecrets = {
  GITHUB_TOKEN: 'ghp_UpshotCanaryToken0000000000000000000001',
  GITHUB_WEBHOOK_SECRET: 'whsec-upshot-canary-0002-webhook-secret',
  PAGERDUTY_TOKEN: 'u+UpshotCanaryPagerDuty0003',
  OPSGENIE_API_KEY: 'upshot-canary-opsgenie-0004-0000-000000000000',
  BACKSTAGE_TOKEN: 'upshot-canary-backstage-0005',
} as const

/** The sources file the end-to-end web servers read (webhook secret by name; no upstream is reachable). */
export const e2eSourcesFile = path.join(root, 'tests', 'fixtures', 'sources.e2e.json')

export const serverLog = (engine: E2eEngine) => path.join(e2e.outputDir, `server-${engine}.log`)
