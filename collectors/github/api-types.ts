// GitHub's answers, as zod schemas: every response is parsed before use, so a changed or broken upstream
// shows up as a named error for that repository, not as a wrong number. Only the fields Upshot reads are
// listed; others pass through unchecked.
import { z } from 'zod'

const timestamp = z.string().datetime({ offset: true })
const login = z.object({ login: z.string(), __typename: z.string().optional() }).nullable()

export const repositorySchema = z.object({
  id: z.number(),
  node_id: z.string(),
  name: z.string(),
  full_name: z.string(),
  owner: z.object({ login: z.string() }),
  default_branch: z.string(),
  archived: z.boolean(),
  created_at: timestamp,
})
export type GitHubRepository = z.infer<typeof repositorySchema>

/** The one-item probe of a repository's pull requests, newest-updated first: its ETag changes when any pull request does. */
export const pullProbeSchema = z.array(z.object({ number: z.number(), updated_at: timestamp }))

export const PULL_REQUESTS_QUERY = /* GraphQL */ `
  query PullRequests($owner: String!, $name: String!, $first: Int!, $after: String) {
    rateLimit {
      cost
      remaining
      resetAt
    }
    repository(owner: $owner, name: $name) {
      id
      pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          number
          title
          state
          isDraft
          createdAt
          updatedAt
          mergedAt
          closedAt
          additions
          deletions
          changedFiles
          headRefName
          author {
            login
            __typename
          }
          mergeCommit {
            oid
          }
          commits(first: 1) {
            totalCount
            nodes {
              commit {
                authoredDate
                committedDate
              }
            }
          }
          reviews(first: 50) {
            nodes {
              state
              submittedAt
              author {
                login
              }
            }
          }
        }
      }
    }
  }
`

const pullRequestNodeSchema = z.object({
  id: z.string(),
  number: z.number(),
  title: z.string(),
  state: z.enum(['OPEN', 'CLOSED', 'MERGED']),
  isDraft: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
  mergedAt: timestamp.nullable(),
  closedAt: timestamp.nullable(),
  additions: z.number(),
  deletions: z.number(),
  changedFiles: z.number(),
  headRefName: z.string(),
  author: login,
  mergeCommit: z.object({ oid: z.string() }).nullable(),
  commits: z.object({
    totalCount: z.number(),
    nodes: z.array(z.object({ commit: z.object({ authoredDate: timestamp, committedDate: timestamp }) })),
  }),
  reviews: z.object({
    nodes: z.array(z.object({ state: z.string(), submittedAt: timestamp.nullable(), author: login })),
  }),
})
export type PullRequestNode = z.infer<typeof pullRequestNodeSchema>

export const pullRequestsPageSchema = z.object({
  rateLimit: z.object({ cost: z.number(), remaining: z.number(), resetAt: timestamp }).nullable().optional(),
  repository: z.object({
    id: z.string(),
    pullRequests: z.object({
      pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
      nodes: z.array(pullRequestNodeSchema),
    }),
  }),
})

export const DEPLOYMENTS_QUERY = /* GraphQL */ `
  query Deployments($owner: String!, $name: String!, $first: Int!, $after: String, $environments: [String!]) {
    rateLimit {
      cost
      remaining
      resetAt
    }
    repository(owner: $owner, name: $name) {
      id
      deployments(
        first: $first
        after: $after
        environments: $environments
        orderBy: { field: CREATED_AT, direction: DESC }
      ) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          commitOid
          environment
          description
          createdAt
          updatedAt
          ref {
            name
          }
          latestStatus {
            state
            createdAt
          }
          statuses(first: 10) {
            nodes {
              state
              createdAt
            }
          }
        }
      }
    }
  }
`

const deploymentNodeSchema = z.object({
  id: z.string(),
  commitOid: z.string(),
  environment: z.string().nullable(),
  description: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  ref: z.object({ name: z.string() }).nullable(),
  latestStatus: z.object({ state: z.string(), createdAt: timestamp }).nullable(),
  /** A finished deployment has a handful: queued, in progress, success, and inactive once superseded. */
  statuses: z
    .object({ nodes: z.array(z.object({ state: z.string(), createdAt: timestamp })) })
    .nullable()
    .optional(),
})
export type DeploymentNode = z.infer<typeof deploymentNodeSchema>

export const deploymentsPageSchema = z.object({
  rateLimit: z.object({ cost: z.number(), remaining: z.number(), resetAt: timestamp }).nullable().optional(),
  repository: z.object({
    id: z.string(),
    deployments: z.object({
      pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
      nodes: z.array(deploymentNodeSchema),
    }),
  }),
})

/** The one-item probe of a repository's deployments (REST): its ETag changes when a deployment is created or gets a status. */
export const deploymentProbeSchema = z.array(z.object({ id: z.number(), created_at: timestamp }))

export const workflowRunSchema = z.object({
  id: z.number(),
  name: z.string().nullable().optional(),
  head_sha: z.string(),
  head_branch: z.string().nullable(),
  display_title: z.string().optional(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
  run_started_at: timestamp.nullable().optional(),
  created_at: timestamp,
  updated_at: timestamp,
})
export const workflowRunsSchema = z.object({ total_count: z.number(), workflow_runs: z.array(workflowRunSchema) })
export type GitHubWorkflowRun = z.infer<typeof workflowRunSchema>

const releaseSchema = z.object({
  id: z.number(),
  tag_name: z.string(),
  name: z.string().nullable(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  created_at: timestamp,
  published_at: timestamp.nullable(),
})
export const releasesSchema = z.array(releaseSchema)
export type GitHubRelease = z.infer<typeof releaseSchema>

export const compareSchema = z.object({
  status: z.enum(['ahead', 'behind', 'diverged', 'identical']),
  ahead_by: z.number(),
  behind_by: z.number(),
  total_commits: z.number(),
  commits: z.array(z.object({ sha: z.string() })),
})

export const teamsSchema = z.array(
  z.object({ id: z.number(), node_id: z.string(), slug: z.string(), name: z.string() }),
)
export const membersSchema = z.array(z.object({ id: z.number(), login: z.string() }))

const issueSchema = z.object({
  id: z.number(),
  node_id: z.string(),
  number: z.number(),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  body: z.string().nullable().optional(),
  labels: z.array(z.union([z.string(), z.object({ name: z.string() })])),
  created_at: timestamp,
  closed_at: timestamp.nullable(),
  updated_at: timestamp,
  html_url: z.string(),
  pull_request: z.unknown().optional(),
})
export const issuesSchema = z.array(issueSchema)
export type GitHubIssue = z.infer<typeof issueSchema>
