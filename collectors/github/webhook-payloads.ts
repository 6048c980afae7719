// The GitHub webhook events Upshot handles and the fields it reads from each: every payload is checked against
// its event's schema before a row is written (webhook-events.ts applies them).
import { z } from 'zod'
import { workflowRunSchema } from './api-types'

/** The events that change what Upshot measures; others are acknowledged and dropped. */
export const HANDLED_EVENTS = ['pull_request', 'pull_request_review', 'deployment_status', 'workflow_run'] as const

const timestamp = z.string().datetime({ offset: true })
export const repositoryPayload = z.object({
  id: z.number(),
  node_id: z.string(),
  name: z.string(),
  full_name: z.string(),
  owner: z.object({ login: z.string() }),
  default_branch: z.string().default('main'),
  archived: z.boolean().default(false),
  // most events send an ISO time; push events send epoch seconds
  created_at: z.union([timestamp, z.number().transform((seconds) => new Date(seconds * 1000).toISOString())]),
})
export const pullRequestPayload = z.object({
  node_id: z.string(),
  number: z.number(),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  draft: z.boolean().default(false),
  user: z.object({ login: z.string(), type: z.string().optional() }).nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  closed_at: timestamp.nullable(),
  merged_at: timestamp.nullable(),
  merge_commit_sha: z.string().nullable(),
  head: z.object({ ref: z.string() }),
  additions: z.number().optional(),
  deletions: z.number().optional(),
  changed_files: z.number().optional(),
  commits: z.number().optional(),
})
const schemas = {
  pull_request: z.object({ pull_request: pullRequestPayload, repository: repositoryPayload }),
  pull_request_review: z.object({
    action: z.string(),
    review: z.object({
      state: z.string(),
      submitted_at: timestamp.nullable(),
      user: z.object({ login: z.string() }).nullable(),
    }),
    pull_request: pullRequestPayload,
    repository: repositoryPayload,
  }),
  deployment_status: z.object({
    deployment_status: z.object({ state: z.string(), created_at: timestamp }),
    deployment: z.object({
      node_id: z.string(),
      sha: z.string(),
      ref: z.string().nullable(),
      environment: z.string(),
      description: z.string().nullable(),
      created_at: timestamp,
    }),
    repository: repositoryPayload,
  }),
  workflow_run: z.object({
    action: z.string(),
    // the REST run as the poller reads it, plus the workflow file's path (which names the workflow)
    workflow_run: workflowRunSchema.extend({ path: z.string().optional() }),
    repository: repositoryPayload,
  }),
}

/** A payload checked against its event's schema; the error names the first field that is wrong. */
export function parse<E extends keyof typeof schemas>(event: E, payload: unknown): z.infer<(typeof schemas)[E]> {
  const result = schemas[event].safeParse(payload)
  if (result.success) return result.data as z.infer<(typeof schemas)[E]>
  const issue = result.error.issues[0]
  throw new Error(`${event} payload: ${issue?.path.join('.')}: ${issue?.message}`)
}
