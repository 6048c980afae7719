import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseEnv } from '@/lib/env'
import {
  decryptSecret,
  encryptSecret,
  masterKey,
  secretHint,
  signRenderToken,
  signShareToken,
  verifyRenderToken,
  verifyShareToken,
} from './secrets'

const key = 'k'.repeat(40)
const other = 'o'.repeat(40)

describe('secrets at rest (AES-256-GCM)', () => {
  it('round-trips, and the ciphertext holds no part of the secret and differs each time', () => {
    const secret = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX'
    const one = encryptSecret(secret, 'slack-webhook', key)
    const two = encryptSecret(secret, 'slack-webhook', key)
    expect(one).not.toBe(two)
    expect(one).not.toContain('hooks.slack.com')
    expect(one).not.toContain('XXXX')
    expect(decryptSecret(one, 'slack-webhook', key)).toBe(secret)
  })

  it('refuses another key, another kind and an altered byte', () => {
    const stored = encryptSecret('hunter2-password', 'smtp-password', key)
    expect(() => decryptSecret(stored, 'smtp-password', other)).toThrow(/UPSHOT_SECRET_KEY changed/)
    expect(() => decryptSecret(stored, 'slack-token', key)).toThrow(/cannot be decrypted/)
    const raw = Buffer.from(stored.slice(3), 'base64url')
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1
    expect(() => decryptSecret(`v1.${raw.toString('base64url')}`, 'smtp-password', key)).toThrow(/cannot be decrypted/)
    expect(() => decryptSecret('hunter2-password', 'smtp-password', key)).toThrow(/not in a form/)
  })

  it('hints name the host or prefix and the last 4 characters only', () => {
    expect(secretHint('https://hooks.slack.com/services/T0/B0/abcdefgh1234')).toBe('hooks.slack.com/…1234')
    expect(secretHint('xoxb-1234-5678-abcdefwxyz')).toBe('xoxb-…wxyz')
  })
})

describe('share-link tokens (HMAC-SHA256)', () => {
  const now = new Date('2026-12-07T12:00:00Z')
  const expires = new Date('2026-12-14T12:00:00Z')

  it('verify until they expire, with the id and expiry they were signed with', () => {
    const token = signShareToken(17, expires, key)
    expect(verifyShareToken(token, now, key)).toEqual({ id: 17, expiresAt: expires })
    expect(verifyShareToken(token, new Date('2026-12-14T12:00:00Z'), key)).toBeNull()
  })

  it('a changed id, a later expiry, another key or a cut signature is refused', () => {
    const token = signShareToken(17, expires, key)
    const [, exp, sig] = token.split('.')
    expect(verifyShareToken(`18.${exp}.${sig}`, now, key)).toBeNull()
    expect(verifyShareToken(`17.${Number(exp) + 86400}.${sig}`, now, key)).toBeNull()
    expect(verifyShareToken(token, now, other)).toBeNull()
    expect(verifyShareToken(token.slice(0, -1), now, key)).toBeNull()
    expect(verifyShareToken('../../api/health', now, key)).toBeNull()
  })
})

describe('render tokens', () => {
  const now = new Date('2026-12-07T12:00:00Z')
  it('open one snapshot for five minutes and are no share link', () => {
    const token = signRenderToken(5, now, key)
    expect(verifyRenderToken(token, new Date('2026-12-07T12:04:59Z'), key)).toEqual({ snapshotId: 5 })
    expect(verifyRenderToken(token, new Date('2026-12-07T12:05:00Z'), key)).toBeNull()
    expect(verifyRenderToken(token.replace('r5.', 'r6.'), now, key)).toBeNull()
    expect(verifyShareToken(token.slice(1), now, key)).toBeNull()
  })
})

describe('the master key', () => {
  const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'upshot-key-'))
  it('UPSHOT_SECRET_KEY when set; with DATABASE_URL and no key, a clear refusal', () => {
    expect(masterKey(parseEnv({ UPSHOT_SECRET_KEY: key }))).toBe(key)
    expect(() => masterKey(parseEnv({ DATABASE_URL: 'postgres://x@127.0.0.1/db' }))).toThrow(
      /UPSHOT_SECRET_KEY is not set/,
    )
  })

  it('the embedded demo: a random key made once in the data directory, readable by its owner only', () => {
    const dir = dataDir()
    const config = parseEnv({ UPSHOT_DATA_DIR: dir })
    const first = masterKey(config)
    expect(first.length).toBeGreaterThanOrEqual(32)
    expect(masterKey(config)).toBe(first)
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(dir)).toEqual(['secret.key'])
  })

  it('an empty key file is refused, never used as a key', () => {
    const dir = dataDir()
    fs.writeFileSync(path.join(dir, 'secret.key'), '')
    expect(() => masterKey(parseEnv({ UPSHOT_DATA_DIR: dir }))).toThrow(/holds no usable key/)
  })
})
