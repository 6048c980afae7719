// People who signed in, their roles and their sessions (the rows better-auth writes; lib/auth/server.ts).
import { sql } from 'drizzle-orm'
import { UpshotError } from '@/lib/errors'
import type { Db } from '@/db/client'

export type UserRole = 'viewer' | 'admin'

export interface UserRow {
  id: string
  name: string
  email: string
  emailVerified: boolean
  role: UserRole
  /** provider:subject of each identity, e.g. github:5001, oidc:00u1a2b3c */
  providers: string[]
  createdAt: string
  lastActiveAt: string | null
  activeSessions: number
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  const rows = await db.execute<{
    id: string
    name: string
    email: string
    email_verified: boolean
    role: UserRole
    providers: string[] | null
    created_at: string
    last_active_at: string | null
    active_sessions: number
  }>(sql`
    select u.id, u.name, u.email, u.email_verified, u.role, u.created_at::text,
      (select array_agg(a.provider_id || ':' || a.account_id order by a.provider_id, a.account_id) from user_accounts a where a.user_id = u.id) as providers,
      (select max(s.updated_at)::text from user_sessions s where s.user_id = u.id) as last_active_at,
      (select count(*)::int from user_sessions s where s.user_id = u.id and s.expires_at > now()) as active_sessions
    from users u order by u.name, u.id`)
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    emailVerified: row.email_verified,
    role: row.role,
    providers: row.providers ?? [],
    createdAt: row.created_at,
    lastActiveAt: row.last_active_at,
    activeSessions: row.active_sessions,
  }))
}

/**
 * Gives a user a role. Refuses to demote the last admin (nobody could manage Upshot after that). A demoted
 * user's sessions end, so the new role applies at once rather than at their next sign-in.
 */
export async function setUserRole(
  db: Db,
  { userId, role }: { userId: string; role: UserRole },
): Promise<{ name: string; role: UserRole }> {
  return db.transaction(async (tx) => {
    // serialise role changes, so two admins demoting each other cannot leave none
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('upshot:user-roles'))`)
    const [user] = await tx.execute<{ name: string; role: UserRole }>(
      sql`select name, role from users where id = ${userId} for update`,
    )
    if (!user) throw new UpshotError('not_found', `No user with id ${userId}.`)
    if (user.role === 'admin' && role !== 'admin') {
      const [count] = await tx.execute<{ admins: number }>(
        sql`select count(*)::int as admins from users where role = 'admin'`,
      )
      if ((count?.admins ?? 0) <= 1)
        throw new UpshotError('conflict', `${user.name} is the only admin: make someone else an admin first.`)
      await tx.execute(sql`delete from user_sessions where user_id = ${userId}`)
    }
    await tx.execute(sql`update users set role = ${role}, updated_at = now() where id = ${userId}`)
    return { name: user.name, role }
  })
}

/**
 * Gives a role to the user named by a verified e-mail or by `provider:subject` (as `npm run db -- users` lists
 * them); how the first admin is made. An e-mail the provider did not verify is refused: whoever signed in
 * first with someone else's address must not become an admin in their place.
 */
export async function setRoleFor(
  db: Db,
  { who, role }: { who: string; role: UserRole },
): Promise<{ name: string; role: UserRole }> {
  const bySubject = who.match(/^([a-z0-9-]+):(.+)$/)
  const [user] =
    bySubject && !who.includes('@')
      ? await db.execute<{ id: string; email_verified: boolean }>(
          sql`select u.id, true as email_verified from users u join user_accounts a on a.user_id = u.id where a.provider_id = ${bySubject[1]} and a.account_id = ${bySubject[2]}`,
        )
      : await db.execute<{ id: string; email_verified: boolean }>(
          sql`select id, email_verified from users where lower(email) = lower(${who})`,
        )
  if (!user)
    throw new UpshotError('not_found', `No one who signed in is ${who}.`, {
      hint: 'They sign in once (as a viewer); `npm run db -- users` lists everyone with their provider:subject.',
    })
  if (!user.email_verified)
    throw new UpshotError('conflict', `The e-mail ${who} was not verified by the sign-in provider.`, {
      hint: 'Name them by provider:subject instead (`npm run db -- users` lists it).',
    })
  return setUserRole(db, { userId: user.id, role })
}

/** Ends every session of a user (they must sign in again). */
export async function revokeUserSessions(db: Db, { userId }: { userId: string }): Promise<number> {
  const rows = await db.execute(sql`delete from user_sessions where user_id = ${userId} returning id`)
  return rows.length
}

/** Records that a session was used: at most one write per session every 5 minutes. */
export async function touchSession(db: Db, { id }: { id: string }): Promise<void> {
  await db.execute(
    sql`update user_sessions set updated_at = now() where id = ${id} and updated_at < now() - interval '5 minutes'`,
  )
}

export async function deleteSession(db: Db, { id }: { id: string }): Promise<void> {
  await db.execute(sql`delete from user_sessions where id = ${id}`)
}
