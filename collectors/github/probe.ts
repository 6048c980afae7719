// Whether a repository changed since its last pass, for free: each listing a pass would read is asked for one
// item with the ETag the last completed pass left, and a 304 costs no rate limit.
import type { ZodType } from 'zod'
import type { GitHubSource, RepositoryConfig } from '@/collectors/config'
import { deploymentProbeSchema, issuesSchema, pullProbeSchema, releasesSchema, workflowRunsSchema } from './api-types'
import { splitRepositoryName, type GitHubClient } from './client'

interface Probe {
  /** The phases whose listing changed. */
  changed: string[]
  etags: Record<string, string>
}

/** One-item listings with the stored ETags: 304 (free) means that listing has not changed. */
export async function probeRepository(
  client: GitHubClient,
  repository: RepositoryConfig,
  config: GitHubSource,
  etags: Record<string, string>,
): Promise<Probe> {
  const params = splitRepositoryName(repository.name)
  const probes: { phase: string; route: string; params: Record<string, unknown>; schema: ZodType<unknown> }[] = [
    {
      phase: 'pulls',
      route: 'GET /repos/{owner}/{repo}/pulls',
      params: { ...params, state: 'all', sort: 'updated', direction: 'desc', per_page: 1 },
      schema: pullProbeSchema,
    },
  ]
  const deployments = repository.deployments
  if (deployments.from === 'deployments') {
    probes.push({
      phase: 'deployments',
      route: 'GET /repos/{owner}/{repo}/deployments',
      params: { ...params, environment: deployments.environment, per_page: 1 },
      schema: deploymentProbeSchema,
    })
  } else if (deployments.from === 'workflow_runs') {
    for (const workflow of deployments.workflows) {
      probes.push({
        phase: `workflow:${workflow}`,
        route: 'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
        params: { ...params, workflow_id: workflow, per_page: 1 },
        schema: workflowRunsSchema,
      })
    }
  } else if (deployments.from === 'releases') {
    probes.push({
      phase: 'releases',
      route: 'GET /repos/{owner}/{repo}/releases',
      params: { ...params, per_page: 1 },
      schema: releasesSchema,
    })
  }
  if (config.incidentLabel) {
    probes.push({
      phase: 'issues',
      route: 'GET /repos/{owner}/{repo}/issues',
      params: {
        ...params,
        labels: config.incidentLabel,
        state: 'all',
        sort: 'updated',
        direction: 'desc',
        per_page: 1,
      },
      schema: issuesSchema,
    })
  }
  const out: Probe = { changed: [], etags: {} }
  for (const probe of probes) {
    const result = await client.rest(probe.route, probe.params, probe.schema, { etag: etags[probe.phase] })
    if (result.status === 'not_modified') continue
    out.changed.push(probe.phase)
    if (result.etag) out.etags[probe.phase] = result.etag
  }
  return out
}
