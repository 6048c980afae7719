import path from 'node:path'
import { defineConfig } from '@playwright/test'
import type { E2eEngine } from './helpers/e2e-env'
import { browserEnv, chromiumForThisMachine } from './helpers/chromium'
import {
  canarySecrets,
  deliveryEnv,
  e2e,
  e2eEngines,
  e2eSourcesFile,
  serverLog,
  signInEnv,
  storageState,
} from './helpers/e2e-env'
import { root } from './helpers/processes'

// Each engine gets its own web server, started the way a newcomer starts one: `npm run demo` (migrate, seed
// if empty, serve). `--no-build`: tests/run.ts builds once before this runs.
// The embedded one is the demo (no sign-in). The Postgres one requires sign-in, at a fake identity provider:
// its setup signs in an admin and a viewer, and its tests run as the admin unless they say otherwise.
const demo = (port: number) => `node --import tsx db/demo/start.ts --no-build --port ${port}`
const withPostgres = e2eEngines.includes('postgres')
// The browser: CHROMIUM_PATH, a system Chromium, else the one inside @sparticuz/chromium, unpacked on first use
// (lib/export/chromium.ts). Playwright reads this file in its runner and again in each worker; the unpacking
// happens once. UPSHOT_NO_SYSTEM_CHROMIUM=1 hides the system one here and, through the inherited environment, in
// the web servers' renderer too.
const browser = await chromiumForThisMachine()

export default defineConfig<{ engine: E2eEngine }>({
  testDir: './e2e',
  outputDir: path.join(e2e.outputDir, 'playwright'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: path.join(e2e.outputDir, 'e2e.json') }]],
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: browser.executablePath, args: browser.args, env: browserEnv(browser) },
  },
  projects: [
    {
      name: 'embedded',
      use: { engine: 'embedded' as const, baseURL: `http://127.0.0.1:${e2e.port.embedded}` },
      testIgnore: ['**/*.setup.ts', '**/access.spec.ts'],
    },
    ...(withPostgres
      ? [
          {
            name: 'sign-in',
            testMatch: /sign-in\.setup\.ts/,
            use: { engine: 'postgres' as const, baseURL: `http://127.0.0.1:${e2e.port.postgres}` },
          },
          {
            name: 'postgres',
            dependencies: ['sign-in'],
            // The demo (no sign-in, the embedded database) has its own tests: they run once, there.
            testIgnore: ['**/*.setup.ts', '**/demo-*.spec.ts'],
            use: {
              engine: 'postgres' as const,
              baseURL: `http://127.0.0.1:${e2e.port.postgres}`,
              storageState: storageState('admin'),
            },
          },
        ]
      : []),
  ],
  webServer: [
    ...(withPostgres
      ? [
          {
            command: `node --import tsx tests/fakes/identity-server.ts --port ${e2e.identityPort}`,
            cwd: root,
            url: `http://127.0.0.1:${e2e.identityPort}/oidc/.well-known/openid-configuration`,
            timeout: 60_000,
            reuseExistingServer: false,
          },
        ]
      : []),
    ...e2eEngines.map((engine) => ({
      command: demo(e2e.port[engine]),
      cwd: root,
      url: `http://127.0.0.1:${e2e.port[engine]}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: 'pipe' as const,
      // Ctrl-C, as a person would: the demo stops the web server and closes the database.
      gracefulShutdown: { signal: 'SIGINT' as const, timeout: 30_000 },
      env: {
        ...canarySecrets,
        ...deliveryEnv,
        ...(engine === 'postgres' ? signInEnv(e2e.port.postgres) : {}),
        UPSHOT_SOURCES: e2eSourcesFile,
        UPSHOT_LOG_FILE: serverLog(engine),
        NEXT_TELEMETRY_DISABLED: '1',
        UPSHOT_DATA_DIR: engine === 'embedded' ? e2e.dataDir : path.join(e2e.outputDir, 'unused-data'),
        DATABASE_URL: engine === 'postgres' ? (e2e.databaseUrl ?? '') : '',
      },
    })),
  ],
})
