// The delivery channels against fake upstreams on 127.0.0.1 that speak the real wire formats: an SMTP server
// (smtp-server, messages parsed by mailparser) and a fake Slack (incoming webhooks, the Web API and its upload
// URL). No database. Each failure must surface as a DeliveryError in Slack's or the mail server's own words and
// never with a secret in it.
import http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { sendEmail } from '@/lib/publish/email'
import { DeliveryError } from '@/lib/publish/errors'
import type { DeliveryContent } from '@/lib/publish/message'
import { sendSlack } from '@/lib/publish/slack'
import { REFUSAL, startFakeSmtp } from '@/tests/fakes/smtp'
import { startFakeSlack } from '@/tests/fakes/slack'

/** A one-page PDF, small but well formed (header, catalog, pages, one page, xref, trailer). */
function onePagePdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ]
  let pdf = '%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n'
  const offsets: number[] = []
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'))
    pdf += `${i + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = Buffer.byteLength(pdf, 'latin1')
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(pdf, 'latin1')
}

const content: DeliveryContent = {
  title: 'Upshot one-pager: Golden path pilot – week 49, 2026',
  headlines: ['Ship frequency up 30%, lead time down 25%', 'Mean time to resolve fell from 90 min to 55 min'],
  callouts: ['Goal met: lead time under 2 days'],
  moneyLine: 'Net value €1.2M a year; pays back in 4 months',
  link: 'http://127.0.0.1:3000/share/12.1790000000.abcdef',
  pdf: onePagePdf(),
  fileName: 'upshot-one-pager-2026-W49.pdf',
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** The DeliveryError `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(DeliveryError)
  return error as DeliveryError
}

/** Everything an error could show or log: its message, hint, and its whole serialisation. */
const shown = (error: DeliveryError) =>
  `${error.message} ${error.hint ?? ''} ${JSON.stringify(error)} ${String(error.cause)}`

describe('e-mail through SMTP', () => {
  const password = 'S3cret-p@ss/word:42'

  async function smtpServer(options: { refuse?: number } = {}) {
    const smtp = await startFakeSmtp({ username: 'upshot', password, ...options })
    closers.push(smtp.close)
    const config = {
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      username: 'upshot',
      password,
      from: 'Upshot <upshot@example.com>',
    }
    return { smtp, config }
  }

  it('logs in and delivers the one-pager: subject = title, the PDF attached byte for byte, each headline in the text part', async () => {
    const { smtp, config } = await smtpServer()
    const sent = await sendEmail({ smtp: config, to: ['cto@example.com', 'vp@example.com'], content })
    expect(sent.accepted).toEqual(['cto@example.com', 'vp@example.com'])
    expect(sent.rejected).toEqual([])
    expect(smtp.logins).toBe(1)
    expect(smtp.messages).toHaveLength(1)
    const [mail] = smtp.messages
    expect(mail?.subject).toBe(content.title)
    expect(mail?.from?.text).toBe('"Upshot" <upshot@example.com>')
    expect(mail?.attachments).toHaveLength(1)
    const [pdf] = mail?.attachments ?? []
    expect(pdf?.filename).toBe('upshot-one-pager-2026-W49.pdf')
    expect(pdf?.contentType).toBe('application/pdf')
    expect(pdf?.content.equals(content.pdf)).toBe(true)
    expect(pdf?.content.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1)
    for (const line of [...content.headlines, ...content.callouts, content.moneyLine ?? ''])
      expect(mail?.text).toContain(line)
    expect(mail?.text).toContain(content.link)
    expect(mail?.html).toContain('Ship frequency up 30%, lead time down 25%')
  })

  it('the same through an smtp:// URL (its password percent-encoded)', async () => {
    const { smtp } = await smtpServer()
    const url = `smtp://upshot:${encodeURIComponent(password)}@127.0.0.1:${smtp.port}`
    await sendEmail({ smtp: { url, from: 'upshot@example.com' }, to: ['cto@example.com'], content })
    expect(smtp.logins).toBe(1)
    expect(smtp.messages[0]?.attachments[0]?.content.equals(content.pdf)).toBe(true)
  })

  it("a 451 refusal throws a retryable DeliveryError quoting the server's answer, never the password; the retry goes through", async () => {
    const { smtp, config } = await smtpServer({ refuse: 1 })
    const error = await failure(sendEmail({ smtp: config, to: ['cto@example.com'], content }))
    expect(error.message).toBe(`The SMTP server 127.0.0.1:${smtp.port} refused: 451 ${REFUSAL}`)
    expect(error.retryable).toBe(true)
    expect(error.channel).toBe('email')
    expect(shown(error)).not.toContain(password)
    expect(smtp.refused).toBe(1)
    expect(smtp.messages).toHaveLength(0)

    await sendEmail({ smtp: config, to: ['cto@example.com'], content })
    expect(smtp.messages).toHaveLength(1)
  })

  it('a wrong password fails clearly and for good, naming neither password nor URL credentials', async () => {
    const { smtp, config } = await smtpServer()
    const wrong = 'not-the-Right-one!'
    const error = await failure(sendEmail({ smtp: { ...config, password: wrong }, to: ['cto@example.com'], content }))
    expect(error.message).toMatch(/^The SMTP server 127\.0\.0\.1:\d+ did not accept the login: 535 /)
    expect(error.hint).toBe('Check the user name and password on the Subscriptions page.')
    expect(error.retryable).toBe(false)
    expect(shown(error)).not.toContain(wrong)

    const url = `smtp://upshot:${encodeURIComponent(wrong)}@127.0.0.1:${smtp.port}`
    const viaUrl = await failure(
      sendEmail({ smtp: { url, from: 'upshot@example.com' }, to: ['a@example.com'], content }),
    )
    expect(viaUrl.message).toMatch(/did not accept the login: 535 /)
    for (const secret of [wrong, encodeURIComponent(wrong), url]) expect(shown(viaUrl)).not.toContain(secret)
    expect(smtp.failedLogins).toBe(2)
    expect(smtp.messages).toHaveLength(0)
  })

  it('a server that is not there is a retryable failure naming the host and port', async () => {
    const { smtp, config } = await smtpServer()
    await smtp.close()
    const error = await failure(sendEmail({ smtp: config, to: ['cto@example.com'], content }))
    expect(error.message).toContain(`Could not talk to the SMTP server 127.0.0.1:${smtp.port}`)
    expect(error.retryable).toBe(true)
  })
})

