// A fake Slack on 127.0.0.1 that answers the way hooks.slack.com and slack.com/api do, for what Upshot sends:
// - incoming webhooks: POST /services/T…/B…/<secret>, JSON {text, blocks} (or form-encoded payload=<JSON>),
//   answering 200 "ok", else a plain-text word: 400 invalid_payload / invalid_blocks /
//   missing_text_or_fallback_or_attachments, 404 no_service (a URL it does not know), 500 rollup_error;
// - the Web API at /api/<method>, form-encoded or JSON, the token as `Authorization: Bearer` or a `token`
//   field, always HTTP 200 {ok:true,…} or {ok:false,error} (not_authed, invalid_auth, channel_not_found,
//   not_in_channel, invalid_blocks, …), except a rate limit: 429 with Retry-After. Methods: chat.postMessage,
//   files.getUploadURLExternal (filename + length → upload_url, file_id), files.completeUploadExternal
//   (files=[{id,title}], channel_id, blocks unless initial_comment is given, as Slack documents);
// - the pre-signed upload URL: POST the bytes (raw or multipart) → 200 "OK - <length>".
// Blocks are checked against Block Kit's limits (≤ 50 blocks, header plain_text ≤ 150, section text ≤ 3000).
// `refuse: N` fails the first N webhook and Web API requests: a webhook with 500 "rollup_error", the Web API with
// {ok:false,error:"internal_error"} or, with refuseWith 'ratelimited', a 429 with Retry-After. Every request is
// logged, with whether it carried the token.
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { faults as scriptedFaults } from './server'

export interface FakeSlackChannel {
  id: string
  name: string
  /** Whether the bot was invited (else not_in_channel). */
  member: boolean
}

export interface FakeSlackMessage {
  channel: string
  text: string | null
  blocks: unknown[]
  /** The files shared with it (files.completeUploadExternal). */
  fileIds: string[]
  via: 'webhook' | 'chat.postMessage' | 'files.completeUploadExternal'
}

export interface FakeSlackFile {
  id: string
  filename: string
  /** The length announced to files.getUploadURLExternal. */
  length: number
  /** The bytes posted to the upload URL, or null until they arrive. */
  bytes: Buffer | null
  title: string | null
  /** The channel it was shared into when completed, or null. */
  channel: string | null
}

export interface FakeSlack {
  url: string
  /** The Web API's base, for UPSHOT_SLACK_API_URL: `${url}/api`. */
  apiUrl: string
  /** The one incoming-webhook URL it knows; it posts into `webhookChannel`. */
  webhookUrl: string
  webhookChannel: string
  token: string
  channels: FakeSlackChannel[]
  /** Every message posted, by webhook or by the bot, in order. */
  messages: FakeSlackMessage[]
  files: FakeSlackFile[]
  /** How many more webhook / Web API requests to refuse (counts down). */
  refuse: number
  refuseWith: 'error' | 'ratelimited'
  retryAfterSeconds: number
  /** Requests refused by `refuse`. */
  refused: number
  log: { method: string; path: string; status: number; token: 'bearer' | 'field' | 'none' }[]
  close(): Promise<void>
}

const BLOCK_LIMITS = { blocks: 50, header: 150, section: 3000 }

/** Whether `blocks` is a Block Kit array Slack accepts (the kinds Upshot sends, within their limits). */
function validBlocks(blocks: unknown): boolean {
  if (!Array.isArray(blocks) || blocks.length > BLOCK_LIMITS.blocks) return false
  const text = (value: unknown, max: number, plainOnly = false) => {
    const t = value as { type?: unknown; text?: unknown } | null
    return (
      !!t &&
      (t.type === 'plain_text' || (!plainOnly && t.type === 'mrkdwn')) &&
      typeof t.text === 'string' &&
      t.text.length > 0 &&
      t.text.length <= max
    )
  }
  return blocks.every((raw) => {
    const block = raw as { type?: unknown; text?: unknown; elements?: unknown }
    if (block?.type === 'header') return text(block.text, BLOCK_LIMITS.header, true)
    if (block?.type === 'section') return text(block.text, BLOCK_LIMITS.section)
    if (block?.type === 'divider') return true
    if (block?.type === 'context')
      return (
        Array.isArray(block.elements) &&
        block.elements.length > 0 &&
        block.elements.length <= 10 &&
        block.elements.every((element) => text(element, BLOCK_LIMITS.section))
      )
    return false
  })
}

/** A field that Slack takes as JSON in a form body and as itself in a JSON body. */
function jsonField(value: unknown): unknown {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    return undefined
  }
}

