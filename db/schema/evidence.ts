// Evidence: milestones on the time axis (the portal launch), pilot initiatives with their pilot and
// control teams and windows, and the ROI model's assumptions with their history.
import { sql } from 'drizzle-orm'
import { check, index, numeric, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, day, id, instant, ref } from './columns'
import { initiativeTeamRole, milestoneKind, useCase } from './enums'
import { teams } from './organisation'

export const milestones = pgTable(
  'milestones',
  {
    id: id(),
    kind: milestoneKind('kind').notNull(),
    name: text('name').notNull(),
    occurredOn: day('occurred_on').notNull(),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('milestones_kind_on_idx').on(t.kind, t.occurredOn)],
)

/** The teams a milestone applies to; a milestone without rows here applies to every team. */
export const milestoneTeams = pgTable(
  'milestone_teams',
  {
    milestoneId: ref('milestone_id')
      .notNull()
      .references(() => milestones.id, { onDelete: 'cascade' }),
    teamId: ref('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.milestoneId, t.teamId] })],
)

/**
 * A pilot: some teams adopt the portal for one use case on `launch_date`; control teams do not (yet).
 * Each metric is compared over the baseline window (before) and the evaluation window (after), pilot
 * against control (difference-in-differences).
 */
export const initiatives = pgTable(
  'initiatives',
  {
    id: id(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    useCase: useCase('use_case').notNull(),
    description: text('description'),
    launchDate: day('launch_date').notNull(),
    /**
     * The metric keys (lib/metrics/comparable.ts) the pilot is judged by, named before it starts: they are
     * tested first, as one family (lib/stats/claims.ts). Empty: the use case's default.
     */
    primaryMetrics: text('primary_metrics')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    baselineStart: day('baseline_start').notNull(),
    baselineEnd: day('baseline_end').notNull(),
    evaluationStart: day('evaluation_start').notNull(),
    evaluationEnd: day('evaluation_end').notNull(),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('initiatives_baseline_order', sql`${t.baselineStart} < ${t.baselineEnd}`),
    check('initiatives_evaluation_order', sql`${t.evaluationStart} < ${t.evaluationEnd}`),
    check('initiatives_windows_apart', sql`${t.baselineEnd} <= ${t.evaluationStart}`),
  ],
)

export const initiativeTeams = pgTable(
  'initiative_teams',
  {
    initiativeId: ref('initiative_id')
      .notNull()
      .references(() => initiatives.id, { onDelete: 'cascade' }),
    teamId: ref('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    role: initiativeTeamRole('role').notNull(),
  },
  (t) => [primaryKey({ columns: [t.initiativeId, t.teamId] })],
)

/**
 * The ROI model's inputs, append-only: each change is a row saying who set which value when; the
 * current value of a key is its latest row.
 */
export const roiAssumptions = pgTable(
  'roi_assumptions',
  {
    id: id(),
    key: text('key').notNull(),
    value: numeric('value').notNull(),
    unit: text('unit').notNull(),
    note: text('note'),
    changedBy: text('changed_by').notNull(),
    changedAt: instant('changed_at').notNull().defaultNow(),
  },
  (t) => [
    // the current value of each key
    index('roi_assumptions_key_changed_idx').on(t.key, t.changedAt),
  ],
)

export type Milestone = typeof milestones.$inferSelect
export type NewMilestone = typeof milestones.$inferInsert
export type MilestoneTeam = typeof milestoneTeams.$inferSelect
export type NewMilestoneTeam = typeof milestoneTeams.$inferInsert
export type Initiative = typeof initiatives.$inferSelect
export type NewInitiative = typeof initiatives.$inferInsert
export type InitiativeTeam = typeof initiativeTeams.$inferSelect
export type NewInitiativeTeam = typeof initiativeTeams.$inferInsert
export type RoiAssumption = typeof roiAssumptions.$inferSelect
export type NewRoiAssumption = typeof roiAssumptions.$inferInsert
