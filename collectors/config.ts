// Which sources to collect from, and how: a JSON file (UPSHOT_SOURCES, default ./upshot.sources.json)
// validated here. Secrets are never in the file: it names the environment variables that hold them, and
// they are read only when a collector starts.
import fs from 'node:fs'
import { z } from 'zod'
import { UpshotError } from '@/lib/errors'

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be the name of an environment variable, e.g. GITHUB_TOKEN')
const url = z.string().url()
const cron = z.string().regex(/^(\S+\s+){4}\S+$/, 'must be a cron expression with five fields, e.g. */30 * * * *')

const deploymentSourceSchema = z.discriminatedUnion('from', [
  z.object({ from: z.literal('deployments'), environment: z.string().default('production') }),
  z.object({
    from: z.literal('workflow_runs'),
    workflows: z.array(z.string().min(1)).min(1),
    branch: z.string().optional(),
  }),
  z.object({ from: z.literal('releases') }),
  z.object({ from: z.literal('none') }),
])

const repositorySchema = z.object({
  /** owner/name */
  name: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name'),
  /** Team slug that owns the repository (deployments are attributed to it). */
  team: z.string().optional(),
  /** Catalog entity ref of the service it deploys, e.g. component:default/payments-api. */
  service: z.string().optional(),
  deployments: deploymentSourceSchema.default({ from: 'none' }),
})

export const sourcesSchema = z.object({
  github: z
    .object({
      baseUrl: url.default('https://api.github.com'),
      /** A fine-grained token (or classic PAT), or a GitHub App installation. */
      auth: z.union([
        z.object({ tokenEnv: envName }),
        z.object({
          appId: z.number().int().positive(),
          installationId: z.number().int().positive(),
          privateKeyEnv: envName,
        }),
      ]),
      organisation: z.string().min(1),
      /**
       * Collect teams and their members, for attributing work to teams: true for all of the organisation's
       * teams, or a list of team slugs. A person in several teams counts for the smallest. Leave it false when
       * a roster CSV says who is in which team.
       */
      teams: z.union([z.boolean(), z.array(z.string().min(1)).min(1)]).default(true),
      /** The environment variable holding the webhook secret (default GITHUB_WEBHOOK_SECRET); POST /api/webhooks/github refuses deliveries without it. */
      webhookSecretEnv: envName.optional(),
      /** Issues with this label are incidents (for teams without PagerDuty or Opsgenie). */
      incidentLabel: z.string().min(1).optional(),
      repositories: z.array(repositorySchema).min(1),
      /** How far back a first run goes. */
      backfillSince: z.string().date().optional(),
    })
    .optional(),
  gitlab: z
    .object({
      /** gitlab.com, or a self-managed instance's address (the API is under /api/v4). */
      baseUrl: url.default('https://gitlab.com'),
      /** A personal, group or project access token with the read_api scope (Reporter on the groups). */
      tokenEnv: envName,
      /** How the token is sent: PRIVATE-TOKEN (access tokens), or Authorization: Bearer (OAuth 2 tokens). */
      tokenHeader: z.enum(['private-token', 'bearer']).default('private-token'),
      /** The groups to collect, by full path (e.g. acme/payments): their projects, merge requests, deployments, incidents. */
      groups: z.array(z.string().regex(/^[\w.-]+(\/[\w.-]+)*$/, 'must be a group path, e.g. acme/payments')).min(1),
      /** Each group and subgroup is a team, with its direct members; false when a roster CSV says who is in which team. */
      teams: z.boolean().default(true),
      /** Subgroups are teams too (their projects are collected either way). */
      subgroups: z.boolean().default(true),
      /** Environments that are production besides those GitLab puts in the production tier. */
      productionEnvironments: z.array(z.string().min(1)).default(['production']),
      /** Issues of type incident are incidents (for teams without PagerDuty or Opsgenie). */
      incidents: z.boolean().default(true),
      /** Project path → catalog entity ref of the service it deploys, e.g. { "acme/payments/api": "component:default/payments-api" }. */
      services: z.record(z.string(), z.string()).default({}),
      /** The environment variable holding the webhook's secret token (default GITLAB_WEBHOOK_SECRET). */
      webhookSecretEnv: envName.optional(),
      /** How far back a first run goes. */
      backfillSince: z.string().date().optional(),
    })
    .optional(),
  pagerduty: z
    .object({
      baseUrl: url.default('https://api.pagerduty.com'),
      tokenEnv: envName,
      services: z
        .array(z.object({ id: z.string().min(1), service: z.string().optional(), team: z.string().optional() }))
        .min(1),
      backfillSince: z.string().date().optional(),
    })
    .optional(),
  opsgenie: z
    .object({
      baseUrl: url.default('https://api.opsgenie.com'),
      apiKeyEnv: envName,
      /** Opsgenie service ids → catalog services and teams. */
      services: z
        .array(z.object({ id: z.string().min(1), service: z.string().optional(), team: z.string().optional() }))
        .min(1),
      backfillSince: z.string().date().optional(),
    })
    .optional(),
  backstage: z
    .object({
      baseUrl: url,
      tokenEnv: envName.optional(),
      /** Catalog filter for the entities that are services. */
      kinds: z.array(z.string()).default(['Component']),
    })
    .optional(),
  /** When the scheduler (npm run collect -- schedule) runs each configured source: cron expressions, UTC. */
  schedule: z
    .object({
      github: cron.default('*/30 * * * *'),
      gitlab: cron.default('*/30 * * * *'),
      pagerduty: cron.default('*/15 * * * *'),
      opsgenie: cron.default('*/15 * * * *'),
      backstage: cron.default('17 * * * *'),
    })
    .default({
      github: '*/30 * * * *',
      gitlab: '*/30 * * * *',
      pagerduty: '*/15 * * * *',
      opsgenie: '*/15 * * * *',
      backstage: '17 * * * *',
    }),
  /**
   * An incident whose upstream names no cause is linked to the last successful production deployment of its
   * service that finished within this many hours before it opened; null turns the rule off.
   */
  incidentLinking: z
    .object({ withinHours: z.number().positive().max(72).nullable().default(2) })
    .default({ withinHours: 2 }),
})

