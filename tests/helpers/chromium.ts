// The browser tests use the same Chromium as the PDF renderer.
export { browserEnv, chromiumArgs, chromiumForThisMachine } from '@/lib/export/chromium'
