import { describe, expect, it } from 'vitest'
import { accessMode, AccessConfigError, weakSecretReason } from './startup.mjs'

const strong = 'q3V8nZ1xK0pL7mR2tY9wB4cD6fG5hJ8sA1eU'
const github = {
  UPSHOT_GITHUB_CLIENT_ID: 'Iv1.abc',
  UPSHOT_GITHUB_CLIENT_SECRET: 'x'.repeat(40),
  UPSHOT_GITHUB_ORG: 'acme',
}
const database = { DATABASE_URL: 'postgres://127.0.0.1/upshot', UPSHOT_URL: 'https://upshot.example.com' }

describe('weakSecretReason', () => {
  it.each([
    [undefined, 'it is not set'],
    ['', 'it is not set'],
    ['short-secret', 'it is 12 characters long; it needs at least 32'],
    ['changeme-changeme-changeme-changeme!', 'it is a value from an example, known to everyone'],
    ['better-auth-secret-12345678901234567890', 'it is a value from an example, known to everyone'],
    ['abababababababababababababababababab', 'it repeats a few characters (2 distinct); use random bytes'],
  ])('refuses %j: %s', (secret, reason) => {
    expect(weakSecretReason(secret)).toBe(reason)
  })
  it('accepts 36 random characters', () => {
    expect(weakSecretReason(strong)).toBeNull()
  })
})

describe('accessMode', () => {
  it('is the demo without DATABASE_URL (empty counts as unset)', () => {
    expect(accessMode({})).toEqual({ mode: 'demo' })
    expect(accessMode({ DATABASE_URL: '', UPSHOT_SESSION_SECRET: '' })).toEqual({ mode: 'demo' })
  })
  it('requires sign-in with DATABASE_URL, and refuses a missing, short or default secret by name', () => {
    expect(() => accessMode({ ...database, ...github })).toThrow(
      /UPSHOT_SESSION_SECRET cannot sign sessions because it is not set/,
    )
    expect(() => accessMode({ ...database, ...github, UPSHOT_SESSION_SECRET: 'tooshort' })).toThrow(
      /because it is 8 characters long; it needs at least 32/,
    )
    expect(() =>
      accessMode({ ...database, ...github, UPSHOT_SESSION_SECRET: 'better-auth-secret-12345678901234567890' }),
    ).toThrow(AccessConfigError)
  })
  it('needs a provider, GitHub needs an organisation, and the public address', () => {
    expect(() => accessMode({ ...database, UPSHOT_SESSION_SECRET: strong })).toThrow(
      /no sign-in provider is configured/,
    )
    expect(() => accessMode({ ...database, ...github, UPSHOT_GITHUB_ORG: '', UPSHOT_SESSION_SECRET: strong })).toThrow(
      /GitHub sign-in needs UPSHOT_GITHUB_ORG/,
    )
    expect(() => accessMode({ ...github, DATABASE_URL: database.DATABASE_URL, UPSHOT_SESSION_SECRET: strong })).toThrow(
      /UPSHOT_URL/,
    )
    expect(accessMode({ ...database, ...github, UPSHOT_SESSION_SECRET: strong })).toEqual({
      mode: 'sign-in',
      providers: ['github'],
    })
    expect(
      accessMode({
        ...database,
        ...github,
        UPSHOT_SESSION_SECRET: strong,
        UPSHOT_OIDC_ISSUER: 'https://id.example.com',
        UPSHOT_OIDC_CLIENT_ID: 'upshot',
        UPSHOT_OIDC_CLIENT_SECRET: 's',
      }),
    ).toEqual({ mode: 'sign-in', providers: ['github', 'oidc'] })
  })
  it('turns sign-in off only with UPSHOT_NO_SIGN_IN=1, and says so', () => {
    const open = accessMode({ ...database, UPSHOT_NO_SIGN_IN: '1' })
    expect(open).toMatchObject({ mode: 'open', warning: expect.stringContaining('sign-in is OFF') })
    expect(() => accessMode({ ...database, UPSHOT_NO_SIGN_IN: 'yes' })).toThrow(/UPSHOT_NO_SIGN_IN must be 1/)
  })
})
