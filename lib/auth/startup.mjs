// @ts-check
// Who must sign in, decided once from the environment, in plain JavaScript so that next.config.js can refuse
// to start the server with it (next.config.js is read by `next start` before anything listens).
//
//   no DATABASE_URL                the demo on the embedded database: no sign-in, answers only on loopback
//   DATABASE_URL                   sign-in required: a strong UPSHOT_SESSION_SECRET and at least one provider
//   DATABASE_URL + UPSHOT_NO_SIGN_IN=1
//                                  the operator's explicit opt-out (e.g. an authenticating proxy in front):
//                                  no sign-in, everyone is an admin, and every start logs a warning

export const MIN_SECRET_LENGTH = 32

/** The names of this machine: the demo binds one and answers only requests addressed to one. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1', '[::1]']

/** Placeholders from examples and tutorials: a secret containing one is known to everyone. */
const PLACEHOLDERS = [
  'changeme',
  'change-me',
  'replace-me',
  'replaceme',
  'your-secret',
  'yoursecret',
  'better-auth-secret',
  'secret-value-for-development',
  'example',
]

/**
 * Why this secret must not sign sessions, or null when it may.
 * @param {string | undefined} secret
 * @returns {string | null}
 */
export function weakSecretReason(secret) {
  if (!secret) return 'it is not set'
  if (secret.length < MIN_SECRET_LENGTH)
    return `it is ${secret.length} characters long; it needs at least ${MIN_SECRET_LENGTH}`
  const lower = secret.toLowerCase()
  if (PLACEHOLDERS.some((placeholder) => lower.includes(placeholder)))
    return 'it is a value from an example, known to everyone'
  if (new Set(secret).size < 10)
    return `it repeats a few characters (${new Set(secret).size} distinct); use random bytes`
  return null
}

/**
 * @typedef {{ mode: 'demo' } | { mode: 'sign-in'; providers: ('github' | 'oidc')[] } | { mode: 'open'; warning: string }} AccessMode
 */

export class AccessConfigError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message)
    this.name = 'AccessConfigError'
  }
}

/**
 * @param {Record<string, string | undefined>} source the environment
 * @returns {AccessMode}
 */
export function accessMode(source) {
  const set = (/** @type {string} */ name) => Boolean(source[name] && source[name] !== '')
  if (!set('DATABASE_URL')) return { mode: 'demo' }
  if (set('UPSHOT_NO_SIGN_IN')) {
    if (source.UPSHOT_NO_SIGN_IN !== '1')
      throw new AccessConfigError(
        `UPSHOT_NO_SIGN_IN must be 1 (sign-in off) or unset, not "${source.UPSHOT_NO_SIGN_IN}".`,
      )
    return {
      mode: 'open',
      warning:
        'UPSHOT_NO_SIGN_IN=1: sign-in is OFF. Everyone who reaches this server is an admin and sees every team. ' +
        'Use it only behind a proxy that authenticates people; unset it to require sign-in.',
    }
  }
  const weak = weakSecretReason(source.UPSHOT_SESSION_SECRET)
  if (weak) {
    throw new AccessConfigError(
      `Upshot will not start: UPSHOT_SESSION_SECRET cannot sign sessions because ${weak}. ` +
        `With DATABASE_URL set, sign-in is required. Make a secret with \`openssl rand -base64 48\` and set UPSHOT_SESSION_SECRET; ` +
        'or, only behind a proxy that authenticates people, set UPSHOT_NO_SIGN_IN=1 to run without sign-in.',
    )
  }
  /** @type {('github' | 'oidc')[]} */
  const providers = []
  if (set('UPSHOT_GITHUB_CLIENT_ID')) {
    if (!set('UPSHOT_GITHUB_CLIENT_SECRET'))
      throw new AccessConfigError('UPSHOT_GITHUB_CLIENT_ID is set but UPSHOT_GITHUB_CLIENT_SECRET is not.')
    if (!set('UPSHOT_GITHUB_ORG'))
      throw new AccessConfigError(
        'GitHub sign-in needs UPSHOT_GITHUB_ORG: only members of that organisation (or of UPSHOT_GITHUB_TEAM in it) may sign in.',
      )
    providers.push('github')
  }
  if (set('UPSHOT_OIDC_ISSUER')) {
    if (!set('UPSHOT_OIDC_CLIENT_ID') || !set('UPSHOT_OIDC_CLIENT_SECRET'))
      throw new AccessConfigError(
        'UPSHOT_OIDC_ISSUER is set but UPSHOT_OIDC_CLIENT_ID or UPSHOT_OIDC_CLIENT_SECRET is not.',
      )
    providers.push('oidc')
  }
  if (!set('UPSHOT_URL'))
    throw new AccessConfigError(
      'Sign-in needs UPSHOT_URL, the address people open Upshot at (e.g. https://upshot.example.com): providers send people back to it.',
    )
  if (providers.length === 0) {
    throw new AccessConfigError(
      'Upshot will not start: with DATABASE_URL set, sign-in is required, and no sign-in provider is configured. ' +
        'Set UPSHOT_GITHUB_CLIENT_ID, UPSHOT_GITHUB_CLIENT_SECRET and UPSHOT_GITHUB_ORG, or UPSHOT_OIDC_ISSUER, UPSHOT_OIDC_CLIENT_ID and UPSHOT_OIDC_CLIENT_SECRET.',
    )
  }
  return { mode: 'sign-in', providers }
}
