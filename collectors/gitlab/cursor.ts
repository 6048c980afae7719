// The phases of a project's pass and the cursor it saves in sync_state with every page, so a killed run resumes
// where it stopped. Its own file because the pass writes it and the pages read it.

export type Phase = 'merge_requests' | 'deployments' | 'incidents' | 'link'

/** Where a project's pass has got to; saved with every page. */
export interface ProjectCursor {
  /** When the pass began: the end of its window, and its watermark once it completes. */
  passStart: string
  phases: Phase[]
  phase: number
  /** Where each phase starts: the watermark, else the backfill start (null: from the beginning). */
  since: string | null
  /** Read items updated at or after this (null: from the beginning). */
  after: string | null
  /** GitLab's page number among the items updated at `after` or later. */
  page: number
}
