// Subscriptions and their deliveries on a real database: the delivery tick claims each period once, however many
// ticks run at once and however late; the form stores Slack secrets only encrypted and never hands them back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimDueDeliveries, insertSubscription, listSubscriptions } from '@/db/queries/subscriptions'
import { nextRegularTime, submitSmtpForm, submitSubscriptionForm } from '@/lib/data/subscriptions'
import { decryptSecret } from '@/lib/publish/secrets'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

const WEBHOOK = 'https://hooks.slack.com/services/T0CANARY/B0CANARY/deliveriesCanarySecret0001'

describe(`subscriptions and deliveries (${engine})`, () => {
  let database: TestDatabase
  beforeAll(async () => {
    process.env.UPSHOT_SECRET_KEY = 'deliveries-test-key-0123456789-abcdefghij'
    database = await freshDatabase('deliveries')
  })
  afterAll(async () => database?.close())
  const db = () => database.connection.db
  const sql = () => database.connection.sql
  const subscribe = (nextDueAt: Date, cadence: 'weekly' | 'monthly' = 'weekly', paused = false) =>
    insertSubscription(db(), {
      name: `s-${nextDueAt.toISOString()}-${cadence}`,
      cadence,
      channel: 'email',
      recipients: ['vp@example.com'],
      nextDueAt,
      paused,
      createdBy: 'test',
    })

  it('a due weekly subscription: one delivery for its ISO week; the next due time a week on, same weekday and hour', async () => {
    await sql()`delete from report_subscriptions`
    const id = await subscribe(new Date('2026-12-07T08:00:00Z'))
    const now = new Date('2026-12-07T08:03:00Z')
    expect(await claimDueDeliveries(db(), { now })).toHaveLength(1)
    expect(await claimDueDeliveries(db(), { now })).toHaveLength(0)
    const [row] = await listSubscriptions(db())
    expect(row?.id).toBe(id)
    expect(row?.nextDueAt.toISOString()).toBe('2026-12-14T08:00:00.000Z')
    expect(row?.deliveries.map((delivery) => delivery.period)).toEqual(['2026-W50'])
  })

  it('three weeks overdue sends once, not three times; monthly keeps the day of month; paused sends nothing', async () => {
    await sql()`delete from report_subscriptions`
    await subscribe(new Date('2026-11-16T08:00:00Z'))
    await subscribe(new Date('2026-11-01T08:00:00Z'), 'monthly')
    await subscribe(new Date('2026-11-01T08:00:00Z'), 'weekly', true)
    const now = new Date('2026-12-07T09:00:00Z')
    expect(await claimDueDeliveries(db(), { now })).toHaveLength(2)
    const rows = await listSubscriptions(db())
    expect(
      rows.map((row) => [row.cadence, row.paused, row.nextDueAt.toISOString(), row.deliveries.map((d) => d.period)]),
    ).toEqual([
      ['weekly', false, '2026-12-14T08:00:00.000Z', ['2026-W47']],
      ['monthly', false, '2027-01-01T08:00:00.000Z', ['2026-11']],
      ['weekly', true, '2026-11-01T08:00:00.000Z', []],
    ])
  })

  it('eight ticks at once claim each period once', async () => {
    await sql()`delete from report_subscriptions`
    for (let i = 0; i < 5; i++) await subscribe(new Date(Date.UTC(2026, 11, 7, 8, i)))
    const now = new Date('2026-12-07T10:00:00Z')
    const claimed = (await Promise.all(Array.from({ length: 8 }, () => claimDueDeliveries(db(), { now })))).flat()
    expect(claimed).toHaveLength(5)
    const [{ count }] = (await sql()`select count(*)::int as count from report_deliveries`) as unknown as [
      { count: number },
    ]
    expect(count).toBe(5)
  })

  it('the next regular time: Monday 08:00 UTC, the 1st 08:00 UTC', () => {
    expect(nextRegularTime('weekly', new Date('2026-12-07T07:59:00Z')).toISOString()).toBe('2026-12-07T08:00:00.000Z')
    expect(nextRegularTime('weekly', new Date('2026-12-07T08:00:00Z')).toISOString()).toBe('2026-12-14T08:00:00.000Z')
    expect(nextRegularTime('weekly', new Date('2026-12-09T12:00:00Z')).toISOString()).toBe('2026-12-14T08:00:00.000Z')
    expect(nextRegularTime('monthly', new Date('2026-12-01T07:00:00Z')).toISOString()).toBe('2026-12-01T08:00:00.000Z')
    expect(nextRegularTime('monthly', new Date('2026-12-07T12:00:00Z')).toISOString()).toBe('2027-01-01T08:00:00.000Z')
  })

  it('the form stores a Slack webhook only encrypted, shows a hint, and never hands a secret back', async () => {
    await sql()`delete from report_subscriptions`
    const form = (fields: Record<string, string>) => {
      const data = new FormData()
      for (const [key, value] of Object.entries(fields)) data.append(key, value)
      return data
    }
    const refused = await submitSubscriptionForm(
      form({
        name: '',
        cadence: 'weekly',
        channel: 'slack',
        first: 'now',
        slackWebhook: WEBHOOK,
        slackToken: 'xoxb-1234567890-abc',
      }),
      'admin',
      { db: db() },
    )
    expect(refused.ok).toBe(false)
    if (!refused.ok) {
      expect(refused.state.errors).toEqual({
        name: 'Give it a name, e.g. “Monthly to the VP”',
        slackToken: 'Give a webhook URL or a bot token, not both',
      })
      expect(JSON.stringify(refused.state)).not.toContain('deliveriesCanarySecret0001')
      expect(JSON.stringify(refused.state)).not.toContain('xoxb-1234567890')
    }
    const badEmail = await submitSubscriptionForm(
      form({
        name: 'VP',
        cadence: 'monthly',
        channel: 'email',
        first: 'next',
        recipients: 'vp@example.com, not-an-address',
      }),
      'admin',
      { db: db() },
    )
    expect(badEmail.ok ? null : badEmail.state.errors).toEqual({ recipients: 'Not e-mail addresses: not-an-address' })
    const saved = await submitSubscriptionForm(
      form({ name: 'Leads', cadence: 'weekly', channel: 'slack', first: 'now', slackWebhook: WEBHOOK }),
      'admin',
      { db: db() },
    )
    expect(saved.ok).toBe(true)
    const [row] = await sql()`select secret, secret_hint, slack_channel from report_subscriptions`
    expect(row?.secret).not.toContain('deliveriesCanarySecret0001')
    expect(row?.secret_hint).toBe('hooks.slack.com/…0001')
    expect(row?.slack_channel).toBeNull()
    expect(decryptSecret(row?.secret as string, 'slack-webhook')).toBe(WEBHOOK)
    const listed = JSON.stringify(await listSubscriptions(db()))
    expect(listed).toContain('hooks.slack.com/…0001')
  })

  it('SMTP: the password is stored encrypted; an empty password field keeps it', async () => {
    const form = (fields: Record<string, string>) => {
      const data = new FormData()
      for (const [key, value] of Object.entries(fields)) data.append(key, value)
      return data
    }
    const fields = { host: 'smtp.example.com', port: '587', username: 'upshot', from: 'Upshot <u@example.com>' }
    expect(
      (await submitSmtpForm(form({ ...fields, password: 'smtp-canary-pass-0001' }), 'admin', { db: db() })).ok,
    ).toBe(true)
    const [first] = await sql()`select password_secret from smtp_settings`
    expect(first?.password_secret).not.toContain('smtp-canary-pass-0001')
    expect(decryptSecret(first?.password_secret as string, 'smtp-password')).toBe('smtp-canary-pass-0001')
    expect((await submitSmtpForm(form({ ...fields, port: '2525', password: '' }), 'admin', { db: db() })).ok).toBe(true)
    const [second] = await sql()`select port, password_secret from smtp_settings`
    expect(second).toEqual({ port: 2525, password_secret: first?.password_secret })
    const bad = await submitSmtpForm(form({ ...fields, port: '70000', password: 'smtp-canary-pass-0001' }), 'admin', {
      db: db(),
    })
    expect(bad.ok ? null : bad.state.errors).toEqual({ port: 'Ports go up to 65535' })
    expect(JSON.stringify(bad)).not.toContain('smtp-canary-pass-0001')
  })
})
