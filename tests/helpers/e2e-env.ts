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
