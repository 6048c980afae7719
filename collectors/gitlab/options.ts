// What a GitLab run is given and what it reports after each page, with the name its sync state is stored under.
// Kept apart from the run so the run and its passes both read them without importing each other.
import type { GitLabSource } from '@/collectors/config'
import type { Clock } from '@/collectors/http'
import type { Phase } from './cursor'

export const SOURCE = 'gitlab'

export interface PageDone {
  project: string
  phase: Phase
  items: number
}

export interface GitLabCollectorOptions {
  config: GitLabSource
  token: string
  clock?: Clock
  timeoutMs?: number
  /** Incidents without an upstream link: the last deployment of their service within this many hours (null: off). */
  linkIncidentsWithinHours?: number | null
  onProgress?: (message: string) => void
  /** Called after each page's transaction has committed (tests and stop requests end runs here). */
  afterPage?: (page: PageDone) => void | Promise<void>
  /** Today, for team moves (YYYY-MM-DD). */
  today?: string
}
