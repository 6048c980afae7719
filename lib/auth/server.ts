// Sign-in, through better-auth (maintained, framework-agnostic, keeps its sessions in our Postgres through
// drizzle; Auth.js is in maintenance and its Next.js v5 never left beta). Two kinds of provider, both through
// the generic OAuth plugin so their addresses are configurable (GitHub Enterprise Server, the test fakes):
// GitHub, restricted to an organisation or a team, and any OpenID Connect provider.
//
// - A user is keyed on the provider's subject (GitHub's numeric id, OIDC `sub`); a second provider's identity
//   with the same e-mail is refused, never linked implicitly.
// - Sessions live in user_sessions. Row and cookie last the absolute limit (UPSHOT_SESSION_MAX_HOURS) from
//   sign-in; the idle limit is checked against updated_at, which lib/auth/viewer.ts pushes forward while the
//   session is used (a page render cannot set a cookie, so the idle limit must not live in the cookie). No
//   cookie cache, so a revoked session ends on its next request. Sign-out deletes it.
// - Upshot keeps no provider tokens: they are dropped before the account row is written.
import 'server-only'
import { betterAuth } from 'better-auth'
import { drizzleAdapter } from 'better-auth/adapters/drizzle'
import { nextCookies } from 'better-auth/next-js'
import { genericOAuth, type GenericOAuthConfig } from 'better-auth/plugins/generic-oauth'
import { getDb } from '@/db/client'
import { authVerifications, userAccounts, userSessions, users } from '@/db/schema'
import { env, type Env } from '@/lib/env'
import { githubIdentity } from './github'

export const SIGN_IN_PATH = '/sign-in'
const COOKIE_PREFIX = 'upshot'

function providers(config: Env): GenericOAuthConfig[] {
  const list: GenericOAuthConfig[] = []
  if (config.UPSHOT_GITHUB_CLIENT_ID && config.UPSHOT_GITHUB_CLIENT_SECRET && config.UPSHOT_GITHUB_ORG) {
    const web = config.UPSHOT_GITHUB_WEB_URL.replace(/\/+$/, '')
    const rule = {
      apiUrl: config.UPSHOT_GITHUB_API_URL,
      org: config.UPSHOT_GITHUB_ORG,
      team: config.UPSHOT_GITHUB_TEAM,
    }
    list.push({
      providerId: 'github',
      name: 'GitHub',
      clientId: config.UPSHOT_GITHUB_CLIENT_ID,
      clientSecret: config.UPSHOT_GITHUB_CLIENT_SECRET,
      authorizationUrl: `${web}/login/oauth/authorize`,
      tokenUrl: `${web}/login/oauth/access_token`,
      scopes: ['read:user', 'user:email', 'read:org'],
      getUserInfo: async (tokens) => (tokens.accessToken ? githubIdentity(tokens.accessToken, rule) : null),
      accountSubject: ({ profile }) => String(profile.id),
      mapProfileToUser: (profile) => ({
        name: String(profile.name ?? profile.login ?? ''),
        email: String(profile.email ?? ''),
        emailVerified: profile.emailVerified === true,
        image: typeof profile.image === 'string' ? profile.image : undefined,
      }),
    })
  }
  if (config.UPSHOT_OIDC_ISSUER && config.UPSHOT_OIDC_CLIENT_ID && config.UPSHOT_OIDC_CLIENT_SECRET) {
    list.push({
      providerId: 'oidc',
      name: config.UPSHOT_OIDC_NAME,
      clientId: config.UPSHOT_OIDC_CLIENT_ID,
      clientSecret: config.UPSHOT_OIDC_CLIENT_SECRET,
      discoveryUrl: `${config.UPSHOT_OIDC_ISSUER.replace(/\/+$/, '')}/.well-known/openid-configuration`,
      requireIdTokenVerification: true,
      scopes: ['openid', 'profile', 'email'],
    })
  }
  return list
}

/** The sign-in buttons: provider id and the name people know it by. */
export function signInProviders(config: Env = env()): { id: string; name: string }[] {
  return providers(config).map((provider) => ({ id: provider.providerId, name: provider.name ?? provider.providerId }))
}

function createAuth(config: Env) {
  const baseURL = config.UPSHOT_URL ?? `http://localhost:${process.env.PORT || 3000}`
  return betterAuth({
    appName: 'Upshot',
    baseURL,
    basePath: '/api/auth',
    secret: config.UPSHOT_SESSION_SECRET,
    database: drizzleAdapter(getDb(), {
      provider: 'pg',
      schema: { user: users, session: userSessions, account: userAccounts, verification: authVerifications },
    }),
    telemetry: { enabled: false },
    emailAndPassword: { enabled: false },
    user: {
      additionalFields: { role: { type: 'string', required: false, defaultValue: 'viewer', input: false } },
      // GitHub: members of the organisation (or team) only, checked at every sign-in, not just the first
      validateUserInfo: ({ source }) => {
        const refusal = source.oauth?.profile?.refusal
        if (typeof refusal === 'string' && refusal) return { error: 'not_a_member', errorDescription: refusal }
      },
    },
    session: {
      expiresIn: Math.round(config.UPSHOT_SESSION_MAX_HOURS * 3600),
      // never extended: the absolute limit counts from sign-in; activity is recorded by lib/auth/viewer.ts
      disableSessionRefresh: true,
      cookieCache: { enabled: false },
    },
    account: {
      accountLinking: { enabled: false, disableImplicitLinking: true },
    },
    databaseHooks: {
      account: {
        create: {
          before: async (account) => ({ data: { ...account, accessToken: null, refreshToken: null, idToken: null } }),
        },
        update: {
          before: async (account) => ({ data: { ...account, accessToken: null, refreshToken: null, idToken: null } }),
        },
      },
    },
    // what Upshot does not offer: people change their name or e-mail at their provider, accounts are never
    // linked, provider tokens are not kept
    // Sessions are read on the server only: their JSON (which holds the cookie's token) is not served, and a
    // sign-in starts from the sign-in page's server action, not from a script.
    disabledPaths: [
      '/update-user',
      '/delete-user',
      '/change-email',
      '/link-social',
      '/unlink-account',
      '/list-accounts',
      '/account-info',
      '/get-access-token',
      '/refresh-token',
      '/get-session',
      '/list-sessions',
      '/update-session',
      '/revoke-session',
      '/revoke-sessions',
      '/revoke-other-sessions',
      '/sign-in/social',
    ],
    onAPIError: { errorURL: SIGN_IN_PATH },
    advanced: { cookiePrefix: COOKIE_PREFIX, useSecureCookies: baseURL.startsWith('https:') },
    plugins: [genericOAuth({ config: providers(config) }), nextCookies()],
  })
}

export type Auth = ReturnType<typeof createAuth>

const globalForAuth = globalThis as unknown as { upshotAuth?: Auth }

/** The process's better-auth instance (sign-in mode only). */
export function getAuth(): Auth {
  globalForAuth.upshotAuth ??= createAuth(env())
  return globalForAuth.upshotAuth
}
