// The validated environment. Every process (web server, CLIs, tests) reads configuration through here, so a
// bad value fails at start with the variable's name instead of deep inside a request.
// (Leaf module: imports nothing of ours, so db/ and collectors/ may use it.)
import { z } from 'zod'

/** An empty string in the environment means "not set" (a common way of unsetting in shells and CI files). */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional())

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

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** A Postgres (15 or newer) to use. Unset: the embedded database in UPSHOT_DATA_DIR. */
  DATABASE_URL: optional(postgresUrl),
  /** Where the embedded database keeps its files (relative to the working directory). */
  UPSHOT_DATA_DIR: optional(z.string().min(1)).transform((value) => value ?? '.data'),
  LOG_LEVEL: optional(z.enum(['debug', 'info', 'warn', 'error', 'silent'])).transform((value) => value ?? 'info'),
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
