// Who works where, on what: teams, people, memberships over time, repositories and catalog services.
import { sql } from 'drizzle-orm'
import { boolean, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, day, id, instant, ref } from './columns'
import { serviceOrigin } from './enums'

export const teams = pgTable('teams', {
  id: id(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** The department or tribe a team belongs to, for group filters. */
  groupName: text('group_name'),
  /** The upstream team's id (a GitHub team's node id, a Backstage group ref), for syncs. */
  externalId: text('external_id').unique(),
  createdAt: createdAt(),
})

export const people = pgTable(
  'people',
  {
    id: id(),
    /** GitHub login, or the directory handle when the person has none. */
    login: text('login').notNull().unique(),
    name: text('name'),
    email: text('email'),
    /** First working day: onboarding is measured from here. */
    startDate: day('start_date'),
    endDate: day('end_date'),
    isEngineer: boolean('is_engineer').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    // onboarding cohorts: hires by start month
    index('people_start_date_idx').on(t.startDate),
  ],
)

/**
 * A person's team over time. Work is attributed to the team the person was in when the work happened:
 * `valid_from` inclusive, `valid_to` exclusive (null while current).
 */
export const teamMemberships = pgTable(
  'team_memberships',
  {
    id: id(),
    personId: ref('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    teamId: ref('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    validFrom: day('valid_from').notNull(),
    validTo: day('valid_to'),
  },
  (t) => [
    uniqueIndex('team_memberships_person_from_idx').on(t.personId, t.validFrom),
    // headcount per team at a date (engineers per team-week, response rates)
    index('team_memberships_team_idx').on(t.teamId, t.validFrom),
  ],
)

export const repositories = pgTable(
  'repositories',
  {
    id: id(),
    provider: text('provider').notNull().default('github'),
    /** The upstream's stable id (GitHub node id): a renamed or transferred repository stays one row. */
    externalId: text('external_id').notNull(),
    owner: text('owner').notNull(),
    name: text('name').notNull(),
    fullName: text('full_name').notNull(),
    teamId: ref('team_id').references(() => teams.id, { onDelete: 'set null' }),
    defaultBranch: text('default_branch').notNull().default('main'),
    archived: boolean('archived').notNull().default(false),
    upstreamCreatedAt: instant('upstream_created_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('repositories_provider_external_idx').on(t.provider, t.externalId),
    index('repositories_full_name_idx').on(t.fullName),
  ],
)

/** Catalog entities (Backstage components or any portal's services). */
export const services = pgTable(
  'services',
  {
    id: id(),
    /** Backstage entity ref, e.g. component:default/payments-api. */
    entityRef: text('entity_ref').notNull().unique(),
    name: text('name').notNull(),
    ownerTeamId: ref('owner_team_id').references(() => teams.id, { onDelete: 'set null' }),
    repositoryId: ref('repository_id').references(() => repositories.id, { onDelete: 'set null' }),
    lifecycle: text('lifecycle').notNull().default('production'),
    /** Who first wrote it: 'backstage' (a catalog sync) or 'csv' (the services import, e.g. a manual baseline). */
    source: text('source').notNull().default('backstage'),
    hasDocs: boolean('has_docs').notNull().default(false),
    origin: serviceOrigin('origin').notNull().default('unknown'),
    /** The scaffolder template it was created from, when origin = template. */
    templateRef: text('template_ref'),
    /** When work on the new service began (ticket opened, template run started). */
    requestedAt: instant('requested_at'),
    /** When the service appeared in the catalog. */
    createdAt: instant('created_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    index('services_owner_team_idx').on(t.ownerTeamId),
    // services created per week, template vs by hand
    index('services_created_at_idx').on(t.createdAt),
  ],
)

export type Team = typeof teams.$inferSelect
export type NewTeam = typeof teams.$inferInsert
export type Person = typeof people.$inferSelect
export type NewPerson = typeof people.$inferInsert
export type TeamMembership = typeof teamMemberships.$inferSelect
export type NewTeamMembership = typeof teamMemberships.$inferInsert
export type Repository = typeof repositories.$inferSelect
export type NewRepository = typeof repositories.$inferInsert
export type Service = typeof services.$inferSelect
export type NewService = typeof services.$inferInsert
