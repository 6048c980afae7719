// The portal-events ingest on a real database: token-authenticated, all-or-nothing batches in Backstage's
// analytics event shape, stored once per event, attributed to the person's team and rolled up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ingestPortalEvents } from '@/collectors/portal-events/ingest'
import { createApiToken, revokeApiToken } from '@/db/queries/tokens'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

describe(`portal-events ingest (${engine})`, () => {
  let database: TestDatabase
  let token: string
  beforeAll(async () => {
    database = await freshDatabase('portal_events')
    const sql = database.connection.sql
    await sql`insert into teams (slug, name) values ('payments', 'Payments')`
    await sql`insert into people (login) values ('ada')`
    await sql`insert into team_memberships (person_id, team_id, valid_from) select p.id, t.id, '2026-01-01' from people p, teams t`
    ;({ token } = await createApiToken(database.connection.db, {
      name: 'backstage forwarder',
      scopes: ['portal-events'],
    }))
  })
  afterAll(async () => database?.close())

  const send = (body: unknown, authorization: string | null = `Bearer ${token}`) =>
    ingestPortalEvents(database.connection.db, {
      authorization,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const stored = async () =>
    (await database.connection.sql<{ n: number }[]>`select count(*)::int as n from portal_events`)[0]?.n

  const batch = [
    {
      action: 'navigate',
      subject: '/catalog/default/component/payments-api',
      context: { pluginId: 'catalog', routeRef: 'catalog:entity', extension: 'App' },
      timestamp: '2026-11-17T09:00:00Z',
      user: 'user:default/ada',
    },
    {
      event: {
        action: 'create',
        subject: 'payments-worker',
        attributes: { templateRef: 'template:default/node-service' },
        context: { pluginId: 'scaffolder' },
      },
      timestamp: '2026-11-17T09:05:00Z',
      userId: 'user:default/ada',
    },
    {
      eventId: 'search-1',
      action: 'search',
      subject: 'kafka retries',
      value: 12,
      context: { pluginId: 'search' },
      timestamp: Date.parse('2026-11-17T10:00:00Z'),
      user: { userEntityRef: 'user:default/zoe' },
    },
  ]

  it('refuses a missing, wrong or revoked token, storing nothing', async () => {
    expect((await send(batch, null)).status).toBe(401)
    expect((await send(batch, 'Bearer upt_not-a-token')).status).toBe(401)
    const other = await createApiToken(database.connection.db, { name: 'revoked', scopes: ['portal-events'] })
    await revokeApiToken(database.connection.db, { id: other.id })
    expect((await send(batch, `Bearer ${other.token}`)).status).toBe(401)
    const wrongScope = await createApiToken(database.connection.db, { name: 'other scope', scopes: ['report'] })
    expect((await send(batch, `Bearer ${wrongScope.token}`)).status).toBe(401)
    expect(await stored()).toBe(0)
  })

  it('stores a batch of bare and wrapped events once; a re-sent batch stores nothing twice', async () => {
    expect(await send(batch)).toEqual({ status: 200, body: { ok: true, accepted: 3, duplicates: 0 } })
    expect(await send({ events: batch })).toEqual({ status: 200, body: { ok: true, accepted: 0, duplicates: 3 } })
    expect(await stored()).toBe(3)
    const rows = await database.connection.sql`
      select e.action, e.plugin_id, e.user_ref, t.slug as team from portal_events e left join teams t on t.id = e.team_id order by e.occurred_at`
    expect(rows).toEqual([
      { action: 'navigate', plugin_id: 'catalog', user_ref: 'user:default/ada', team: 'payments' },
      { action: 'create', plugin_id: 'scaffolder', user_ref: 'user:default/ada', team: 'payments' },
      { action: 'search', plugin_id: 'search', user_ref: 'user:default/zoe', team: null },
    ])
    // the week's rollup counts ada, an engineer of payments that Monday, as one of its active engineers (by person id)
    const [week] = await database.connection.sql<{ users: string[]; ada: string }[]>`
      select portal_users as users, (select id::text from people where login = 'ada') as ada
      from rollups_team_weeks w join teams t on t.id = w.team_id where t.slug = 'payments' and week_start = '2026-11-16'`
    expect(week?.users).toEqual([week?.ada])
  })

  it('a batch with any bad event stores nothing and names each problem by index and field', async () => {
    const bad = [
      {
        action: 'navigate',
        subject: '/docs',
        context: {},
        timestamp: '2026-11-18T09:00:00Z',
        user: 'user:default/ada',
      },
      { action: 'navigate', subject: '/docs', context: {}, timestamp: 'yesterday' },
      { subject: '/docs', context: {}, timestamp: '2026-11-18T09:00:00Z' },
      // seconds, not milliseconds: would land in 1970
      { action: 'navigate', subject: '/docs', context: {}, timestamp: 1_795_000_000, user: 'user:default/ada' },
    ]
    const result = await send(bad)
    expect(result.status).toBe(400)
    expect(result.body.problems).toEqual([
      expect.stringMatching(/^events\[1\]\.timestamp: /),
      expect.stringMatching(/^events\[2\]\.action: /),
      expect.stringMatching(/^events\[3\]\.timestamp: .*seconds/),
    ])
    expect((await send('{"events": [')).status).toBe(400)
    expect((await send(Array.from({ length: 1001 }, () => bad[0]))).body.problems).toEqual([
      'a batch holds at most 1000 events; this one has 1001',
    ])
    expect(await stored()).toBe(3)
  })

  it('a NUL in any text, or a time in year 9999 or 0001, is refused by index and field (4xx, nothing stored), never a database error', async () => {
    const good = {
      action: 'navigate',
      subject: '/docs',
      context: {},
      timestamp: '2026-11-18T09:00:00Z',
      user: 'user:default/ada',
    }
    // the raw body, as a forwarder sends it: JSON escapes the NUL
    const body = JSON.stringify([
      good,
      { ...good, subject: '/docs\u0000' },
      { ...good, context: { pluginId: 'techdocs\u0000' } },
      { ...good, timestamp: '9999-12-31T00:00:00Z' },
      { ...good, timestamp: '0001-01-01T00:00:00Z' },
    ])
    expect(body).toContain('\\u0000')
    const result = await send(body)
    expect(result.status).toBe(400)
    expect(result.body.problems).toEqual([
      'events[1].subject: contains a control character (U+0000)',
      'events[2].context.pluginId: contains a control character (U+0000)',
      expect.stringMatching(
        /^events\[3\]\.timestamp: "9999-12-31T00:00:00Z" is after tomorrow \(\d{4}-\d{2}-\d{2}, UTC\): it cannot have happened yet$/,
      ),
      'events[4].timestamp: "0001-01-01T00:00:00Z" is before 2000-01-01, the earliest date accepted (UPSHOT_EARLIEST_DATE)',
    ])
    expect(await stored()).toBe(3)
  })
  it('takes Backstage’s generic analytics module as it posts: Basic auth, and its { event, timestamp, userId, teamMetadata } array', async () => {
    // the module's flush body (JSON.stringify of its queue), with the catalog entities it attaches
    const fromModule = [
      {
        event: {
          action: 'navigate',
          subject: '/docs/default/component/payments-api',
          context: { pluginId: 'techdocs', routeRef: 'techdocs:reader-page', extension: 'App' },
          attributes: { to: '/docs/default/component/payments-api' },
        },
        timestamp: '2026-11-18T08:30:00.000Z',
        userId: 'user:default/ada',
        teamMetadata: [{ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'payments-api' } }],
      },
      {
        event: { action: 'click', subject: 'Create', context: { pluginId: 'scaffolder', extension: 'App' } },
        timestamp: '2026-11-18T08:31:00.000Z',
        userId: 'user:default/ada',
        teamEntity: { kind: 'Group', metadata: { name: 'payments' } },
      },
    ]
    const before = await stored()
    // its basicAuthToken set to the token itself, then to base64 of "backstage:<token>": both are the token
    expect(await send(fromModule, `Basic ${token}`)).toEqual({
      status: 200,
      body: { ok: true, accepted: 2, duplicates: 0 },
    })
    const basic = `Basic ${Buffer.from(`backstage:${token}`).toString('base64')}`
    expect(await send(fromModule, basic)).toEqual({ status: 200, body: { ok: true, accepted: 0, duplicates: 2 } })
    expect((await send(fromModule, `Basic ${Buffer.from('backstage:wrong').toString('base64')}`)).status).toBe(401)
    expect(await stored()).toBe((before ?? 0) + 2)
    const rows = await database.connection.sql`
      select e.action, e.plugin_id, e.subject, t.slug as team from portal_events e left join teams t on t.id = e.team_id
      where e.occurred_at >= '2026-11-18' order by e.occurred_at`
    expect(rows).toEqual([
      { action: 'navigate', plugin_id: 'techdocs', subject: '/docs/default/component/payments-api', team: 'payments' },
      { action: 'click', plugin_id: 'scaffolder', subject: 'Create', team: 'payments' },
    ])
  })
})
