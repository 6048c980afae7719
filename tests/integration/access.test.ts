// Who may sign in with GitHub (against the fake identity provider, in GitHub's wire format), and the rules
// for roles on a real database: the last admin cannot be demoted, a demoted admin's sessions end, a token's
// scopes are checked when it is made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken, verifyApiToken } from '@/db/queries/tokens'
import { listUsers, setRoleFor, setUserRole } from '@/db/queries/users'
import { githubIdentity } from '@/lib/auth/github'
import { startFakeIdentity, type FakeIdentity } from '@/tests/fakes/identity'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

describe('GitHub sign-in: members of the organisation, or of the team, only', () => {
  let identity: FakeIdentity
  const client = { clientId: 'Iv1.test', clientSecret: 'test-secret' }
  beforeAll(async () => {
    identity = await startFakeIdentity({
      people: [
        {
          githubId: 1,
          githubLogin: 'ada',
          name: 'Ada',
          email: 'ada@example.com',
          orgs: ['acme'],
          teams: ['acme/platform'],
        },
        { githubId: 2, githubLogin: 'bob', name: 'Bob', email: 'bob@example.com', orgs: ['acme'] },
        { githubId: 3, githubLogin: 'eve', name: 'Eve', email: 'eve@example.com', orgs: ['evil-corp'] },
      ],
      oidcClient: client,
      githubClient: client,
    })
  })
  afterAll(async () => identity?.close())

  /** A user token the way the OAuth web flow makes one: authorize as `login`, exchange the code. */
  async function tokenFor(login: string): Promise<string> {
    const authorize = new URL(`${identity.url}/github/approve`)
    authorize.search = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: 'http://127.0.0.1/callback',
      state: 's',
      person: login,
    }).toString()
    const back = await fetch(authorize, { redirect: 'manual' })
    const code = new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? ''
    const exchange = await fetch(`${identity.url}/github/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        code,
        redirect_uri: 'http://127.0.0.1/callback',
      }),
    })
    return ((await exchange.json()) as { access_token: string }).access_token
  }
  const api = () => `${identity.url}/github/api`

  it('an organisation member may sign in; an outsider is told why not', async () => {
    expect(await githubIdentity(await tokenFor('bob'), { apiUrl: api(), org: 'acme' })).toMatchObject({
      id: '2',
      login: 'bob',
      email: 'bob@example.com',
      emailVerified: true,
      refusal: null,
    })
    expect((await githubIdentity(await tokenFor('eve'), { apiUrl: api(), org: 'acme' }))?.refusal).toBe(
      'eve is not an active member of the acme organisation on GitHub',
    )
  })

  it('with a team, only its members: an organisation member outside the team is refused', async () => {
    const rule = { apiUrl: api(), org: 'acme', team: 'platform' }
    expect((await githubIdentity(await tokenFor('ada'), rule))?.refusal).toBeNull()
    expect((await githubIdentity(await tokenFor('bob'), rule))?.refusal).toBe(
      'bob is not an active member of the acme/platform team on GitHub',
    )
  })

  it('a token GitHub does not know gives no identity at all', async () => {
    expect(await githubIdentity('gho_not-a-token', { apiUrl: api(), org: 'acme' })).toBeNull()
  })
})

describe(`roles and tokens (${engine})`, () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase('access')
    const sql = database.connection.sql
    await sql`insert into users (id, name, email, email_verified, role) values ('u1', 'Ada', 'ada@example.com', true, 'admin'), ('u2', 'Bob', 'bob@example.com', true, 'viewer'), ('u3', 'Mallory', 'boss@example.com', false, 'viewer')`
    await sql`insert into user_accounts (id, account_id, provider_id, user_id) values ('a3', '00u-mallory', 'oidc', 'u3')`
    await sql`insert into user_sessions (id, token, user_id, expires_at) values ('s1', 't1', 'u1', now() + interval '1 hour'), ('s2', 't2', 'u2', now() + interval '1 hour')`
  })
  afterAll(async () => database?.close())

  it('the only admin cannot be made a viewer; once there is another, they can, and their sessions end', async () => {
    const db = database.connection.db
    await expect(setUserRole(db, { userId: 'u1', role: 'viewer' })).rejects.toThrow(
      'Ada is the only admin: make someone else an admin first.',
    )
    expect(await setRoleFor(db, { who: 'BOB@example.com', role: 'admin' })).toEqual({ name: 'Bob', role: 'admin' })
    expect(await setUserRole(db, { userId: 'u1', role: 'viewer' })).toEqual({ name: 'Ada', role: 'viewer' })
    const users = await listUsers(db)
    expect(users.map((user) => `${user.name}:${user.role}:${user.activeSessions}`)).toEqual([
      'Ada:viewer:0',
      'Bob:admin:1',
      'Mallory:viewer:0',
    ])
    await expect(setRoleFor(db, { who: 'nobody@example.com', role: 'admin' })).rejects.toThrow(
      'No one who signed in is nobody@example.com.',
    )
  })

  it('an e-mail the provider did not verify cannot be made an admin by e-mail; by provider:subject it can', async () => {
    const db = database.connection.db
    await expect(setRoleFor(db, { who: 'boss@example.com', role: 'admin' })).rejects.toThrow(
      'The e-mail boss@example.com was not verified by the sign-in provider.',
    )
    expect((await listUsers(db)).find((user) => user.name === 'Mallory')?.providers).toEqual(['oidc:00u-mallory'])
    expect(await setRoleFor(db, { who: 'oidc:00u-mallory', role: 'admin' })).toEqual({ name: 'Mallory', role: 'admin' })
  })

  it('a token is made only with known scopes, and works only for its own', async () => {
    const db = database.connection.db
    await expect(createApiToken(db, { name: 'x', scopes: ['admin'] })).rejects.toThrow(
      "A token's scopes must be among portal-events, report; not admin.",
    )
    const { token } = await createApiToken(db, { name: 'report cli', scopes: ['report'] })
    expect(await verifyApiToken(db, { token, scope: 'report' })).toMatchObject({ name: 'report cli' })
    expect(await verifyApiToken(db, { token, scope: 'portal-events' })).toBeNull()
    const [row] = await database.connection.sql`select token_hash from api_tokens where name = 'report cli'`
    expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(row?.token_hash).not.toContain(token)
  })
})
