// Which Chromium renders the one-pager (and runs the browser tests); the first found wins:
//  1. CHROMIUM_PATH;
//  2. a system Chromium (Debian's /usr/bin/chromium, Ubuntu's chromium-browser, Google Chrome);
//  3. the Chromium inside the npm package @sparticuz/chromium (Linux x64 only): `npm ci` brings it brotli-packed,
//     with the few libraries it links (NSS, expat) and a font, and the first use unpacks it to the temp directory
//     (about 10 s; later uses find it there), so a fresh machine needs nothing from apt;
//  4. Playwright's own download (executablePath undefined: Playwright finds it itself; a developer's Mac).
// UPSHOT_NO_SYSTEM_CHROMIUM=1 skips 1 and 2: the tests use it to prove that npm alone is enough.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'

/** Flags that work in a container as root without network access. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Where the distributions put their Chromium or Chrome, most likely first. */
export const systemChromiumPaths: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
]

export interface FoundChromium {
  /** undefined: Playwright's own download. */
  executablePath: string | undefined
  args: string[]
  /** Added to the browser's environment (the packaged Chromium's libraries and fonts). */
  env: Record<string, string>
  source: 'CHROMIUM_PATH' | 'system' | 'npm' | 'playwright'
}

export interface PackagedChromium {
  executablePath: string
  env: Record<string, string>
}

export interface ChromiumLookup {
  env?: Record<string, string | undefined>
  systemPaths?: readonly string[]
  platform?: string
  arch?: string
  /** Unpacks the npm-packaged Chromium; null when the package is not installed. */
  packaged?: () => Promise<PackagedChromium | null>
}

export async function findChromium({
  env = process.env,
  systemPaths = systemChromiumPaths,
  platform = process.platform,
  arch = process.arch,
  packaged = unpackPackagedChromium,
}: ChromiumLookup = {}): Promise<FoundChromium> {
  const systemHidden = env.UPSHOT_NO_SYSTEM_CHROMIUM === '1'
  if (!systemHidden && env.CHROMIUM_PATH)
    return { executablePath: env.CHROMIUM_PATH, args: chromiumArgs, env: {}, source: 'CHROMIUM_PATH' }
  const system = systemHidden ? undefined : systemPaths.find(isExecutableFile)
  if (system) return { executablePath: system, args: chromiumArgs, env: {}, source: 'system' }
  // the package ships a Linux x64 build only
  if (platform === 'linux' && arch === 'x64') {
    const unpacked = await packaged()
    // consistent text metrics, as the package recommends; its --single-process is left out: it is there for
    // Lambda's sandbox, and one crashed page would take the whole browser with it
    if (unpacked)
      return {
        executablePath: unpacked.executablePath,
        args: [...chromiumArgs, '--font-render-hinting=none'],
        env: unpacked.env,
        source: 'npm',
      }
  }
  return { executablePath: undefined, args: chromiumArgs, env: {}, source: 'playwright' }
}

let found: Promise<FoundChromium> | undefined

/** findChromium() once per process (the packaged Chromium is unpacked once); a failed lookup is tried again next time. */
export function chromiumForThisMachine(): Promise<FoundChromium> {
  found ??= findChromium().catch((error: unknown) => {
    found = undefined
    throw error
  })
  return found
}

