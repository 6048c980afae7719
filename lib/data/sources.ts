// The Data sources page: for each source, how fresh its data is (the last successful run), its last runs
// with their counts and errors, where each scope stands, and what it has collected. Never a credential.
import 'server-only'
import { getDb } from '@/db/client'
import {
  countCollected,
  getWebhookQueues,
  type CollectedCount,
  listRecentRuns,
  listSyncScopes,
  type RunRow,
  type ScopeRow,
} from '@/db/queries/sources'
import { cachedRead } from './read-cache'

export type { CollectedCount, Provenance } from '@/db/queries/sources'

export interface SourceStatus {
  key: string
  label: string
  /** The last run that ended success or partial: the data is at least this fresh. */
  freshAt: Date | null
  last: RunRow | null
  runs: RunRow[]
  scopes: ScopeRow[]
  collected: CollectedCount[]
}

const SOURCES = [
  { key: 'github', label: 'GitHub' },
  { key: 'gitlab', label: 'GitLab' },
  { key: 'backstage', label: 'Backstage' },
  { key: 'pagerduty', label: 'PagerDuty' },
  { key: 'opsgenie', label: 'Opsgenie' },
] as const

export interface SourcesPage {
  sources: SourceStatus[]
  imports: RunRow[]
  webhooks: Awaited<ReturnType<typeof getWebhookQueues>>
  importCounts: CollectedCount[]
  /** What `npm run demo` generated (empty when nothing was): shown apart, labelled as generated. */
  demoCounts: CollectedCount[]
  /** The demo's teams were written at this instant (the generated organisation's "today"). */
  demoGeneratedAt: Date | null
}

export async function getSourcesPage(): Promise<SourcesPage> {
  const db = getDb()
  const [runs, scopes, collected, webhooks] = await Promise.all([
    listRecentRuns(db, { perSource: 8 }),
    listSyncScopes(db),
    // exact counts of millions of rows: kept until a sync completes or the data otherwise changes
    cachedRead('collected-with-provenance', null, () => countCollected(db), { db }),
    getWebhookQueues(db),
  ])
  const sources = SOURCES.map(({ key, label }) => {
    const own = runs.filter((run) => run.source === key)
    const fresh = own.find((run) => run.status === 'success' || run.status === 'partial')
    return {
      key,
      label,
      freshAt: fresh?.finishedAt ?? null,
      last: own[0] ?? null,
      runs: own,
      scopes: scopes.filter((scope) => scope.source === key),
      collected: collected.counts[key] ?? [],
    }
  })
  const imports = runs
    .filter((run) => run.source.startsWith('csv:'))
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
  const demoCounts = (collected.counts.demo ?? []).filter((item) => item.count > 0)
  return {
    sources,
    imports,
    webhooks,
    importCounts: collected.counts.csv ?? [],
    demoCounts,
    demoGeneratedAt: collected.demoGeneratedAt,
  }
}
