// The repositories CSV kind (docs/imports.md): which team owns a repository, on any SCM.
import { z } from 'zod'
import { importRepositories } from '@/db/queries/imports'
import { flag, repositoryPath, slug, text } from '@/collectors/csv/cells'
import type { KindSpec } from '@/collectors/csv/kinds'

const repositoryRow = z
  .object({
    repository: repositoryPath,
    team: slug.optional(),
    provider: z
      .enum(['github', 'gitlab', 'bitbucket', 'azure-devops', 'other'], {
        message: 'must be github, gitlab, bitbucket, azure-devops or other',
      })
      .optional(),
    default_branch: text(200).optional(),
    archived: flag.optional(),
  })
  .transform((row) => ({
    repository: row.repository,
    team: row.team,
    provider: row.provider,
    defaultBranch: row.default_branch,
    archived: row.archived,
  }))
export const repositoriesKind: KindSpec<z.infer<typeof repositoryRow>> = {
  kind: 'repositories',
  columns: [
    { name: 'repository', required: true, description: 'owner/name, as deployments and pull requests name it' },
    { name: 'team', required: false, description: 'slug of the team that owns it (import the roster first)' },
    { name: 'provider', required: false, description: 'github, gitlab, bitbucket, azure-devops or other' },
    { name: 'default_branch', required: false, description: 'default main' },
    { name: 'archived', required: false, description: 'true or false (default false)' },
  ],
  row: repositoryRow,
  key: (row) => row.repository,
  keyLabel: 'repository',
  references: (row) => ({ teams: row.team ? [row.team] : [] }),
  write(rows, { tx }) {
    return importRepositories(tx, rows)
  },
}
