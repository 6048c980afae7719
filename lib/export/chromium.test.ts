import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserEnv, chromiumArgs, findChromium, unpackPackagedChromium, type PackagedChromium } from './chromium'

// Fake system browsers: an executable file, a file that is not executable, a directory and a missing path.
let dir: string
let executable: string
let notExecutable: string
let directory: string
let missing: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upshot-chromium-lookup-'))
  executable = path.join(dir, 'chromium')
  notExecutable = path.join(dir, 'chromium-browser')
  directory = path.join(dir, 'google-chrome')
  missing = path.join(dir, 'nowhere', 'chrome')
  fs.writeFileSync(executable, '#!/bin/sh\n', { mode: 0o755 })
  fs.writeFileSync(notExecutable, '#!/bin/sh\n', { mode: 0o644 })
  fs.mkdirSync(directory)
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** A stand-in for the npm package that counts how often it is unpacked. */
function fakePackage(
  result: PackagedChromium | null = {
    executablePath: '/tmp/packaged/chromium',
    env: { LD_LIBRARY_PATH: '/tmp/packaged/lib' },
  },
) {
  const calls = { count: 0 }
  return {
    calls,
    packaged: async () => {
      calls.count++
      return result
    },
  }
}

const linux = { platform: 'linux', arch: 'x64' }

describe('which Chromium renders the one-pager', () => {
  it('takes CHROMIUM_PATH first, and unpacks nothing', async () => {
    const npm = fakePackage()
    const found = await findChromium({
      ...linux,
      env: { CHROMIUM_PATH: '/opt/my/chrome' },
      systemPaths: [executable],
      packaged: npm.packaged,
    })
    expect(found).toEqual({ executablePath: '/opt/my/chrome', args: chromiumArgs, env: {}, source: 'CHROMIUM_PATH' })
    expect(npm.calls.count).toBe(0)
  })

  it('then the first system path that is an executable file (not a plain file, a directory or a missing path)', async () => {
    const npm = fakePackage()
    const found = await findChromium({
      ...linux,
      env: {},
      systemPaths: [missing, notExecutable, directory, executable],
      packaged: npm.packaged,
    })
    expect(found.source).toBe('system')
    expect(found.executablePath).toBe(executable)
    expect(npm.calls.count).toBe(0)
  })

  it('then the npm-packaged one on Linux x64, with its environment and without --single-process', async () => {
    const npm = fakePackage()
    const found = await findChromium({
      ...linux,
      env: {},
      systemPaths: [missing, notExecutable, directory],
      packaged: npm.packaged,
    })
    expect(found.source).toBe('npm')
    expect(found.executablePath).toBe('/tmp/packaged/chromium')
    expect(found.env).toEqual({ LD_LIBRARY_PATH: '/tmp/packaged/lib' })
    expect(found.args).toEqual(expect.arrayContaining(chromiumArgs))
    expect(found.args).not.toContain('--single-process')
    expect(npm.calls.count).toBe(1)
  })

  it('hides CHROMIUM_PATH and the system Chromium when UPSHOT_NO_SYSTEM_CHROMIUM=1', async () => {
    const npm = fakePackage()
    const found = await findChromium({
      ...linux,
      env: { UPSHOT_NO_SYSTEM_CHROMIUM: '1', CHROMIUM_PATH: executable },
      systemPaths: [executable],
      packaged: npm.packaged,
    })
    expect(found.source).toBe('npm')
    expect(npm.calls.count).toBe(1)
  })

  it('leaves it to Playwright elsewhere than Linux x64, without touching the package', async () => {
    for (const machine of [
      { platform: 'darwin', arch: 'arm64' },
      { platform: 'linux', arch: 'arm64' },
    ]) {
      const npm = fakePackage()
      const found = await findChromium({ ...machine, env: {}, systemPaths: [missing], packaged: npm.packaged })
      expect(found).toEqual({ executablePath: undefined, args: chromiumArgs, env: {}, source: 'playwright' })
      expect(npm.calls.count).toBe(0)
    }
  })

  it('leaves it to Playwright when the package is not installed', async () => {
    const found = await findChromium({ ...linux, env: {}, systemPaths: [], packaged: fakePackage(null).packaged })
    expect(found.source).toBe('playwright')
    expect(found.executablePath).toBeUndefined()
  })

  it("gives the browser this process's environment plus the Chromium's own", () => {
    const env = browserEnv({ env: { LD_LIBRARY_PATH: '/x/lib' } })
    expect(env.LD_LIBRARY_PATH).toBe('/x/lib')
    expect(env.PATH).toBe(process.env.PATH)
  })
})

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('the npm-packaged Chromium', () => {
  it('unpacks to a browser that starts with its own libraries', async () => {
    const packaged = await unpackPackagedChromium()
    expect(packaged).not.toBeNull()
    if (!packaged) return
    expect(fs.statSync(packaged.executablePath).size).toBeGreaterThan(50_000_000)
    expect(fs.existsSync(path.join(packaged.env.LD_LIBRARY_PATH ?? '', 'libnss3.so'))).toBe(true)
    const version = execFileSync(packaged.executablePath, ['--version'], {
      env: { ...process.env, ...packaged.env },
    }).toString()
    expect(version).toMatch(/Chromium \d+\./)
    // fonts from npm beside the machine's: Geist (from next) has the arrow Open Sans lacks
    const conf = fs.readFileSync(
      path.join(os.tmpdir(), 'upshot-chromium', path.basename(packaged.env.FONTCONFIG_FILE ?? '')),
      'utf8',
    )
    const dirs = [...conf.matchAll(/<dir>([^<]+)<\/dir>/g)].map((match) => match[1] ?? '')
    expect(dirs.some((fontDir) => fs.existsSync(path.join(fontDir, 'Geist-Regular.ttf')))).toBe(true)
    expect(conf).toContain('<include ignore_missing="yes">/etc/fonts/fonts.conf</include>')
    // a second call finds it unpacked
    expect(await unpackPackagedChromium()).toEqual(packaged)
  }, 120_000)
})
