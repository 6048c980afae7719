// The deployments CSV kind (docs/imports.md): deployments from any tool, linked to the incidents and pull
// requests they concern.
import { z } from 'zod'
import { linkDeploymentsByCommit, listDeploymentRepositories } from '@/db/queries/commit-links'
import { linkPendingIncidents } from '@/db/queries/incident-links'
import { importDeployments } from '@/db/queries/imports'
import { entityRef, flag, instant, repositoryPath, slug, text } from '@/collectors/csv/cells'
import type { KindSpec } from '@/collectors/csv/kinds'

const deploymentStatus = z.enum(['queued', 'in_progress', 'success', 'failure', 'cancelled'], {
  message: 'must be queued, in_progress, success, failure or cancelled',
})
const deploymentRow = z
  .object({
    id: text(200),
    service: entityRef.optional(),
    repository: repositoryPath.optional(),
    team: slug.optional(),
    environment: text(100).default('production'),
    status: deploymentStatus.default('success'),
    started_at: instant,
    finished_at: instant.optional(),
    // stored in lower case, as Git and GitHub write SHAs (incidents and pull requests are matched to it)
    commit_sha: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/i, 'must be a commit SHA')
      .transform((sha) => sha.toLowerCase())
      .optional(),
    ref: text(200).optional(),
    is_rollback: flag.default(false),
    is_hotfix: flag.default(false),
  })
  .refine((row) => row.service || row.repository || row.team, {
    path: ['service'],
    message: 'one of service, repository or team is needed to attribute the deployment',
  })
  .refine((row) => !row.finished_at || row.finished_at >= row.started_at, {
    path: ['finished_at'],
    message: 'is before started_at',
  })
  .refine((row) => row.finished_at || !['success', 'failure'].includes(row.status), {
    path: ['finished_at'],
    message: 'is needed for a finished deployment',
  })
  .transform((row) => ({
    id: row.id,
    service: row.service,
    repository: row.repository,
    team: row.team,
    environment: row.environment,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    commitSha: row.commit_sha,
    ref: row.ref,
    isRollback: row.is_rollback,
    isHotfix: row.is_hotfix,
  }))
export const deploymentsKind: KindSpec<z.infer<typeof deploymentRow>> = {
  kind: 'deployments',
  columns: [
    { name: 'id', required: true, description: 'the deployment’s id in your tool (re-importing it replaces it)' },
    { name: 'service', required: false, description: 'catalog entity ref' },
    { name: 'repository', required: false, description: 'owner/name' },
    { name: 'team', required: false, description: 'team slug (default: the service’s owner)' },
    { name: 'environment', required: false, description: 'default production' },
    { name: 'status', required: false, description: 'success (default), failure, cancelled, queued, in_progress' },
    { name: 'started_at', required: true, description: 'time with zone', time: 'event' },
    {
      name: 'finished_at',
      required: false,
      description: 'time with zone; needed for success and failure',
      time: 'event',
    },
    { name: 'commit_sha', required: false, description: 'what was deployed' },
    { name: 'ref', required: false, description: 'branch or tag' },
    { name: 'is_rollback', required: false, description: 'true or false' },
    { name: 'is_hotfix', required: false, description: 'true or false' },
  ],
  row: deploymentRow,
  key: (row) => row.id,
  keyLabel: 'id',
  references: (row) => ({
    teams: row.team ? [row.team] : [],
    services: row.service ? [row.service] : [],
    repositories: row.repository ? [row.repository] : [],
  }),
  async write(rows, { tx, linkIncidentsWithinHours }) {
    // a deployment moved to another repository leaves its old one to be worked out again, too
    const movedFrom = await listDeploymentRepositories(tx, { source: 'csv', externalIds: rows.map((row) => row.id) })
    const written = await importDeployments(tx, rows, { productionEnvironments: ['production', 'prod'] })
    // incidents imported before the deployment that caused them are linked now, in the same transaction
    await linkPendingIncidents(tx, { deploymentIds: written.ids, withinHours: linkIncidentsWithinHours })
    // and the merged pull requests each shipped, by commit SHA (whichever of the two files came first)
    await linkDeploymentsByCommit(tx, { deploymentIds: written.ids, repositoryIds: movedFrom })
    return { inserted: written.inserted, updated: written.updated }
  },
}
