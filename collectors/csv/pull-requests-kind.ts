// The pull-requests CSV kind (docs/imports.md): pull requests from any SCM, linked to the deployments that
// shipped them.
import { z } from 'zod'
import { linkDeploymentsByCommit } from '@/db/queries/commit-links'
import { importPullRequests } from '@/db/queries/imports'
import { pullRequestStates } from '@/lib/domain'
import { instant, repositoryPath, text } from '@/collectors/csv/cells'
import type { KindSpec } from '@/collectors/csv/kinds'

/** A commit SHA, full or its first 7 or more characters; stored in lower case, as Git and GitHub write them. */
const commitSha = z
  .string()
  .regex(/^[0-9a-f]{7,40}$/i, 'must be a commit SHA')
  .transform((sha) => sha.toLowerCase())
const lineCount = z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more')
export const pullRequestRow = z
  .object({
    id: z
      .string()
      .regex(/^[1-9]\d{0,8}$/, 'must be the pull request’s number in its repository (a whole number)')
      .transform(Number),
    repository: repositoryPath,
    title: text(1000).optional(),
    author: text(320).optional(),
    state: z.enum(pullRequestStates, { message: 'must be open, closed or merged' }).optional(),
    created_at: instant,
    first_commit_at: instant.optional(),
    first_review_at: instant.optional(),
    approved_at: instant.optional(),
    merged_at: instant.optional(),
    closed_at: instant.optional(),
    merge_commit_sha: commitSha.optional(),
    head_sha: commitSha.optional(),
    additions: lineCount.optional(),
    deletions: lineCount.optional(),
  })
  // real exports are messy (a review before the opening, a commit after it): only what cannot happen is refused
  .refine((row) => !row.merged_at || row.merged_at >= row.created_at, {
    path: ['merged_at'],
    message: 'is before created_at',
  })
  .refine((row) => !row.closed_at || row.closed_at >= row.created_at, {
    path: ['closed_at'],
    message: 'is before created_at',
  })
  .refine((row) => !row.first_commit_at || !row.merged_at || row.first_commit_at <= row.merged_at, {
    path: ['first_commit_at'],
    message: 'is after merged_at',
  })
  .refine((row) => row.state !== 'merged' || row.merged_at, {
    path: ['merged_at'],
    message: 'is needed for a merged pull request',
  })
  .refine(
    (row) => !row.state || (row.merged_at ? row.state === 'merged' : row.closed_at ? row.state !== 'open' : true),
    {
      path: ['state'],
      message: 'does not agree with the times (merged_at given: merged; closed_at given: closed or merged)',
    },
  )
  .transform((row) => ({
    id: row.id,
    repository: row.repository,
    title: row.title,
    author: row.author,
    state: row.state ?? (row.merged_at ? 'merged' : row.closed_at ? 'closed' : 'open'),
    openedAt: row.created_at,
    firstCommitAt: row.first_commit_at,
    firstReviewAt: row.first_review_at,
    approvedAt: row.approved_at,
    mergedAt: row.merged_at,
    // a merge closes the pull request (GitHub, GitLab and the others all say so)
    closedAt: row.closed_at ?? row.merged_at,
    mergeCommitSha: row.merge_commit_sha,
    headSha: row.head_sha,
    additions: row.additions,
    deletions: row.deletions,
  }))
export const pullRequestsKind: KindSpec<z.infer<typeof pullRequestRow>> = {
  kind: 'pull-requests',
  columns: [
    {
      name: 'id',
      required: true,
      description: 'its number in the repository (GitLab iid, Bitbucket id, Azure DevOps pullRequestId)',
    },
    { name: 'repository', required: true, description: 'owner/name (import the repositories CSV first)' },
    { name: 'title', required: false, description: 'the title' },
    { name: 'author', required: false, description: 'login or e-mail, matched to the roster' },
    { name: 'state', required: false, description: 'open, closed or merged (default: from the times)' },
    { name: 'created_at', required: true, description: 'opened, time with zone', time: 'event' },
    { name: 'first_commit_at', required: false, description: 'its first commit', time: 'event' },
    { name: 'first_review_at', required: false, description: 'its first review by someone else', time: 'event' },
    { name: 'approved_at', required: false, description: 'its first approval', time: 'event' },
    { name: 'merged_at', required: false, description: 'merged', time: 'event' },
    { name: 'closed_at', required: false, description: 'closed (default: merged_at)', time: 'event' },
    { name: 'merge_commit_sha', required: false, description: 'the commit the merge made (or the squashed one)' },
    { name: 'head_sha', required: false, description: 'the last commit of its branch' },
    { name: 'additions', required: false, description: 'lines added' },
    { name: 'deletions', required: false, description: 'lines deleted' },
  ],
  row: pullRequestRow,
  key: (row) => `${row.repository}#${row.id}`,
  keyLabel: 'repository and id',
  references: (row) => ({ repositories: [row.repository] }),
  async write(rows, { tx }) {
    const written = await importPullRequests(tx, rows)
    // the deployments of these repositories that name their commits ship them now (whichever file came first)
    await linkDeploymentsByCommit(tx, { repositoryIds: written.repositoryIds })
    return { inserted: written.inserted, updated: written.updated }
  },
}
