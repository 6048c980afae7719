// Running one configured source: its credentials from the environment (named in the sources file), its
// client, its collector. The CLI and the scheduler both come through here.
import type { Database } from '@/db/client'
import { UpshotError } from '@/lib/errors'
import { collectBackstage } from './backstage/collector'
import { loadSources, secret, type Sources } from './config'
import { GitHubClient, type ClientStats } from './github/client'
import { collectGitHub } from './github/collector'
import { processGitHubDeliveries } from './github/webhook-events'
import { collectGitLab } from './gitlab/collector'
import { processGitLabDeliveries } from './gitlab/webhook-events'
import { collectOpsgenie } from './opsgenie/collector'
import { collectPagerDuty } from './pagerduty/collector'
import { RunAborted, type RunSummary } from './sync-run'

export const sourceNames = ['github', 'gitlab', 'pagerduty', 'opsgenie', 'backstage'] as const
export type SourceName = (typeof sourceNames)[number]

export interface SourceRun {
  summary: RunSummary
  /** GitHub only: requests made and rate-limit points spent. */
  github?: ClientStats
}

/** The sources the file configures, in the order a full collection runs them (catalog first: it owns services). */
export function configuredSources(sources: Sources): SourceName[] {
  return (['backstage', 'github', 'gitlab', 'pagerduty', 'opsgenie'] as const).filter(
    (name) => sources[name] !== undefined,
  )
}

export async function runSource(
  db: Database,
  name: SourceName,
  {
    sources = loadSources(),
    onProgress,
    signal,
  }: { sources?: Sources; onProgress?: (message: string) => void; signal?: AbortSignal } = {},
): Promise<SourceRun> {
  // a stop request (Ctrl-C, a worker shutting down) ends the run after the page in hand: it resumes there
  const afterPage = () => {
    if (signal?.aborted) throw new RunAborted(String(signal.reason ?? 'stopped'))
  }
  const withinHours = sources.incidentLinking.withinHours
  switch (name) {
    case 'github': {
      const config = required(sources, 'github')
      const auth =
        'tokenEnv' in config.auth
          ? { token: secret(config.auth.tokenEnv) }
          : {
              appId: config.auth.appId,
              installationId: config.auth.installationId,
              privateKey: secret(config.auth.privateKeyEnv),
            }
      const client = await GitHubClient.connect({ baseUrl: config.baseUrl, auth })
      // deliveries the webhook queued but did not get to finish first
      await processGitHubDeliveries(db, config)
      const summary = await collectGitHub(db, {
        client,
        config,
        linkIncidentsWithinHours: withinHours,
        onProgress,
        afterPage,
      })
      return { summary, github: client.stats }
    }
    case 'gitlab': {
      const config = required(sources, 'gitlab')
      const token = secret(config.tokenEnv)
      // deliveries the webhook queued but did not get to finish first
      await processGitLabDeliveries(db, config)
      return {
        summary: await collectGitLab(db, {
          config,
          token,
          linkIncidentsWithinHours: withinHours,
          onProgress,
          afterPage,
        }),
      }
    }
    case 'pagerduty': {
      const config = required(sources, 'pagerduty')
      return {
        summary: await collectPagerDuty(db, {
          config,
          token: secret(config.tokenEnv),
          linkIncidentsWithinHours: withinHours,
          onProgress,
          afterPage,
        }),
      }
    }
    case 'opsgenie': {
      const config = required(sources, 'opsgenie')
      return {
        summary: await collectOpsgenie(db, {
          config,
          apiKey: secret(config.apiKeyEnv),
          linkIncidentsWithinHours: withinHours,
          onProgress,
          afterPage,
        }),
      }
    }
    case 'backstage': {
      const config = required(sources, 'backstage')
      return {
        summary: await collectBackstage(db, {
          config,
          token: config.tokenEnv ? secret(config.tokenEnv) : null,
          onProgress,
          afterPage,
        }),
      }
    }
  }
}

function required<K extends SourceName>(sources: Sources, name: K): NonNullable<Sources[K]> {
  const config = sources[name]
  if (!config)
    throw new UpshotError('config', `The sources file has no "${name}" section.`, {
      hint: 'docs/sources.md shows how to configure it.',
    })
  return config as NonNullable<Sources[K]>
}