describe('Slack by incoming webhook', () => {
  async function slackServer(options: Parameters<typeof startFakeSlack>[0] = {}) {
    const slack = await startFakeSlack(options)
    closers.push(slack.close)
    return slack
  }

  it('posts the blocks: header, one section per headline, the link standing in for the PDF', async () => {
    const slack = await slackServer()
    expect(
      await sendSlack({ target: { kind: 'webhook', url: slack.webhookUrl }, apiUrl: slack.apiUrl, content }),
    ).toEqual({ kind: 'webhook' })
    expect(slack.messages).toHaveLength(1)
    const [message] = slack.messages
    expect(message?.via).toBe('webhook')
    expect(message?.text).toBe(`${content.title}: ${content.headlines[0]}`)
    const blocks = message?.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[]
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: content.title, emoji: false } })
    const sections = blocks.filter((b) => b.type === 'section').map((b) => b.text?.text)
    expect(sections).toEqual([...content.headlines, `• ${content.callouts[0]}`, content.moneyLine])
    expect(blocks.at(-1)?.elements?.[0]?.text).toBe(`<${content.link}|Read the one-pager (PDF inside)>`)
  })

  it("a refusal throws with Slack's word and not the URL; refused by a 500 it may be retried, and the retry lands", async () => {
    const slack = await slackServer({ refuse: 1 })
    const target = { kind: 'webhook' as const, url: slack.webhookUrl }
    const error = await failure(sendSlack({ target, apiUrl: slack.apiUrl, content }))
    expect(error.message).toBe('Slack refused the incoming webhook: rollup_error.')
    expect(error.retryable).toBe(true)
    const secretPart = new URL(slack.webhookUrl).pathname.split('/').at(-1) as string
    for (const secret of [slack.webhookUrl, secretPart]) expect(shown(error)).not.toContain(secret)

    await sendSlack({ target, apiUrl: slack.apiUrl, content })
    expect(slack.refused).toBe(1)
    expect(slack.messages).toHaveLength(1)
  })

  it('a removed webhook (404 no_service) is not retried; a 429 says when to retry', async () => {
    const slack = await slackServer()
    const gone = `${slack.url}/services/TFAKE0001/BFAKE0001/removedwebhooksecret123`
    const error = await failure(sendSlack({ target: { kind: 'webhook', url: gone }, apiUrl: slack.apiUrl, content }))
    expect(error.message).toBe('Slack refused the incoming webhook: no_service.')
    expect(error.retryable).toBe(false)
    expect(shown(error)).not.toContain('removedwebhooksecret123')

    slack.refuse = 1
    slack.refuseWith = 'ratelimited'
    slack.retryAfterSeconds = 7
    const limited = await failure(
      sendSlack({ target: { kind: 'webhook', url: slack.webhookUrl }, apiUrl: slack.apiUrl, content }),
    )
    expect(limited.message).toBe('Slack is rate-limiting the incoming webhook: retry in 7 s.')
    expect(limited.retryAfterSeconds).toBe(7)
    expect(limited.retryable).toBe(true)
  })

  it('a receiver that never answers times out as a retryable failure, without the URL', async () => {
    const silent = http.createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()))
    closers.push(async () => {
      silent.closeAllConnections()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    })
    const { port } = silent.address() as { port: number }
    const url = `http://127.0.0.1:${port}/services/T1/B1/silentwebhooksecret`
    const error = await failure(
      sendSlack({ target: { kind: 'webhook', url }, apiUrl: 'http://127.0.0.1:9/api', content, timeoutMs: 300 }),
    )
    expect(error.message).toBe('Slack did not answer the incoming webhook within 300 ms.')
    expect(error.retryable).toBe(true)
    expect(shown(error)).not.toContain('silentwebhooksecret')
  })
})

