// The cursor a repository's pass saves in sync_state with every page, so a killed run resumes where it stopped.
// Its own file because the pass writes it and the pages read and adapt it.

/** Where a repository's pass has got to; saved with every page. */
export interface RepositoryCursor {
  /** When the pass began: its watermark once it completes. */
  passStart: string
  /** The pass stops at items older than this (null: a full backfill). */
  since: string | null
  /**
   * Phases this repository has never completed (a workflow, releases or the incident label added to the
   * sources file later): they read from the backfill start, not from the watermark, or their history would
   * never be collected.
   */
  backfill?: { phases: string[]; since: string | null }
  /** The probes' ETags, saved as the repository's once the pass completes. */
  etags: Record<string, string>
  phases: string[]
  phase: number
  /** A GraphQL end cursor or a REST next-page URL. */
  after: string | null
  size: number
  successes: number
  repositoryId: number
  /** The repository's current owner/name (after a rename or transfer). */
  fullName: string
}
