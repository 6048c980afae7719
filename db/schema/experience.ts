// Developer experience and portal usage: pulse surveys, scaffolder runs, portal analytics events.
import { sql } from 'drizzle-orm'
import { boolean, doublePrecision, index, jsonb, pgTable, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, day, id, instant, ref } from './columns'
import { scaffolderStatus, studyPhase } from './enums'
import { people, services, teams } from './organisation'

export const surveyWaves = pgTable('survey_waves', {
  id: id(),
  /** e.g. 2026-Q1 */
  key: text('key').notNull().unique(),
  title: text('title').notNull(),
  opensOn: day('opens_on').notNull(),
  closesOn: day('closes_on').notNull(),
  createdAt: createdAt(),
})

/**
 * One answer to one question. Respondents are anonymised: `respondent_key` is a salted hash that groups one
 * person's answers within a wave and cannot be joined to `people`.
 */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: id(),
    waveId: ref('wave_id')
      .notNull()
      .references(() => surveyWaves.id, { onDelete: 'cascade' }),
    respondentKey: text('respondent_key').notNull(),
    /** The respondent's team at the time, for per-team scores (withheld below 5 respondents). */
    teamId: ref('team_id').references(() => teams.id, { onDelete: 'set null' }),
    question: text('question').notNull(),
    score: smallint('score').notNull(),
    submittedAt: instant('submitted_at').notNull(),
  },
  (t) => [
    uniqueIndex('survey_responses_answer_idx').on(t.waveId, t.respondentKey, t.question),
    // score per wave × team
    index('survey_responses_wave_team_idx').on(t.waveId, t.teamId),
  ],
)

/** Backstage scaffolder tasks (template runs). */
export const scaffolderRuns = pgTable(
  'scaffolder_runs',
  {
    id: id(),
    source: text('source').notNull().default('backstage'),
    /** The scaffolder task id. */
    externalId: text('external_id').notNull(),
    templateRef: text('template_ref').notNull(),
    /** Backstage user entity ref of who ran it. */
    userRef: text('user_ref'),
    personId: ref('person_id').references(() => people.id, { onDelete: 'set null' }),
    teamId: ref('team_id').references(() => teams.id, { onDelete: 'set null' }),
    status: scaffolderStatus('status').notNull(),
    startedAt: instant('started_at').notNull(),
    finishedAt: instant('finished_at'),
    /** The catalog entity the run created, when it created one. */
    serviceId: ref('service_id').references(() => services.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('scaffolder_runs_source_external_idx').on(t.source, t.externalId),
    // runs and success rate per team × week
    index('scaffolder_runs_team_started_idx').on(t.teamId, t.startedAt),
  ],
)

/** Portal usage in the shape of Backstage's analytics events (action, subject, attributes, context). */
export const portalEvents = pgTable(
  'portal_events',
  {
    id: id(),
    /** Idempotency key: the same event ingested twice is stored once. */
    eventId: text('event_id').notNull().unique(),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    value: doublePrecision('value'),
    attributes: jsonb('attributes')
      .$type<Record<string, string | number | boolean>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    context: jsonb('context')
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** context.pluginId, lifted out for grouping. */
    pluginId: text('plugin_id'),
    /** Backstage user entity ref (or its hash, when the portal hashes users). */
    userRef: text('user_ref'),
    personId: ref('person_id').references(() => people.id, { onDelete: 'set null' }),
    teamId: ref('team_id').references(() => teams.id, { onDelete: 'set null' }),
    occurredAt: instant('occurred_at').notNull(),
  },
  (t) => [
    // weekly / monthly active users: distinct user_ref in a time range, from the index alone
    index('portal_events_occurred_user_idx').on(t.occurredAt, t.userRef),
    // active users per team × week
    index('portal_events_team_occurred_idx').on(t.teamId, t.occurredAt),
  ],
)

/**
 * A time-in-motion study (docs find-time): one participant timing one task, before or after. Participants are
 * anonymised like survey respondents: `participant_key` is a salted hash. A participant times each task once
 * per phase, so a re-import or a second form submission replaces the row.
 */
export const studyObservations = pgTable(
  'study_observations',
  {
    id: id(),
    task: text('task').notNull(),
    participantKey: text('participant_key').notNull(),
    phase: studyPhase('phase').notNull(),
    seconds: doublePrecision('seconds').notNull(),
    /** Whether the participant found what the task asked for; a task given up counts its time, unfound. */
    found: boolean('found').notNull(),
    /** Where the row came from: 'form' (the study kit's stopwatch) or 'csv'. */
    source: text('source').notNull(),
    recordedAt: instant('recorded_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('study_observations_task_participant_phase_idx').on(t.task, t.participantKey, t.phase)],
)

export type SurveyWave = typeof surveyWaves.$inferSelect
export type NewSurveyWave = typeof surveyWaves.$inferInsert
export type SurveyResponse = typeof surveyResponses.$inferSelect
export type NewSurveyResponse = typeof surveyResponses.$inferInsert
export type ScaffolderRun = typeof scaffolderRuns.$inferSelect
export type NewScaffolderRun = typeof scaffolderRuns.$inferInsert
export type PortalEvent = typeof portalEvents.$inferSelect
export type NewPortalEvent = typeof portalEvents.$inferInsert
export type StudyObservation = typeof studyObservations.$inferSelect
export type NewStudyObservation = typeof studyObservations.$inferInsert
