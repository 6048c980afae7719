// Tokens for machines (the portal-events forwarder, any other machine endpoint): only a SHA-256 of each is
// stored; the token itself is shown once, when made.
import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { UpshotError } from '@/lib/errors'
import type { Db } from '@/db/client'

const TOKEN_PREFIX = 'upt_'

/** What a token may do: send portal usage events; read the one-pager and its exports (viewer rights there). */
export const TOKEN_SCOPES = ['portal-events', 'report'] as const

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorization: string | null | undefined): string | null {
  return authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null
}

/**
 * The token a machine sends: `Bearer <token>`, or Basic for senders that speak nothing else. Backstage's generic
 * analytics module sends `Basic <basicAuthToken>` verbatim, so Basic carries either the token itself or, as
 * Basic normally does, base64 of `any-name:<token>`. Null for anything else. Only machine doors (the portal
 * events ingest) read Basic; people's API reads take Bearer alone.
 */
export function machineToken(authorization: string | null | undefined): string | null {
  const bearer = bearerToken(authorization)
  if (bearer) return bearer
  const basic = authorization?.match(/^Basic\s+(\S+)$/i)?.[1]
  if (!basic) return null
  if (basic.startsWith(TOKEN_PREFIX)) return basic
  const decoded = Buffer.from(basic, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const password = colon >= 0 ? decoded.slice(colon + 1) : ''
  return password.startsWith(TOKEN_PREFIX) ? password : null
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

/** Makes a token; the returned `token` is the only copy of it. */
export async function createApiToken(
  db: Db,
  { name, scopes }: { name: string; scopes: string[] },
): Promise<{ id: number; token: string }> {
  const unknown = scopes.filter((scope) => !(TOKEN_SCOPES as readonly string[]).includes(scope))
  if (unknown.length > 0 || scopes.length === 0)
    throw new UpshotError(
      'bad_request',
      `A token's scopes must be among ${TOKEN_SCOPES.join(', ')}${unknown.length ? `; not ${unknown.join(', ')}` : ''}.`,
    )
  if (!name.trim() || name.length > 100)
    throw new UpshotError('bad_request', 'A token needs a name of 1 to 100 characters (what uses it).')
  const token = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`
  const [row] = await db.execute<{ id: number }>(
    sql`insert into api_tokens (name, token_hash, scopes) values (${name}, ${hash(token)}, ${sql.param(scopes)}::text[]) returning id::int`,
  )
  return { id: Number(row?.id), token }
}

/** The token's id and name when it exists, is not revoked and carries `scope`; records its use. */
export async function verifyApiToken(
  db: Db,
  { token, scope }: { token: string; scope: string },
): Promise<{ id: number; name: string } | null> {
  const [row] = await db.execute<{ id: number; name: string }>(sql`
    update api_tokens set last_used_at = now()
    where token_hash = ${hash(token)} and revoked_at is null and ${scope} = any(scopes)
    returning id::int, name`)
  return row ?? null
}

export async function revokeApiToken(db: Db, { id }: { id: number }): Promise<boolean> {
  const rows = await db.execute(
    sql`update api_tokens set revoked_at = now() where id = ${id} and revoked_at is null returning id`,
  )
  return rows.length > 0
}

export async function listApiTokens(db: Db): Promise<
  {
    id: number
    name: string
    scopes: string[]
    createdAt: string
    lastUsedAt: string | null
    revokedAt: string | null
  }[]
> {
  const rows = await db.execute<{
    id: number
    name: string
    scopes: string[]
    created_at: string
    last_used_at: string | null
    revoked_at: string | null
  }>(
    sql`select id::int, name, scopes, created_at::text, last_used_at::text, revoked_at::text from api_tokens order by id`,
  )
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }))
}