describe('Slack by bot token', () => {
  async function slackServer(options: Parameters<typeof startFakeSlack>[0] = {}) {
    const slack = await startFakeSlack(options)
    closers.push(slack.close)
    return slack
  }

  it('uploads the PDF (bytes and file name) and shares it into the channel with the blocks', async () => {
    const slack = await slackServer()
    const sent = await sendSlack({
      target: { kind: 'bot', token: slack.token, channel: 'C0UPSHOT01' },
      apiUrl: slack.apiUrl,
      content,
    })
    expect(slack.files).toHaveLength(1)
    const [file] = slack.files
    expect(sent).toEqual({ kind: 'bot', fileId: file?.id, channel: 'C0UPSHOT01' })
    expect(file?.filename).toBe('upshot-one-pager-2026-W49.pdf')
    expect(file?.length).toBe(content.pdf.length)
    expect(file?.bytes?.equals(content.pdf)).toBe(true)
    expect(file?.title).toBe(content.title)
    expect(file?.channel).toBe('C0UPSHOT01')
    expect(slack.messages).toHaveLength(1)
    const [message] = slack.messages
    expect(message?.via).toBe('files.completeUploadExternal')
    expect(message?.channel).toBe('C0UPSHOT01')
    expect(message?.fileIds).toEqual([file?.id])
    const blocks = message?.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[]
    expect(blocks[0]?.text?.text).toBe(content.title)
    expect(blocks.slice(1, 3).map((b) => b.text?.text)).toEqual(content.headlines)
    expect(blocks.at(-1)?.elements?.[0]?.text).toContain('The PDF is attached: upshot-one-pager-2026-W49.pdf.')
    // the token goes to the Web API only, not to the pre-signed upload URL
    expect(slack.log.map((entry) => `${entry.path} ${entry.token} ${entry.status}`)).toEqual([
      '/api/files.getUploadURLExternal bearer 200',
      expect.stringMatching(/^\/upload\/v1\/\w+ none 200$/),
      '/api/files.completeUploadExternal bearer 200',
    ])
  })

  it('a revoked or wrong token: invalid_auth, not retried, and the token is in no message', async () => {
    const slack = await slackServer()
    const token = 'xoxb-9999-8888-wrongtokenwrongtoken'
    const error = await failure(
      sendSlack({ target: { kind: 'bot', token, channel: 'C0UPSHOT01' }, apiUrl: slack.apiUrl, content }),
    )
    expect(error.message).toBe('Slack refused files.getUploadURLExternal: invalid_auth.')
    expect(error.hint).toBe('The bot token is no longer valid: save a current one (xoxb-…).')
    expect(error.retryable).toBe(false)
    expect(shown(error)).not.toContain(token)
    expect(shown(error)).not.toContain('wrongtoken')
    expect(slack.messages).toHaveLength(0)
  })

  it("an unknown channel and one the bot was not invited to fail with Slack's word, and nothing is posted", async () => {
    const slack = await slackServer()
    const send = (channel: string) =>
      failure(sendSlack({ target: { kind: 'bot', token: slack.token, channel }, apiUrl: slack.apiUrl, content }))
    const unknown = await send('C0NOSUCH')
    expect(unknown.message).toBe('Slack refused files.completeUploadExternal: channel_not_found.')
    expect(unknown.retryable).toBe(false)
    const outside = await send('C0NOTJOINED')
    expect(outside.message).toBe('Slack refused files.completeUploadExternal: not_in_channel.')
    expect(outside.hint).toBe('Invite the bot to the channel (/invite @the-app) first.')
    expect(slack.messages).toHaveLength(0)
  })

  it('internal_error is retryable, a 429 carries its Retry-After, and the retry after either lands once', async () => {
    const slack = await slackServer({ refuse: 1 })
    const target = { kind: 'bot' as const, token: slack.token, channel: 'C0UPSHOT01' }
    const error = await failure(sendSlack({ target, apiUrl: slack.apiUrl, content }))
    expect(error.message).toBe('Slack refused files.getUploadURLExternal: internal_error.')
    expect(error.retryable).toBe(true)

    slack.refuse = 1
    slack.refuseWith = 'ratelimited'
    slack.retryAfterSeconds = 30
    const limited = await failure(sendSlack({ target, apiUrl: slack.apiUrl, content }))
    expect(limited.message).toBe('Slack is rate-limiting files.getUploadURLExternal: retry in 30 s.')
    expect(limited.retryAfterSeconds).toBe(30)

    await sendSlack({ target, apiUrl: slack.apiUrl, content })
    expect(slack.refused).toBe(2)
    expect(slack.messages).toHaveLength(1)
    expect(slack.files.filter((file) => file.channel !== null)).toHaveLength(1)
  })
})