export async function startFakeSlack(
  setup: {
    token?: string
    channels?: FakeSlackChannel[]
    refuse?: number
    refuseWith?: 'error' | 'ratelimited'
    retryAfterSeconds?: number
  } = {},
): Promise<FakeSlack> {
  const webhookPath = `/services/TFAKE0001/BFAKE0001/${randomBytes(12).toString('hex')}`
  const channels = setup.channels ?? [
    { id: 'C0UPSHOT01', name: 'upshot-reports', member: true },
    { id: 'C0NOTJOINED', name: 'elsewhere', member: false },
  ]
  const fake: FakeSlack = {
    url: '',
    apiUrl: '',
    webhookUrl: '',
    webhookChannel: channels[0]?.id ?? 'C0UPSHOT01',
    token: setup.token ?? `xoxb-1111-2222-${randomBytes(12).toString('hex')}`,
    channels,
    messages: [],
    files: [],
    refuse: setup.refuse ?? 0,
    refuseWith: setup.refuseWith ?? 'error',
    retryAfterSeconds: setup.retryAfterSeconds ?? 1,
    refused: 0,
    log: [],
    close: async () => {},
  }
  const uploads = new Map<string, FakeSlackFile>()
  let ts = 1_765_000_000

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const url = new URL(req.url ?? '/', 'http://fake')
      const entry: FakeSlack['log'][number] = {
        method: req.method ?? 'GET',
        path: url.pathname,
        status: 0,
        token: req.headers.authorization ? 'bearer' : 'none',
      }
      fake.log.push(entry)
      const send = (status: number, data: string | object, headers: Record<string, string> = {}) => {
        entry.status = status
        const json = typeof data !== 'string'
        res.writeHead(status, {
          'content-type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
          ...headers,
        })
        res.end(json ? JSON.stringify(data) : data)
      }
      const contentType = req.headers['content-type'] ?? ''
      const route = async () => {
        if (url.pathname.startsWith('/upload/v1/')) return upload(url.pathname.slice('/upload/v1/'.length), body)
        const isWebhook = url.pathname.startsWith('/services/')
        const isApi = url.pathname.startsWith('/api/')
        if (!isWebhook && !isApi) return send(404, 'not_found')
        if (req.method !== 'POST')
          return send(405, isWebhook ? 'invalid_method' : { ok: false, error: 'invalid_method' })
        if (fake.refuse > 0) {
          fake.refuse--
          fake.refused++
          if (fake.refuseWith === 'ratelimited')
            return send(429, isWebhook ? 'rate_limited' : { ok: false, error: 'ratelimited' }, {
              'retry-after': String(fake.retryAfterSeconds),
            })
          return send(isWebhook ? 500 : 200, isWebhook ? 'rollup_error' : { ok: false, error: 'internal_error' })
        }
        if (isWebhook) return webhook(url.pathname, body, contentType)
        const form = parseBody(body, contentType)
        if (!form) return send(200, { ok: false, error: 'invalid_form_data' })
        const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]
        const token = bearer ?? (typeof form.token === 'string' ? form.token : undefined)
        if (!bearer && token) entry.token = 'field'
        if (!token) return send(200, { ok: false, error: 'not_authed' })
        if (token !== fake.token) return send(200, { ok: false, error: 'invalid_auth' })
        return api(url.pathname.slice('/api/'.length), form)
      }

      function parseBody(raw: Buffer, type: string): Record<string, unknown> | null {
        if (type.startsWith('application/json')) {
          try {
            const parsed: unknown = JSON.parse(raw.toString('utf8'))
            return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null
          } catch {
            return null
          }
        }
        if (type.startsWith('application/x-www-form-urlencoded') || raw.length === 0)
          return Object.fromEntries(new URLSearchParams(raw.toString('utf8')))
        return null
      }

      function webhook(path: string, raw: Buffer, type: string) {
        if (path !== webhookPath) return send(404, 'no_service')
        const form = parseBody(raw, type)
        // a form-encoded webhook carries its JSON in `payload`
        const payload = (
          form && 'payload' in form && !type.startsWith('application/json') ? jsonField(form.payload) : form
        ) as { text?: unknown; blocks?: unknown } | null | undefined
        if (!payload || typeof payload !== 'object') return send(400, 'invalid_payload')
        if (payload.blocks !== undefined && !validBlocks(payload.blocks)) return send(400, 'invalid_blocks')
        if (typeof payload.text !== 'string' && payload.blocks === undefined)
          return send(400, 'missing_text_or_fallback_or_attachments')
        fake.messages.push({
          channel: fake.webhookChannel,
          text: typeof payload.text === 'string' ? payload.text : null,
          blocks: (payload.blocks as unknown[] | undefined) ?? [],
          fileIds: [],
          via: 'webhook',
        })
        return send(200, 'ok')
      }

      function channelError(id: unknown): string | null {
        const channel = fake.channels.find((c) => c.id === id || `#${c.name}` === id)
        if (!channel) return 'channel_not_found'
        return channel.member ? null : 'not_in_channel'
      }

      function api(method: string, form: Record<string, unknown>) {
        if (method === 'chat.postMessage') {
          const error = channelError(form.channel)
          if (error) return send(200, { ok: false, error })
          const blocks = form.blocks === undefined ? undefined : jsonField(form.blocks)
          if (blocks !== undefined && !validBlocks(blocks)) return send(200, { ok: false, error: 'invalid_blocks' })
          if (typeof form.text !== 'string' && blocks === undefined) return send(200, { ok: false, error: 'no_text' })
          const channel = fake.channels.find((c) => c.id === form.channel || `#${c.name}` === form.channel)
          const text = typeof form.text === 'string' ? form.text : null
          fake.messages.push({
            channel: channel?.id ?? String(form.channel),
            text,
            blocks: (blocks as unknown[] | undefined) ?? [],
            fileIds: [],
            via: 'chat.postMessage',
          })
          return send(200, { ok: true, channel: channel?.id, ts: `${ts++}.000100`, message: { text, blocks } })
        }
        if (method === 'files.getUploadURLExternal') {
          const length = Number(form.length)
          if (typeof form.filename !== 'string' || !form.filename || !Number.isInteger(length) || length <= 0)
            return send(200, { ok: false, error: 'invalid_arguments' })
          const file: FakeSlackFile = {
            id: `F${randomBytes(5).toString('hex').toUpperCase()}`,
            filename: form.filename,
            length,
            bytes: null,
            title: null,
            channel: null,
          }
          const key = randomBytes(16).toString('hex')
          uploads.set(key, file)
          fake.files.push(file)
          return send(200, { ok: true, upload_url: `${fake.url}/upload/v1/${key}`, file_id: file.id })
        }
        if (method === 'files.completeUploadExternal') {
          const list = jsonField(form.files)
          if (!Array.isArray(list) || list.length === 0) return send(200, { ok: false, error: 'invalid_arguments' })
          const files = list.map((item) => {
            const { id, title } = (item ?? {}) as { id?: unknown; title?: unknown }
            return { file: fake.files.find((f) => f.id === id && f.bytes !== null), title }
          })
          // an id it never handed out, or whose bytes never arrived
          if (files.some(({ file }) => !file)) return send(200, { ok: false, error: 'file_not_found' })
          const channel = form.channel_id
          if (channel !== undefined) {
            const error = channelError(channel)
            if (error) return send(200, { ok: false, error })
          }
          // Slack ignores blocks when an initial_comment is given
          const comment = typeof form.initial_comment === 'string' ? form.initial_comment : null
          const blocks = comment === null && form.blocks !== undefined ? jsonField(form.blocks) : undefined
          if (blocks !== undefined && !validBlocks(blocks)) return send(200, { ok: false, error: 'invalid_blocks' })
          for (const { file, title } of files) {
            if (!file) continue
            file.title = typeof title === 'string' ? title : file.filename
            file.channel = typeof channel === 'string' ? channel : null
          }
          if (typeof channel === 'string')
            fake.messages.push({
              channel,
              text: comment,
              blocks: (blocks as unknown[] | undefined) ?? [],
              fileIds: files.map(({ file }) => file?.id ?? ''),
              via: 'files.completeUploadExternal',
            })
          return send(200, {
            ok: true,
            files: files.map(({ file }) => ({ id: file?.id, name: file?.filename, title: file?.title })),
          })
        }
        return send(200, { ok: false, error: 'unknown_method' })
      }

      async function upload(key: string, raw: Buffer) {
        const file = uploads.get(key)
        if (!file || req.method !== 'POST') return send(404, 'not_found')
        let bytes = raw
        if (contentType.startsWith('multipart/form-data')) {
          const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData()
          const part = [...form.values()].find((value): value is File => typeof value !== 'string')
          if (!part) return send(400, 'no file in the form')
          bytes = Buffer.from(await part.arrayBuffer())
        }
        file.bytes = bytes
        uploads.delete(key)
        return send(200, `OK - ${bytes.length}`)
      }

      route().catch((error: Error) => send(500, `fake Slack failed: ${error.message}`))
    })
  })
  const listening = await scriptedFaults().listen(server)
  fake.url = listening.url
  fake.apiUrl = `${listening.url}/api`
  fake.webhookUrl = `${listening.url}${webhookPath}`
  fake.close = listening.close
  return fake
}
