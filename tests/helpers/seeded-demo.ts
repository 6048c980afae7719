// Vitest global setup for the integration project: one database with the demo organisation (seed 42) for
// the tests that only read it, instead of seeding it once per file. Tests reach it with inject('demoDatabaseUrl').
import type { TestProject } from 'vitest/node'
import { seedDemo } from '@/db/demo/seed'
import { freshDatabase } from './database'

declare module 'vitest' {
  export interface ProvidedContext {
    demoDatabaseUrl: string
  }
}

export const DEMO = { seed: 42, end: '2026-11-23' } as const

export default async function setup(project: TestProject) {
  // its connection closes here (tests open their own), so it is not checked on closing: tests/integration/rollups.test.ts
  // compares the demo's rollups with the pure computation instead
  const database = await freshDatabase('demo', { checkOnClose: false })
  await seedDemo(database.connection.db, DEMO)
  await database.connection.close()
  project.provide('demoDatabaseUrl', database.url)
  return async () => {
    await database.close()
  }
}