/** The browser's environment: this process's, plus what the Chromium found needs. */
export function browserEnv(found: Pick<FoundChromium, 'env'>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value
  return { ...env, ...found.env }
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/**
 * Unpacks @sparticuz/chromium: the browser to <tmp>/chromium (the package's own place, where it finds it again),
 * and beside it, in <tmp>/upshot-chromium, the libraries it links, which a bare machine lacks (the package
 * unpacks those only on Amazon Linux), and a font configuration that adds fonts from npm to the machine's.
 * A lock directory keeps the web server and the test runner from unpacking at the same time, and a marker
 * holding the package's version and the browser's size tells a complete unpack from an interrupted one (or
 * another version's).
 */
export async function unpackPackagedChromium(): Promise<PackagedChromium | null> {
  let Chromium: (typeof import('@sparticuz/chromium'))['default']
  try {
    Chromium = (await import('@sparticuz/chromium')).default
  } catch {
    return null // not installed: Playwright's own then
  }
  // createRequire taken from process.getBuiltinModule, not imported: Next's bundler rewrites a require.resolve()
  // it can see into a module number, and the package's directory would be lost
  const { createRequire } = process.getBuiltinModule('node:module')
  const require = createRequire(import.meta.url)
  const packageDir = path.resolve(path.dirname(require.resolve('@sparticuz/chromium')), '..', '..')
  const binDir = path.join(packageDir, 'bin')
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }
  const tmp = os.tmpdir()
  const ours = path.join(tmp, 'upshot-chromium')
  const browser = path.join(tmp, 'chromium')
  const marker = path.join(ours, 'unpacked')
  const libDir = path.join(ours, 'lib')
  // The machine's fonts when it has any; in any case the package's Open Sans (unpacked to <tmp>/fonts) and Geist,
  // which Next ships for its social images: it has the arrows (→) Open Sans lacks, which a machine without fonts
  // would otherwise draw as nothing on the one-pager.
  const fontDirs = [path.join(tmp, 'fonts')]
  try {
    fontDirs.push(path.join(path.dirname(require.resolve('next/package.json')), 'dist', 'compiled', '@vercel', 'og'))
  } catch {
    // without Next there is no web server to render for; Open Sans alone then
  }
  const conf = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    ...fontDirs.map((dir) => `  <dir>${dir}</dir>`),
    `  <cachedir>${path.join(ours, 'fonts-cache')}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n')
  // named by its content: checkouts in different places share <tmp>/upshot-chromium, each with its own
  const fontsConf = path.join(ours, `fonts-${createHash('sha256').update(conf).digest('hex').slice(0, 12)}.conf`)
  const complete = () => {
    try {
      return (
        fs.readFileSync(marker, 'utf8') === `${version} ${fs.statSync(browser).size}` &&
        fs.existsSync(path.join(libDir, 'libnss3.so'))
      )
    } catch {
      return false
    }
  }
  if (!complete()) {
    fs.mkdirSync(ours, { recursive: true })
    await withLock(path.join(ours, 'lock'), async () => {
      if (complete()) return
      // an interrupted or foreign unpack: the package would take any <tmp>/chromium as done
      fs.rmSync(browser, { force: true })
      fs.rmSync(libDir, { recursive: true, force: true })
      await Chromium.executablePath(binDir)
      fs.mkdirSync(libDir, { recursive: true })
      execFileSync('tar', ['-x', '--strip-components=1', '-C', libDir], {
        input: zlib.brotliDecompressSync(fs.readFileSync(path.join(binDir, 'al2023.tar.br'))),
      })
      fs.writeFileSync(marker, `${version} ${fs.statSync(browser).size}`)
    })
  }
  if (!fs.existsSync(fontsConf)) {
    // whole or not at all: a browser starting meanwhile must not read half of it
    const partial = `${fontsConf}.${process.pid}`
    fs.writeFileSync(partial, conf)
    fs.renameSync(partial, fontsConf)
  }
  return {
    executablePath: browser,
    env: { LD_LIBRARY_PATH: libDir, FONTCONFIG_FILE: process.env.FONTCONFIG_FILE ?? fontsConf },
  }
}

/** mkdir is atomic: whoever creates the directory holds the lock; a lock older than two minutes was abandoned. */
async function withLock(lock: string, work: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(lock)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > 120_000) fs.rmSync(lock, { recursive: true, force: true })
      else await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  try {
    await work()
  } finally {
    fs.rmSync(lock, { recursive: true, force: true })
  }
}
