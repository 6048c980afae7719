// GitLab REST API v4 answers, as zod schemas (docs.gitlab.com/api: groups, projects, merge requests, notes,
// deployments, issues): every response is parsed before use, so a changed or broken upstream fails the
// project it was asked about, by name, instead of writing wrong numbers. Only the fields Upshot reads are
// listed; others pass through unchecked. Times are ISO 8601 with an offset ("2026-01-05T09:00:00.000Z").
import { z } from 'zod'

const timestamp = z.string().datetime({ offset: true })

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  /** "active", "blocked", …; bots are users with bot: true (GitLab 14.x and later). */
  bot: z.boolean().optional(),
})

/** GET /groups/:id, /groups/:id/descendant_groups */
export const groupSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  path: z.string(),
  full_path: z.string(),
  parent_id: z.number().int().nullable().optional(),
})
export const groupsSchema = z.array(groupSchema)

/** GET /groups/:id/members (direct members; access_level 10 guest … 50 owner) */
export const membersSchema = z.array(userSchema.extend({ access_level: z.number().int().optional() }))

/** GET /groups/:id/projects */
export const projectSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  path: z.string(),
  path_with_namespace: z.string(),
  namespace: z.object({ id: z.number().int(), kind: z.string().optional(), full_path: z.string() }),
  default_branch: z.string().nullable().optional(),
  archived: z.boolean().optional(),
  created_at: timestamp,
})
export const projectsSchema = z.array(projectSchema)

/** GET /projects/:id/merge_requests (state=all, order_by=updated_at) */
export const mergeRequestSchema = z.object({
  id: z.number().int(),
  iid: z.number().int(),
  project_id: z.number().int(),
  title: z.string(),
  /** opened | closed | locked | merged */
  state: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
  merged_at: timestamp.nullable().optional(),
  closed_at: timestamp.nullable().optional(),
  author: userSchema.nullable(),
  draft: z.boolean().optional(),
  work_in_progress: z.boolean().optional(),
  source_branch: z.string().nullable().optional(),
  /** The head of the source branch. */
  sha: z.string().nullable().optional(),
  merge_commit_sha: z.string().nullable().optional(),
  squash_commit_sha: z.string().nullable().optional(),
  web_url: z.string().optional(),
})
export const mergeRequestsSchema = z.array(mergeRequestSchema)

/** GET /projects/:id/merge_requests/:iid/commits */
export const commitsSchema = z.array(
  z.object({
    id: z.string(),
    authored_date: timestamp.nullable().optional(),
    committed_date: timestamp.nullable().optional(),
    created_at: timestamp.nullable().optional(),
  }),
)

/** GET /projects/:id/merge_requests/:iid/notes (system notes record events: "approved this merge request") */
export const notesSchema = z.array(
  z.object({
    id: z.number().int(),
    body: z.string(),
    author: userSchema,
    created_at: timestamp,
    system: z.boolean(),
  }),
)

/** GET /projects/:id/deployments (order_by=updated_at) */
export const deploymentSchema = z.object({
  id: z.number().int(),
  iid: z.number().int(),
  ref: z.string().nullable().optional(),
  sha: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
  /** created | running | success | failed | canceled | blocked (| skipped on newer servers) */
  status: z.string(),
  environment: z.object({
    id: z.number().int(),
    name: z.string(),
    /** production | staging | testing | development | other (GitLab 13.10+) */
    tier: z.string().nullable().optional(),
  }),
  /** The job that deployed: its finish is the deployment's. */
  deployable: z
    .object({
      finished_at: timestamp.nullable().optional(),
      commit: z.object({ title: z.string().nullable().optional() }).nullable().optional(),
    })
    .nullable()
    .optional(),
})
export const deploymentsSchema = z.array(deploymentSchema)

/** GET /projects/:id/issues?issue_type=incident */
export const issueSchema = z.object({
  id: z.number().int(),
  iid: z.number().int(),
  project_id: z.number().int(),
  title: z.string(),
  description: z.string().nullable().optional(),
  /** opened | closed */
  state: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
  closed_at: timestamp.nullable().optional(),
  labels: z.array(z.string()).default([]),
  issue_type: z.string().optional(),
  /** GitLab's own incident severity (Premium+; the REST issue carries it on recent servers). */
  severity: z.string().nullable().optional(),
  web_url: z.string().optional(),
})
export const issuesSchema = z.array(issueSchema)

export type GitLabGroup = z.infer<typeof groupSchema>
export type GitLabProject = z.infer<typeof projectSchema>
export type GitLabMergeRequest = z.infer<typeof mergeRequestSchema>
export type GitLabCommit = z.infer<typeof commitsSchema>[number]
export type GitLabNote = z.infer<typeof notesSchema>[number]
export type GitLabDeployment = z.infer<typeof deploymentSchema>
export type GitLabIssue = z.infer<typeof issueSchema>