export type Sources = z.infer<typeof sourcesSchema>
export type RepositoryConfig = z.infer<typeof repositorySchema>
export type GitHubSource = NonNullable<Sources['github']>
export type GitLabSource = NonNullable<Sources['gitlab']>

export function sourcesPath(): string {
  return process.env.UPSHOT_SOURCES || 'upshot.sources.json'
}

/** Reads and validates the sources file; every problem names its path in the file. */
/** The incident-linking rule of the sources file; without a readable one, the default (2 hours). */
export function incidentLinkingHours(): number | null {
  try {
    return loadSources().incidentLinking.withinHours
  } catch {
    return sourcesSchema.shape.incidentLinking.parse(undefined).withinHours
  }
}

export function loadSources(file = sourcesPath()): Sources {
  let raw: unknown
  try {
    // the path is the operator's (UPSHOT_SOURCES), read at run time: nothing for the bundler to trace
    raw = JSON.parse(fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8'))
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message
    throw new UpshotError('config', `Cannot read the sources file ${file}: ${reason}.`, {
      hint: 'Set UPSHOT_SOURCES to its path; docs/sources.md shows one.',
    })
  }
  const parsed = sourcesSchema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`)
    throw new UpshotError('config', `The sources file ${file} is not valid:\n  ${problems.join('\n  ')}`)
  }
  return parsed.data
}

/** A secret from the environment, named in the error when missing; never logged. */
export function secret(name: string): string {
  const value = process.env[name]
  if (!value)
    throw new UpshotError(
      'config',
      `The environment variable ${name} is not set (the sources file says it holds a credential).`,
    )
  return value
}
