// The GitLab sync of the configured groups: the groups and subgroups as teams with their direct members, the
// groups' projects as repositories, then per project its merge requests (with their commits and notes),
// deployments, issues of type incident, and what each new successful production deployment shipped.
//
// The run: the groups, the teams (teams.ts), then one pass per project (pass.ts), then incidents linked to
// deployments.
//
// Pipelines are not read: deployments are GitLab's record of what reached an environment, and nothing the
// metrics use needs a pipeline.
import type { Database } from '@/db/client'
import { linkIncidents } from '@/db/queries/incident-links'
import { loadAttribution } from '@/db/queries/organisation'
import { toIsoDate } from '@/lib/dates'
import { UpshotError } from '@/lib/errors'
import { RunAborted, runSync, type RunSummary } from '@/collectors/sync-run'
import type { GitLabProject } from './api-types'
import { GitLabClient } from './client'
import { SOURCE, type GitLabCollectorOptions } from './options'
import { syncProject } from './pass'
import { readGroups, syncTeams, teamIdsByPath, teamOf } from './teams'

export function collectGitLab(db: Database, options: GitLabCollectorOptions): Promise<RunSummary> {
  const { config } = options
  const client = new GitLabClient({
    baseUrl: config.baseUrl,
    token: options.token,
    tokenHeader: config.tokenHeader,
    clock: options.clock,
    timeoutMs: options.timeoutMs,
  })
  return runSync(
    db,
    { source: SOURCE, scope: config.groups.join(',') },
    async (context) => {
      // the groups first: a bad token or address fails the run here, clearly, before anything is written
      const groups = await readGroups(client, config)
      if (config.teams) {
        try {
          await syncTeams(context, client, groups, options.today ?? toIsoDate(new Date()))
        } catch (error) {
          if (error instanceof RunAborted) throw error
          context.fail('teams', error)
        }
      }
      const projects = new Map<number, GitLabProject>()
      for (const group of groups.filter((group) => config.groups.includes(group.full_path)))
        for (const project of await client.projects(group.id)) projects.set(project.id, project)
      const teamIds = await teamIdsByPath(context.db, groups)
      const attribution = await loadAttribution(db)
      let synced = 0
      for (const project of projects.values()) {
        try {
          await syncProject(
            context,
            client,
            options,
            project,
            teamOf(teamIds, project.namespace.full_path),
            attribution,
          )
          synced++
        } catch (error) {
          if (error instanceof RunAborted) throw error
          context.fail(project.path_with_namespace, error)
        }
      }
      if (projects.size > 0 && synced === 0) {
        throw new UpshotError(
          'unavailable',
          `GitLab: no project could be synced (${context.failures.at(-1)?.item}: ${context.failures.at(-1)?.error})`,
        )
      }
      context.progress(
        `${synced} of ${projects.size} projects; ${client.stats.requests} requests, ${client.stats.retries} retries`,
      )
      await linkIncidents(db, { withinHours: options.linkIncidentsWithinHours ?? null })
    },
    { onProgress: options.onProgress },
  )
}
