// Who may see Upshot: people who signed in (users, their sessions and provider accounts) and the
// verification rows of sign-ins in flight. The shapes are better-auth's (lib/auth/server.ts); a user is keyed
// on their provider's subject (accounts.provider_id + account_id), never merged with another by e-mail.
import { sql } from 'drizzle-orm'
import { boolean, check, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { instant } from './columns'

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    /** viewer: dashboards and the report; admin: also sources, imports, initiatives, ROI, users, tokens. */
    role: text('role').notNull().default('viewer'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [check('users_role_check', sql`${t.role} in ('viewer', 'admin')`)],
)

export const userSessions = pgTable(
  'user_sessions',
  {
    id: text('id').primaryKey(),
    /** The absolute limit: sign-in + UPSHOT_SESSION_MAX_HOURS. */
    expiresAt: instant('expires_at').notNull(),
    token: text('token').notNull().unique(),
    /** The absolute limit counts from here. */
    createdAt: instant('created_at').notNull().defaultNow(),
    /** Last use (to 5 minutes): the idle limit counts from here (lib/auth/viewer.ts). */
    updatedAt: instant('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId)],
)

/** One row per provider identity. Upshot keeps no provider tokens: they are dropped at sign-in. */
export const userAccounts = pgTable(
  'user_accounts',
  {
    id: text('id').primaryKey(),
    /** The provider's subject: GitHub's numeric user id, an OIDC `sub`. */
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: instant('access_token_expires_at'),
    refreshTokenExpiresAt: instant('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('user_accounts_subject_idx').on(t.providerId, t.accountId),
    index('user_accounts_user_idx').on(t.userId),
  ],
)

export const authVerifications = pgTable(
  'auth_verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: instant('expires_at').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [index('auth_verifications_identifier_idx').on(t.identifier)],
)

export type User = typeof users.$inferSelect
export type Role = 'viewer' | 'admin'
