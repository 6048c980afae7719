// Subscriptions and their deliveries on a real database: the delivery tick claims each period once, however many
// ticks run at once and however late; the form stores Slack secrets only encrypted and never hands them back.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connect } from '@/db/client'
import { insertSnapshot, listShareLinks, setSnapshotPdf } from '@/db/queries/snapshots'
import {
  claimDueDeliveries,
  insertManualDelivery,
  insertSubscription,
  listSubscriptions,
  setDeliverySnapshot,
  sweepStalledDeliveries,
} from '@/db/queries/subscriptions'
import { getReport } from '@/lib/data/report'
import { reportDocumentOf } from '@/lib/data/report-page'
import { toStoredJson } from '@/lib/data/stored-json'
import { submitSmtpForm } from '@/lib/data/smtp-form'
import { nextRegularTime, submitSubscriptionForm } from '@/lib/data/subscription-form'
import { deliver } from '@/lib/publish/deliver'
import { waitBeyondBackoff } from '@/lib/publish/errors'
import { decryptSecret, encryptSecret } from '@/lib/publish/secrets'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'
import { startFakeSlack } from '@/tests/fakes/slack'
import { startFakeSmtp } from '@/tests/fakes/smtp'

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

  it('three weeks overdue sends once, not three times, labelled with the week it goes out; the next is at the regular time; paused sends nothing', async () => {
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
      ['weekly', false, '2026-12-14T08:00:00.000Z', ['2026-W50']],
      ['monthly', false, '2027-01-01T08:00:00.000Z', ['2026-12']],
      ['weekly', true, '2026-11-01T08:00:00.000Z', []],
    ])
  })

  it('a first send “now” on 31 Jan: the next at the regular times, 1 Feb 08:00 and then 1 Mar 08:00 (no month-end drift)', async () => {
    await sql()`delete from report_subscriptions`
    await subscribe(new Date('2027-01-31T15:20:00Z'), 'monthly')
    expect(await claimDueDeliveries(db(), { now: new Date('2027-01-31T15:21:00Z') })).toHaveLength(1)
    expect((await listSubscriptions(db()))[0]?.nextDueAt.toISOString()).toBe('2027-02-01T08:00:00.000Z')
    expect(await claimDueDeliveries(db(), { now: new Date('2027-02-01T08:02:00Z') })).toHaveLength(1)
    const [row] = await listSubscriptions(db())
    expect(row?.nextDueAt.toISOString()).toBe('2027-03-01T08:00:00.000Z')
    expect(row?.deliveries.map((delivery) => delivery.period).sort()).toEqual(['2027-01', '2027-02'])
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

  it('SMTP: the password is stored encrypted; an empty password field keeps it for the same server and user only', async () => {
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
    expect(
      (await submitSmtpForm(form({ ...fields, from: 'Reports <r@example.com>', password: '' }), 'admin', { db: db() }))
        .ok,
    ).toBe(true)
    const [second] = await sql()`select from_address, password_secret from smtp_settings`
    expect(second).toEqual({ from_address: 'Reports <r@example.com>', password_secret: first?.password_secret })
    // the saved password never follows a change of server or user
    const moved = await submitSmtpForm(form({ ...fields, host: 'mail.attacker.example', password: '' }), 'admin', {
      db: db(),
    })
    expect(moved.ok ? null : moved.state.errors).toEqual({
      password: 'Type the password: the server or the user name changed, so the saved one is not sent there',
    })
    expect((await sql()`select host from smtp_settings`)[0]?.host).toBe('smtp.example.com')
    const bad = await submitSmtpForm(form({ ...fields, port: '70000', password: 'smtp-canary-pass-0001' }), 'admin', {
      db: db(),
    })
    expect(bad.ok ? null : bad.state.errors).toEqual({ port: 'Ports go up to 65535' })
    expect(JSON.stringify(bad)).not.toContain('smtp-canary-pass-0001')
  })

  describe('sending one delivery', () => {
    let figures = ''
    let headlines: string[] = []
    const PASSWORD = 'smtp-canary-0202-deliver-password'
    const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 32), Buffer.from('\n%%EOF\n')])
    beforeAll(async () => {
      // a real one-pager's figures, from the demo organisation
      const demo = connect(inject('demoDatabaseUrl'), { max: 2 })
      try {
        const report = await getReport({ db: demo.db, now: new Date('2026-11-25T12:00:00Z') })
        if (report.state !== 'ready') throw new Error('the demo has no initiative')
        figures = toStoredJson(reportDocumentOf(report))
        headlines = report.headlines.map((headline) => headline.sentence)
      } finally {
        await demo.close()
      }
    })
    const due = async (subscription: number) => {
      const snapshot = await insertSnapshot(db(), {
        initiativeId: null,
        title: 't',
        figures,
        dataVersion: 1,
        createdBy: 'test',
      })
      await setSnapshotPdf(db(), { id: snapshot, pdf: PDF })
      const id = await insertManualDelivery(db(), { subscriptionId: subscription })
      await setDeliverySnapshot(db(), { id, snapshotId: snapshot })
      return id
    }
    /** A Slack webhook subscription's delivery, due now with its snapshot kept. */
    const slackDue = async (webhookUrl: string, name: string, cadence: 'weekly' | 'monthly') =>
      due(
        await insertSubscription(db(), {
          name,
          cadence,
          channel: 'slack',
          secret: encryptSecret(webhookUrl, 'slack-webhook'),
          secretHint: 'x',
          nextDueAt: new Date('2027-02-01T08:00:00Z'),
          createdBy: 'test',
        }),
      )
    const attempts = (id: number) =>
      sql()`select attempt, ok, error from delivery_attempts where delivery_id = ${id} order by attempt`
    const status = async (id: number) =>
      (await sql()`select status::text, attempts from report_deliveries where id = ${id}`)[0]

    it('e-mail refused once (451): the attempt is logged without the password, retried, then sent with the PDF and the headlines', async () => {
      const smtp = await startFakeSmtp({ username: 'upshot', password: PASSWORD, refuse: 1 })
      const lines: string[] = []
      try {
        await sql()`delete from report_subscriptions`
        await sql()`delete from smtp_settings`
        await sql()`insert into smtp_settings (host, port, username, password_secret, from_address, updated_by)
          values ('127.0.0.1', ${smtp.port}, 'upshot', ${encryptSecret(PASSWORD, 'smtp-password')}, 'Upshot <u@example.com>', 'test')`
        const subscription = await subscribe(new Date('2027-01-04T08:00:00Z'))
        const id = await due(subscription)
        await expect(deliver(id, { final: false, db: db(), log: (line) => lines.push(line) })).rejects.toThrow(/451/)
        expect(await status(id)).toEqual({ status: 'pending', attempts: 1 })
        expect(await deliver(id, { final: false, db: db(), log: (line) => lines.push(line) })).toEqual({
          state: 'sent',
          attempt: 2,
        })
        expect(await status(id)).toEqual({ status: 'sent', attempts: 2 })
        const log = await attempts(id)
        expect(log.map((row) => [row.attempt, row.ok])).toEqual([
          [1, false],
          [2, true],
        ])
        expect(log[0]?.error).toMatch(/451/)
        expect(JSON.stringify(log) + lines.join('\n')).not.toContain(PASSWORD)
        expect(lines[0]).toMatch(/attempt 1 failed, retried with backoff: .*451/)
        // a delivery already sent is not sent again (a job run twice)
        expect(await deliver(id, { final: false, db: db() })).toEqual({
          state: 'skipped',
          why: 'the delivery is already sent',
        })
        expect(smtp.messages).toHaveLength(1)
        const mail = smtp.messages[0]!
        expect(mail.attachments[0]?.content.equals(PDF)).toBe(true)
        expect(mail.attachments[0]?.contentType).toBe('application/pdf')
        expect(headlines.length).toBeGreaterThan(0)
        for (const headline of headlines) expect(mail.text).toContain(headline)
      } finally {
        await smtp.close()
      }
    })

    it('a wrong password is given up at once (retrying cannot help); the last retry marks a refusal failed', async () => {
      const smtp = await startFakeSmtp({ username: 'upshot', password: 'another-password', refuse: 5 })
      try {
        await sql()`update smtp_settings set port = ${smtp.port}`
        const subscription = await subscribe(new Date('2027-01-11T08:00:00Z'))
        const refused = await due(subscription)
        const outcome = await deliver(refused, { final: false, db: db(), log: () => {} })
        expect(outcome).toMatchObject({ state: 'failed', attempt: 1 })
        expect(await status(refused)).toEqual({ status: 'failed', attempts: 1 })
        expect(JSON.stringify(await attempts(refused))).not.toContain(PASSWORD)
        await sql()`update smtp_settings set password_secret = ${encryptSecret('another-password', 'smtp-password')}`
        const last = await due(subscription)
        await expect(deliver(last, { final: true, db: db(), log: () => {} })).resolves.toMatchObject({
          state: 'failed',
        })
        expect(await status(last)).toEqual({ status: 'failed', attempts: 1 })
      } finally {
        await smtp.close()
      }
    })

    it('two jobs for one delivery at once send it once; an attempt that never finished is given up, not sent again', async () => {
      const smtp = await startFakeSmtp({ username: 'upshot', password: PASSWORD })
      try {
        await sql()`update smtp_settings set port = ${smtp.port}, password_secret = ${encryptSecret(PASSWORD, 'smtp-password')}`
        const subscription = await subscribe(new Date('2027-01-18T08:00:00Z'))
        const id = await due(subscription)
        const outcomes = await Promise.all([1, 2].map(() => deliver(id, { final: false, db: db(), log: () => {} })))
        expect(outcomes.map((outcome) => outcome.state).sort()).toEqual(['sent', 'skipped'])
        expect(smtp.messages).toHaveLength(1)
        // a server stopped mid-send: the attempt started (counted) but nothing was logged
        const cut = await due(subscription)
        await sql()`update report_deliveries set attempts = 1, last_attempt_at = now() - interval '20 minutes' where id = ${cut}`
        expect(await deliver(cut, { final: false, db: db(), log: () => {} })).toMatchObject({ state: 'failed' })
        expect(await status(cut)).toEqual({ status: 'failed', attempts: 1 })
        expect(smtp.messages).toHaveLength(1)
      } finally {
        await smtp.close()
      }
    })

    it('the sweep: a lost job is queued again when nothing was sent; an unfinished attempt is given up', async () => {
      const subscription = await subscribe(new Date('2027-01-25T08:00:00Z'))
      const neverStarted = await due(subscription)
      const failedOnce = await due(subscription)
      const unfinished = await due(subscription)
      const fresh = await due(subscription)
      await sql()`update report_deliveries set created_at = now() - interval '2 hours' where id in (${neverStarted}, ${failedOnce}, ${unfinished})`
      await sql()`update report_deliveries set attempts = 1, last_attempt_at = now() - interval '2 hours' where id in (${failedOnce}, ${unfinished})`
      await sql()`insert into delivery_attempts (delivery_id, attempt, ok, error) values (${failedOnce}, 1, false, '451')`
      const again = await sweepStalledDeliveries(db(), { idleSeconds: 3600 })
      expect(again.sort((a, b) => a - b)).toEqual([neverStarted, failedOnce])
      expect(await status(unfinished)).toEqual({ status: 'failed', attempts: 1 })
      expect(await status(fresh)).toEqual({ status: 'pending', attempts: 0 })
      // touched by the sweep: not queued again by the next one
      expect(await sweepStalledDeliveries(db(), { idleSeconds: 3600 })).toEqual([])
    })

    it('Slack rate-limited (429, Retry-After 120): the attempt is logged, the retry carries the wait Slack asked for, the next attempt sends', async () => {
      const slack = await startFakeSlack({ refuse: 1, refuseWith: 'ratelimited', retryAfterSeconds: 120 })
      try {
        const id = await slackDue(slack.webhookUrl, 'limited', 'weekly')
        const failed = await deliver(id, { final: false, db: db(), log: () => {} }).catch((error: unknown) => error)
        expect(failed).toMatchObject({ channel: 'slack', retryable: true, retryAfterSeconds: 120 })
        // a job retried from 60 s with backoff: after its first try the queue waits at least 60 s, so the worker
        // holds the failure back 60 s more; after its second, at least 120 s already
        expect(waitBeyondBackoff(failed, { retryDelay: 60, retryBackoff: true, retryCount: 0 })).toBe(60)
        expect(waitBeyondBackoff(failed, { retryDelay: 60, retryBackoff: true, retryCount: 1 })).toBe(0)
        expect(String((failed as Error).message)).not.toContain(slack.webhookUrl.split('/').at(-1))
        expect(await deliver(id, { final: false, db: db(), log: () => {} })).toEqual({ state: 'sent', attempt: 2 })
        expect(slack.messages).toHaveLength(1)
        const logged = await attempts(id)
        expect(logged.map((row) => [row.attempt, row.ok])).toEqual([
          [1, false],
          [2, true],
        ])
        expect(logged[0]?.error).toMatch(/rate/i)
      } finally {
        await slack.close()
      }
    })

    it('Slack webhook: the blocks with a share link to the snapshot (the webhook cannot carry the PDF)', async () => {
      const slack = await startFakeSlack()
      try {
        const id = await slackDue(slack.webhookUrl, 'leads', 'monthly')
        expect(await deliver(id, { final: false, db: db(), log: () => {} })).toEqual({ state: 'sent', attempt: 1 })
        expect(slack.messages).toHaveLength(1)
        const text = JSON.stringify(slack.messages[0]?.blocks)
        expect(text).toContain(headlines[0]!.slice(0, 40))
        expect(text).toMatch(/\/share\/\d+\.\d+\.[A-Za-z0-9_-]{43}/)
        const [snapshot] = await sql()`select snapshot_id from report_deliveries where id = ${id}`
        expect(
          (await listShareLinks(db(), { snapshotId: Number(snapshot?.snapshot_id) })).map((link) => link.label),
        ).toEqual(['Slack: leads'])
      } finally {
        await slack.close()
      }
    })
  })
})
