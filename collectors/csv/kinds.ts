// What each kind of CSV holds: its columns (documented in docs/imports.md), how a row is checked, its key
// (no key twice in one file), and how the checked rows are written. Each kind is in its own file beside this
// one (roster-kind.ts, deployments-kind.ts, …); this file has what they share and the registry of them.
import type { z } from 'zod'
import type { Db, Transaction } from '@/db/client'
import type { WriteCounts } from '@/db/queries/imports'
import { importKinds, type ImportKind } from '@/lib/domain'
import type { TimeKind } from '@/collectors/plausible'
import type { Problem } from '@/collectors/csv/read'
import { deploymentsKind } from '@/collectors/csv/deployments-kind'
import { incidentsKind } from '@/collectors/csv/incidents-kind'
import { milestonesKind } from '@/collectors/csv/milestones-kind'
import { portalUsageKind } from '@/collectors/csv/portal-usage-kind'
import { pullRequestsKind } from '@/collectors/csv/pull-requests-kind'
import { repositoriesKind } from '@/collectors/csv/repositories-kind'
import { rosterKind } from '@/collectors/csv/roster-kind'
import { servicesKind } from '@/collectors/csv/services-kind'
import { studyKind } from '@/collectors/csv/study-kind'
import { surveyKind } from '@/collectors/csv/survey-kind'

export { importKinds, type ImportKind }

export interface ColumnSpec {
  name: string
  required: boolean
  description: string
  /**
   * A date or time column: an event's (no later than tomorrow) or a planned day's (up to a year ahead); both
   * no earlier than UPSHOT_EARLIEST_DATE (collectors/plausible.ts).
   */
  time?: TimeKind
}

export interface WriteContext {
  tx: Transaction
  today: string
  linkIncidentsWithinHours: number | null
}

export interface KindSpec<Row> {
  kind: ImportKind
  columns: ColumnSpec[]
  /** Checks one row (its cells by column name, empty cells absent). */
  row: z.ZodType<Row>
  key(row: Row): string
  /** What the key is made of, in the message for a key given twice ("login", "kind and occurred_on"). */
  keyLabel: string
  /** References to teams, services and repositories that must exist (the roster makes its own teams). */
  references(row: Row): { teams?: string[]; services?: string[]; repositories?: string[] }
  /** Checks of the valid rows against the database beyond `references`, each problem on its line. */
  check?(db: Db, rows: { line: number; row: Row }[]): Promise<Problem[]>
  /** Writes the rows in the import's transaction; the facts' triggers queue the weeks they change (migration 0011). */
  write(rows: Row[], context: WriteContext): Promise<WriteCounts & { pending?: PendingReferences }>
}

/** References to rows not imported yet, kept until they arrive (ImportReport.pendingReferences). */
export interface PendingReferences {
  /** Incidents in the file whose caused_by_deployment names no deployment Upshot has. */
  incidentsWithoutDeployment: number
}

export const kindSpecs: Record<ImportKind, KindSpec<never>> = {
  roster: rosterKind as never,
  repositories: repositoriesKind as never,
  survey: surveyKind as never,
  deployments: deploymentsKind as never,
  incidents: incidentsKind as never,
  'portal-usage': portalUsageKind as never,
  milestones: milestonesKind as never,
  'pull-requests': pullRequestsKind as never,
  services: servicesKind as never,
  study: studyKind as never,
}
