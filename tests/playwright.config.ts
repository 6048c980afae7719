import path from 'node:path'
import { defineConfig } from '@playwright/test'
import type { E2eEngine } from './helpers/e2e-env'
import { chromiumArgs, chromiumExecutable } from './helpers/chromium'
import { canarySecrets, e2e, e2eEngines, e2eSourcesFile, serverLog } from './helpers/e2e-env'
import { root } from './helpers/processes'

// Each engine gets its own web server, started the way a newcomer starts one: `npm run demo` (migrate, seed
// if empty, serve). `--no-build`: tests/run.ts builds once before this runs.
const demo = (port: number) => `node --import tsx db/demo/start.ts --no-build --port ${port}`

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
    launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs },
  },
  projects: e2eEngines.map((engine) => ({
    name: engine,
    use: { engine, baseURL: `http://127.0.0.1:${e2e.port[engine]}` },
    // The demo's own database is the embedded one: its start/stop test runs once, there.
    testIgnore: engine === 'embedded' ? [] : ['**/demo-lifecycle.spec.ts'],
  })),
  webServer: e2eEngines.map((engine) => ({
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
      UPSHOT_SOURCES: e2eSourcesFile,
      UPSHOT_LOG_FILE: serverLog(engine),
      NEXT_TELEMETRY_DISABLED: '1',
      UPSHOT_DATA_DIR: engine === 'embedded' ? e2e.dataDir : path.join(e2e.outputDir, 'unused-data'),
      DATABASE_URL: engine === 'postgres' ? (e2e.databaseUrl ?? '') : '',
    },
  })),
})
