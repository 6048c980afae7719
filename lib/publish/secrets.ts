// Secrets at rest and signed links. Delivery secrets (an SMTP password, a Slack webhook URL or bot token) are
// stored as AES-256-GCM ciphertext, bound to what they are (the associated data), so a ciphertext copied into
// another column does not decrypt. Share links carry an HMAC-SHA256 of their id and expiry. Both keys are
// derived (HKDF) from UPSHOT_SECRET_KEY; with the embedded database and no key set, from a random key kept in
// UPSHOT_DATA_DIR/secret.key (mode 600), so the demo publishes with nothing to configure. Server-only.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { env, type Env } from '@/lib/env'
import { UpshotError } from '@/lib/errors'

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

/** What a ciphertext is of: it decrypts only as the same kind. */
export type SecretKind = 'smtp-password' | 'slack-webhook' | 'slack-token'

const keys = new Map<string, { encryption: Buffer; signing: Buffer }>()

/** The master key: UPSHOT_SECRET_KEY, else (embedded database only) the data directory's key file. */
export function masterKey(config: Env = env()): string {
  if (config.UPSHOT_SECRET_KEY) return config.UPSHOT_SECRET_KEY
  if (config.DATABASE_URL)
    throw new UpshotError(
      'unavailable',
      'UPSHOT_SECRET_KEY is not set: it encrypts delivery secrets and signs share links (32 or more random characters, e.g. `openssl rand -base64 32`).',
    )
  const file = path.resolve(config.UPSHOT_DATA_DIR, 'secret.key')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    // written whole under another name, then linked into place: a reader never sees a half-written key, and of
    // two processes racing, the second link fails and both read the first one's key
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`
    fs.writeFileSync(temporary, randomBytes(32).toString('base64url'), { mode: 0o600 })
    try {
      fs.linkSync(temporary, file)
    } catch {
      // another process made it first
    } finally {
      fs.rmSync(temporary, { force: true })
    }
  }
  const key = fs.readFileSync(file, 'utf8').trim()
  if (key.length < 32)
    throw new UpshotError(
      'unavailable',
      `${file} holds no usable key (fewer than 32 characters): delete it to make a new one (saved secrets must then be entered again), or set UPSHOT_SECRET_KEY.`,
    )
  return key
}

function derived(master: string) {
  let found = keys.get(master)
  if (!found) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, 'upshot', info, 32))
    found = { encryption: derive('upshot secrets at rest v1'), signing: derive('upshot share links v1') }
    keys.set(master, found)
  }
  return found
}

/** `v1.<base64url(iv ‖ tag ‖ ciphertext)>`. */
export function encryptSecret(plain: string, kind: SecretKind, master = masterKey()): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', derived(master).encryption, iv)
  cipher.setAAD(Buffer.from(kind))
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`
}

/** The plain secret; a clear error (naming no part of it) when the key changed or the ciphertext was altered. */
export function decryptSecret(stored: string, kind: SecretKind, master = masterKey()): string {
  const [version, packed] = stored.split('.')
  const raw = packed ? Buffer.from(packed, 'base64url') : Buffer.alloc(0)
  if (version !== VERSION || raw.length < IV_BYTES + TAG_BYTES)
    throw new UpshotError('internal', `A stored ${kind} is not in a form Upshot wrote.`)
  try {
    const decipher = createDecipheriv('aes-256-gcm', derived(master).encryption, raw.subarray(0, IV_BYTES))
    decipher.setAAD(Buffer.from(kind))
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
  } catch {
    throw new UpshotError(
      'unavailable',
      `The stored ${kind} cannot be decrypted: UPSHOT_SECRET_KEY changed since it was saved. Enter it again.`,
    )
  }
}

/** A few characters to recognise a secret by on the page, never enough to use it: "hooks.slack.com/…/ab12". */
export function secretHint(secret: string): string {
  const tail = secret.slice(-4)
  try {
    return `${new URL(secret).host}/…${tail}`
  } catch {
    const prefix = secret.match(/^[a-z]{3,5}-/)?.[0] ?? ''
    return `${prefix}…${tail}`
  }
}

/**
 * A signed token `<prefix><id>.<expiry in epoch seconds>.<HMAC-SHA256 of purpose, id and expiry>`: share links
 * (no prefix, backed by a row) and render tokens ('r', five minutes, no row). The purpose keeps one kind from
 * passing for the other.
 */
const TOKEN_KINDS = {
  share: { prefix: '', purpose: 'share' },
  render: { prefix: 'r', purpose: 'render' },
} as const

type TokenKind = keyof typeof TOKEN_KINDS

function sign(kind: TokenKind, id: number, expires: number, master: string): string {
  const { prefix, purpose } = TOKEN_KINDS[kind]
  const mac = createHmac('sha256', derived(master).signing).update(`${purpose}:${id}:${expires}`).digest('base64url')
  return `${prefix}${id}.${expires}.${mac}`
}

/** The id and expiry a token of `kind` carries when its signature holds and it has not expired; else null. */
function verify(kind: TokenKind, token: string, now: Date, master: string): { id: number; expires: number } | null {
  const match = /^([a-z]?)(\d{1,15})\.(\d{1,12})\.[A-Za-z0-9_-]{43}$/.exec(token)
  if (!match || match[1] !== TOKEN_KINDS[kind].prefix) return null
  const id = Number(match[2])
  const expires = Number(match[3])
  const expected = Buffer.from(sign(kind, id, expires, master))
  const given = Buffer.from(token)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
  if (expires * 1000 <= now.getTime()) return null
  return { id, expires }
}

/** The token of a share link: `<id>.<expiry in epoch seconds>.<HMAC of both>`. */
export function signShareToken(id: number, expiresAt: Date, master = masterKey()): string {
  return sign('share', id, Math.floor(expiresAt.getTime() / 1000), master)
}

/**
 * The link id and expiry a token carries when its signature holds and it has not expired; else null. The row
 * (revoked? expiry the same?) is the caller's to check.
 */
export function verifyShareToken(
  token: string,
  now = new Date(),
  master = masterKey(),
): { id: number; expiresAt: Date } | null {
  const verified = verify('share', token, now, master)
  return verified ? { id: verified.id, expiresAt: new Date(verified.expires * 1000) } : null
}

/**
 * A token for the server's own renderer to open one snapshot's page for a few minutes (`r<id>.<expiry>.<HMAC>`):
 * it is made and used inside the server, never shown, and no row backs it.
 */
export function signRenderToken(snapshotId: number, now = new Date(), master = masterKey()): string {
  return sign('render', snapshotId, Math.floor(now.getTime() / 1000) + 5 * 60, master)
}

export function verifyRenderToken(
  token: string,
  now = new Date(),
  master = masterKey(),
): { snapshotId: number } | null {
  const verified = verify('render', token, now, master)
  return verified ? { snapshotId: verified.id } : null
}
