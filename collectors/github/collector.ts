// The GitHub sync of one organisation: its teams and members, then each configured repository's pull
// requests, deployments (from the Deployments API, workflow runs or releases) and, optionally, issues
// labelled as incidents; then what each new deployment shipped.
//
// The run: the teams (teams.ts), then one pass per repository (pass.ts), then incidents linked to deployments.
import type { Database } from '@/db/client'
import { linkIncidents } from '@/db/queries/incident-links'
import { loadAttribution } from '@/db/queries/organisation'
import { UpshotError } from '@/lib/errors'
import { RunAborted, runSync, type RunSummary } from '@/collectors/sync-run'
import { SOURCE, type GitHubCollectorOptions } from './options'
import { syncRepository } from './pass'
import { syncTeams } from './teams'

export function collectGitHub(db: Database, options: GitHubCollectorOptions): Promise<RunSummary> {
  const { config } = options
  return runSync(
    db,
    { source: SOURCE, scope: config.organisation },
    async (context) => {
      if (config.teams !== false) {
        try {
          await syncTeams(context, { client: options.client, config, today: options.today })
        } catch (error) {
          if (error instanceof RunAborted) throw error
          context.fail('teams', error)
        }
      }
      const attribution = await loadAttribution(db)
      let synced = 0
      for (const repository of config.repositories) {
        try {
          await syncRepository(context, options, repository, attribution)
          synced++
        } catch (error) {
          if (error instanceof RunAborted) throw error
          context.fail(repository.name, error)
        }
      }
      if (synced === 0) {
        throw new UpshotError(
          'unavailable',
          `GitHub: no repository could be synced (${context.failures.at(-1)?.item}: ${context.failures.at(-1)?.error})`,
        )
      }
      await linkIncidents(db, { withinHours: options.linkIncidentsWithinHours ?? null })
    },
    { onProgress: options.onProgress },
  )
}
