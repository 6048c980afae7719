// The validated environment. Every process (web server, CLIs, tests) reads configuration through here, so a
// bad value fails at start with the variable's name instead of deep inside a request.
// (Leaf module: imports nothing of ours, so db/ and collectors/ may use it.)
import cronParser from 'cron-parser'
import { z } from 'zod'

/** An empty string in the environment means "not set" (a common way of unsetting in shells and CI files). */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional())

/** Whether pg-boss's cron parser (cron-parser, the same version) reads the expression: ranges, names, steps. */
function readsAsCron(expression: string): boolean {
  try {
    cronParser.parseExpression(expression, { tz: 'UTC' })
    return true
  } catch {
    return false
  }
}

const postgresUrl = z.string().refine(
  (value) => {
    try {
      return ['postgres:', 'postgresql:'].includes(new URL(value).protocol)
    } catch {
      return false
    }
  },
  { message: 'must be a postgres:// or postgresql:// URL' },
)

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** A Postgres (15 or newer) to use. Unset: the embedded database in UPSHOT_DATA_DIR. */
  DATABASE_URL: optional(postgresUrl),
  /** Where the embedded database keeps its files (relative to the working directory). */
  UPSHOT_DATA_DIR: optional(z.string().min(1)).transform((value) => value ?? '.data'),
  LOG_LEVEL: optional(z.enum(['debug', 'info', 'warn', 'error', 'silent'])).transform((value) => value ?? 'info'),
  /**
   * Worker threads a web server computes read models on (lib/data/compute-pool.ts); unset: one fewer than the
   * cores, at least one; 0: on the request thread.
   */
  UPSHOT_COMPUTE_THREADS: optional(z.coerce.number().int('must be a whole number').min(0).max(64)),
  /**
   * Imports and ingest refuse dates and times before this day (YYYY-MM-DD): a year 0001 or a 1970-01-01 is a
   * typo or an empty value read as zero, never history. The default is the day Upshot's own records begin.
   */
  UPSHOT_EARLIEST_DATE: optional(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD')
      .refine(
        (value) =>
          !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
          new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
        'is not a real date',
      ),
  ).transform((value) => value ?? '2000-01-01'),

  // Sign-in (lib/auth). Which of these must be set is decided by lib/auth/startup.mjs.
  /** Where people reach Upshot, e.g. https://upshot.example.com (sign-in callbacks go here). */
  UPSHOT_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })),
  /** Signs session cookies: at least 32 random characters. */
  UPSHOT_SESSION_SECRET: optional(z.string()),
  /** A session unused this long ends. */
  UPSHOT_SESSION_IDLE_HOURS: optional(
    z.coerce
      .number()
      .positive()
      .max(24 * 30),
  ).transform((value) => value ?? 12),
  /** A session ends this long after sign-in, used or not. */
  UPSHOT_SESSION_MAX_HOURS: optional(
    z.coerce
      .number()
      .positive()
      .max(24 * 90),
  ).transform((value) => value ?? 24 * 7),
  UPSHOT_NO_SIGN_IN: optional(z.literal('1', { error: 'must be 1 (sign-in off) or unset' })),
  UPSHOT_GITHUB_CLIENT_ID: optional(z.string()),
  UPSHOT_GITHUB_CLIENT_SECRET: optional(z.string()),
  /** Only members of this organisation may sign in with GitHub … */
  UPSHOT_GITHUB_ORG: optional(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a GitHub organisation login')),
  /** … and, when set, only members of this team (its slug) in it. */
  UPSHOT_GITHUB_TEAM: optional(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a team slug')),
  /** GitHub Enterprise Server: its web and API addresses. */
  UPSHOT_GITHUB_WEB_URL: optional(z.url()).transform((value) => value ?? 'https://github.com'),
  UPSHOT_GITHUB_API_URL: optional(z.url()).transform((value) => value ?? 'https://api.github.com'),
  /** Any OpenID Connect provider: its issuer (discovery at <issuer>/.well-known/openid-configuration). */
  UPSHOT_OIDC_ISSUER: optional(z.url()),
  UPSHOT_OIDC_CLIENT_ID: optional(z.string()),
  UPSHOT_OIDC_CLIENT_SECRET: optional(z.string()),
  /** The provider's name on the sign-in button. */
  UPSHOT_OIDC_NAME: optional(z.string().max(40)).transform((value) => value ?? 'single sign-on'),

  // Publishing (subscriptions, snapshots, share links: lib/publish).
  /**
   * Encrypts the secrets stored for deliveries (SMTP password, Slack webhook URL or bot token) and signs share
   * links: at least 32 characters. Unset with the embedded database: a key kept in UPSHOT_DATA_DIR/secret.key.
   */
  UPSHOT_SECRET_KEY: optional(z.string().min(32, 'must be at least 32 characters')),
  /** The SMTP server when none is saved on the Subscriptions page, e.g. smtps://user:password@mail.example.com:465. */
  UPSHOT_SMTP_URL: optional(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' })),
  /** The From address of e-mails sent with UPSHOT_SMTP_URL. */
  UPSHOT_SMTP_FROM: optional(z.string().min(3)),
  /** Slack's Web API (bot tokens); another address only for a proxy or a test double. */
  UPSHOT_SLACK_API_URL: optional(z.url()).transform((value) => value ?? 'https://slack.com/api'),
  /** How often the delivery tick looks for subscriptions that are due (a cron expression, UTC). */
  UPSHOT_DELIVERY_CRON: optional(
    z
      .string()
      .regex(/^\S+( \S+){4}$/, 'must be a cron expression of 5 fields')
      .refine(readsAsCron, 'must be a cron expression pg-boss can read (minute hour day month weekday)'),
  ).transform((value) => value ?? '*/5 * * * *'),
  /** A failed delivery is tried again after this many seconds, doubling each time (pg-boss backoff) … */
  UPSHOT_DELIVERY_RETRY_SECONDS: optional(z.coerce.number().int().min(1).max(3600)).transform((value) => value ?? 60),
  /** … this many times before it is given up and shown as failed. */
  UPSHOT_DELIVERY_RETRIES: optional(z.coerce.number().int().min(0).max(20)).transform((value) => value ?? 4),
})

export type Env = z.infer<typeof envSchema>

export class InvalidEnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`)
    this.name = 'InvalidEnvError'
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source)
  if (result.success) return result.data
  throw new InvalidEnvError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))
}

let cached: Env | undefined

/** The process environment, parsed once. */
export function env(): Env {
  cached ??= parseEnv(process.env)
  return cached
}
