// People who signed in, their roles and their sessions (the rows better-auth writes; lib/auth/server.ts).
import { sql } from 'drizzle-orm'
import { UpshotError } from '../../lib/errors'
import type { Db } from '../client'

export type UserRole = 'viewer' | 'admin'

export interface UserRow {
  id: string
  name: string
  email: string
  role: UserRole
  providers: string[]
  createdAt: string
  lastActiveAt: string | null
  activeSessions: number
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  const rows = await db.execute<{ id: string; name: string; email: string; role: UserRole; providers: string[] | null; created_at: string; last_active_at: string | null; active_sessions: number }>(sql`
    select u.id, u.name, u.email, u.role, u.created_at::text,
      (select array_agg(distinct a.provider_id order by a.provider_id) from user_accounts a where a.user_id = u.id) as providers,
      (select max(s.updated_at)::text from user_sessions s where s.user_id = u.id) as last_active_at,
      (select count(*)::int from user_sessions s where s.user_id = u.id and s.expires_at > now()) as active_sessions
    from users u order by u.name, u.id`)
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
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
export async function setUserRole(db: Db, { userId, role }: { userId: string; role: UserRole }): Promise<{ name: string; role: UserRole }> {
  return db.transaction(async (tx) => {
    // serialise role changes, so two admins demoting each other cannot leave none
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('upshot:user-roles'))`)
    const [user] = await tx.execute<{ name: string; role: UserRole }>(sql`select name, role from users where id = ${userId} for update`)
    if (!user) throw new UpshotError('not_found', `No user with id ${userId}.`)
    if (user.role === 'admin' && role !== 'admin') {
      const [count] = await tx.execute<{ admins: number }>(sql`select count(*)::int as admins from users where role = 'admin'`)
      if ((count?.admins ?? 0) <= 1) throw new UpshotError('conflict', `${user.name} is the only admin: make someone else an admin first.`)
      await tx.execute(sql`delete from user_sessions where user_id = ${userId}`)
    }
    await tx.execute(sql`update users set role = ${role}, updated_at = now() where id = ${userId}`)
    return { name: user.name, role }
  })
}

/** Makes the user with this e-mail an admin or a viewer (the first admin is made this way: `npm run db -- users`). */
export async function setRoleByEmail(db: Db, { email, role }: { email: string; role: UserRole }): Promise<{ name: string; role: UserRole }> {
  const [user] = await db.execute<{ id: string }>(sql`select id from users where lower(email) = lower(${email})`)
  if (!user) throw new UpshotError('not_found', `No one with the e-mail ${email} has signed in yet.`, { hint: 'They sign in once (as a viewer); then give them the role.' })
  return setUserRole(db, { userId: user.id, role })
}

/** Ends every session of a user (they must sign in again). */
export async function revokeUserSessions(db: Db, { userId }: { userId: string }): Promise<number> {
  const rows = await db.execute(sql`delete from user_sessions where user_id = ${userId} returning id`)
  return rows.length
}

export async function deleteSession(db: Db, { id }: { id: string }): Promise<void> {
  await db.execute(sql`delete from user_sessions where id = ${id}`)
}
