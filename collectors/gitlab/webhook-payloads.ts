// The GitLab webhook events Upshot handles and the fields it reads from each, including the several time formats
// GitLab's hooks send: every payload is checked against its event's schema before a row is written
// (webhook-events.ts applies them).
import { z } from 'zod'

/** X-Gitlab-Event → the event stored. */
export const HANDLED_EVENTS: Record<string, string> = {
  'Merge Request Hook': 'gitlab:merge_request',
  'Deployment Hook': 'gitlab:deployment',
}
export const STORED_EVENTS = Object.values(HANDLED_EVENTS)

/**
 * A webhook time: ISO 8601 ("2026-01-05T09:00:00Z"), or the older "2026-01-05 09:00:00 UTC" and
 * "2026-01-05 10:00:00 +0100" that GitLab's hooks still send in places.
 */
export function parseHookDate(value: string): Date | null {
  const iso = Date.parse(value)
  if (!Number.isNaN(iso) && /T/.test(value)) return new Date(iso)
  const match = value.match(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)? (UTC|[+-]\d{2}:?\d{2})$/)
  if (!match) return null
  const zone = match[3] === 'UTC' ? 'Z' : (match[3] as string).replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2')
  const parsed = Date.parse(`${match[1]}T${match[2]}${zone}`)
  return Number.isNaN(parsed) ? null : new Date(parsed)
}

const hookDate = z.string().transform((value, ctx) => {
  const parsed = parseHookDate(value)
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: `not a time: ${value.slice(0, 40)}` })
    return z.NEVER
  }
  return parsed
})
export const projectPayload = z.object({
  id: z.number().int(),
  name: z.string(),
  path_with_namespace: z.string(),
  default_branch: z.string().nullable().optional(),
})
const userPayload = z.object({ username: z.string(), bot: z.boolean().optional() })
const schemas = {
  'gitlab:merge_request': z.object({
    user: userPayload.nullable().optional(),
    project: projectPayload,
    object_attributes: z.object({
      id: z.number().int(),
      iid: z.number().int(),
      title: z.string(),
      state: z.string(),
      action: z.string().nullable().optional(),
      created_at: hookDate,
      updated_at: hookDate,
      merged_at: hookDate.nullable().optional(),
      merge_commit_sha: z.string().nullable().optional(),
      source_branch: z.string().nullable().optional(),
      draft: z.boolean().optional(),
      work_in_progress: z.boolean().optional(),
      last_commit: z.object({ id: z.string() }).nullable().optional(),
    }),
  }),
  'gitlab:deployment': z.object({
    status: z.string(),
    status_changed_at: hookDate,
    deployment_id: z.number().int(),
    environment: z.string(),
    environment_tier: z.string().nullable().optional(),
    project: projectPayload,
    ref: z.string().nullable().optional(),
    short_sha: z.string().nullable().optional(),
    /** …/-/commit/<sha>: the only place the hook carries the whole SHA. */
    commit_url: z.string().nullable().optional(),
  }),
}

export function parse<E extends keyof typeof schemas>(event: E, payload: unknown): z.infer<(typeof schemas)[E]> {
  const result = schemas[event].safeParse(payload)
  if (result.success) return result.data as z.infer<(typeof schemas)[E]>
  const issue = result.error.issues[0]
  throw new Error(`${event.slice('gitlab:'.length)} payload: ${issue?.path.join('.')}: ${issue?.message}`)
}
