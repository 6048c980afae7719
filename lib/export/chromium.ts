// Which Chromium renders the one-pager (and runs the browser tests): CHROMIUM_PATH, else Debian's
// /usr/bin/chromium, else Playwright's own download (undefined: Playwright finds it itself).
import fs from 'node:fs'

export function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium'
  return undefined
}

/** Flags that work in a container as root without network access. */
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
