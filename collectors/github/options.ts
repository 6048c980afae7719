// What a GitHub run is given and what it reports after each page, with the name its sync state is stored under.
// Kept apart from the run so the run, its passes and its pages all read them without importing each other.
import type { GitHubSource } from '@/collectors/config'
import type { GitHubClient } from './client'

export const SOURCE = 'github'
/** GraphQL page size: the most a page asks for, and where it starts. */
export const PAGE_SIZE = 50

export interface PageDone {
  repository: string
  phase: string
  /** Where this page started (null: at the top). */
  from: string | null
  /** Where the next page starts (null: the phase is done). */
  after: string | null
  items: number
}

export interface GitHubCollectorOptions {
  client: GitHubClient
  config: GitHubSource
  /** Incidents without an upstream link: the last deployment of their service within this many hours (null: off). */
  linkIncidentsWithinHours?: number | null
  pageSize?: number
  onProgress?: (message: string) => void
  /** Called after each page's transaction has committed (tests stop runs here). */
  afterPage?: (page: PageDone) => void | Promise<void>
  /** Called inside each page's transaction before it commits (tests stop runs here too: the page is undone). */
  beforeCommit?: (page: PageDone) => void | Promise<void>
  /** Today, for team moves (YYYY-MM-DD). */
  today?: string
}
