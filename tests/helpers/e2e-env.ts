// Where the end-to-end web servers run and which database each uses. tests/run.ts sets these; a direct
// `npm run test:e2e` falls back to an embedded database in tests/.output/e2e-data.
import path from 'node:path'
import { root } from './processes'

export type E2eEngine = 'embedded' | 'postgres'

export const e2e = {
  dataDir: process.env.E2E_DATA_DIR ?? path.join(root, 'tests', '.output', 'e2e-data'),
  databaseUrl: process.env.E2E_DATABASE_URL || undefined,
  port: { embedded: Number(process.env.E2E_PORT ?? 3100), postgres: Number(process.env.E2E_PORT ?? 3100) + 1 },
  /** the fake identity provider (tests/fakes/identity.ts) the Postgres server signs people in with */
  identityPort: Number(process.env.E2E_PORT ?? 3100) + 90,
  outputDir: path.join(root, 'tests', '.output'),
}

export const e2eEngines: E2eEngine[] = e2e.databaseUrl ? ['embedded', 'postgres'] : ['embedded']

/**
 * Canary credentials: the end-to-end web servers, the build and the collectors the tests run all have these in
 * their environment, and the tests grep every page, response, log line and built client file for them.
 */
export const canarySecrets = {
  GITHUB_TOKEN: 'ghp_UpshotCanaryToken0000000000000000000001',
  GITHUB_WEBHOOK_SECRET: 'whsec-upshot-canary-0002-webhook-secret',
  PAGERDUTY_TOKEN: 'u+UpshotCanaryPagerDuty0003',
  OPSGENIE_API_KEY: 'upshot-canary-opsgenie-0004-0000-000000000000',
  BACKSTAGE_TOKEN: 'upshot-canary-backstage-0005',
  UPSHOT_SESSION_SECRET: 'upshot-canary-0006-session-secret-K7qP2xV9mZ4wR8tY',
  UPSHOT_OIDC_CLIENT_SECRET: 'upshot-canary-0007-oidc-client-secret',
  UPSHOT_GITHUB_CLIENT_SECRET: 'upshot-canary-0008-github-oauth-secret',
  GITLAB_TOKEN: 'glpat-UpshotCanaryGitLab0009',
  GITLAB_WEBHOOK_SECRET: 'upshot-canary-0010-gitlab-webhook-token',
  UPSHOT_SECRET_KEY: 'upshot-canary-0011-secret-key-encrypts-and-signs',
} as const

/** The clients the fake identity provider knows, with the canary secrets above. */
export const identityClients = {
  oidc: { clientId: 'upshot-e2e', clientSecret: canarySecrets.UPSHOT_OIDC_CLIENT_SECRET },
  github: { clientId: 'Iv1.upshote2e', clientSecret: canarySecrets.UPSHOT_GITHUB_CLIENT_SECRET },
}

/** People at the fake identity provider: who signs in how, and who may (GitHub: members of acme). */
export const identityPeople = [
  { sub: 'oidc|alice', name: 'Alice Admin', email: 'alice@example.com' },
  { sub: 'oidc|victor', name: 'Victor Viewer', email: 'victor@example.com' },
  { sub: 'oidc|carol', name: 'Carol Both', email: 'carol@example.com' },
  { githubId: 5001, githubLogin: 'octo-member', name: 'Octo Member', email: 'octo@example.com', orgs: ['acme'] },
  {
    githubId: 5002,
    githubLogin: 'octo-outsider',
    name: 'Octo Outsider',
    email: 'outsider@example.com',
    orgs: ['other'],
  },
  // the same e-mail as Carol's OIDC identity: must not be linked to her account
  { githubId: 5003, githubLogin: 'carol-gh', name: 'Carol on GitHub', email: 'carol@example.com', orgs: ['acme'] },
]

/** The Postgres server's sign-in settings: both providers, at the fake identity provider. */
export function signInEnv(port: number): Record<string, string> {
  const identity = `http://127.0.0.1:${e2e.identityPort}`
  return {
    UPSHOT_URL: `http://127.0.0.1:${port}`,
    UPSHOT_OIDC_ISSUER: `${identity}/oidc`,
    UPSHOT_OIDC_CLIENT_ID: identityClients.oidc.clientId,
    UPSHOT_OIDC_NAME: 'Example SSO',
    UPSHOT_GITHUB_CLIENT_ID: identityClients.github.clientId,
    UPSHOT_GITHUB_ORG: 'acme',
    UPSHOT_GITHUB_WEB_URL: `${identity}/github`,
    UPSHOT_GITHUB_API_URL: `${identity}/github/api`,
  }
}

/** Where the sign-in setup leaves each role's browser state. */
export const storageState = (role: 'admin' | 'viewer') => path.join(e2e.outputDir, 'auth', `${role}.json`)

/** The sources file the end-to-end web servers read (webhook secret by name; no upstream is reachable). */
export const e2eSourcesFile = path.join(root, 'tests', 'fixtures', 'sources.e2e.json')

export const serverLog = (engine: E2eEngine) => path.join(e2e.outputDir, `server-${engine}.log`)

/**
 * The end-to-end web servers' delivery settings: the tick every minute (cron's finest) and a retry after 2 s,
 * so a scheduled send and its retry happen within a test.
 */
export const deliveryEnv = {
  UPSHOT_DELIVERY_CRON: '* * * * *',
  UPSHOT_DELIVERY_RETRY_SECONDS: '2',
  UPSHOT_DELIVERY_RETRIES: '3',
}
