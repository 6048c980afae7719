#!/usr/bin/env node
// Completes package-lock.json with the other platforms' optional binaries (next's SWC, oxlint's bindings…).
//
// Why: this workplace's npm registry answers 404 for packages built for other platforms (darwin, win32,
// musl…). `npm install` then leaves them out of the lockfile silently, and `npm ci` refuses that lockfile
// ("Missing: @next/swc-darwin-arm64@ from lock file"). A lockfile made against the public registry lists
// them; this adds the same entries (name, version, and the os/cpu/libc the package name states), so
// `npm ci` accepts the lockfile, skips them here as incompatible, and fetches the right one on a Mac.
//
// Run after any `npm install` that changes dependencies: node .ci/complete-lockfile.mjs
import fs from 'node:fs'

const file = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(fs.readFileSync(file, 'utf8'))
const packages = lock.packages

const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony']
const CPU = {
  arm64: 'arm64',
  x64: 'x64',
  ia32: 'ia32',
  arm: 'arm',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
  loong64: 'loong64',
}

function platformOf(name) {
  const parts = name.split('/').pop().split('-')
  const os = parts.find((part) => OS.includes(part))
  const cpu = parts.map((part) => CPU[part]).find(Boolean)
  if (!os || !cpu) return null
  const libc = os === 'linux' ? (parts.includes('musl') || parts.includes('musleabihf') ? 'musl' : 'glibc') : undefined
  return { os, cpu, libc }
}

let added = 0
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = location ? `${location}/node_modules/${name}` : `node_modules/${name}`
    if (packages[base] || packages[`node_modules/${name}`]) continue
    const platform = platformOf(name)
    if (!platform || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) continue // only exact-version platform binaries
    packages[`node_modules/${name}`] = {
      version: spec,
      cpu: [platform.cpu],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      optional: true,
      os: [platform.os],
    }
    added++
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
)
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`package-lock.json: added ${added} platform binaries the registry did not list`)
