// The one-pager by e-mail: one message through the configured SMTP server (nodemailer), the PDF attached, a text
// part with the headline sentences and a small HTML part. A failure becomes a DeliveryError that quotes what the
// server answered ("the SMTP server refused: 451 …") and never the password or the URL's credentials. Server-only.
import nodemailer from 'nodemailer'
import { DeliveryError, redact } from '@/lib/publish/errors'
import { htmlBody, plainTextBody, type DeliveryContent } from '@/lib/publish/message'

export type SmtpConfig =
  | {
      host: string
      port: number
      /** TLS from the first byte (port 465); else STARTTLS when the server offers it. */
      secure: boolean
      username?: string | null
      password?: string | null
      from: string
    }
  /** smtp://user:password@host:587 or smtps://user:password@host:465 (UPSHOT_SMTP_URL). */
  | { url: string; from: string }

export interface SentEmail {
  messageId: string
  /** The recipients the server accepted, and those it refused (some may be refused while others went out). */
  accepted: string[]
  rejected: string[]
}

// A server that does not answer is given up on well before a delivery tick is (nodemailer's own defaults are
// two minutes to connect and ten of silence).
const TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 30_000, dnsTimeout: 20_000 }

/** The credentials in the configuration, to keep out of every message: as given, and as they travel in AUTH. */
function secretsOf(smtp: SmtpConfig): string[] {
  let username: string | null = null
  let password: string | null = null
  let userinfo: string | null = null
  if ('url' in smtp) {
    try {
      const url = new URL(smtp.url)
      username = decodeURIComponent(url.username) || null
      password = decodeURIComponent(url.password) || null
      userinfo = url.password ? `${url.username}:${url.password}` : null
    } catch {
      // an unparseable URL is quoted nowhere either (below)
    }
  } else {
    username = smtp.username ?? null
    password = smtp.password ?? null
  }
  if (!password) return []
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')
  // AUTH PLAIN sends base64("\0user\0password"), AUTH LOGIN base64(password): a server echoing either is caught
  return [
    userinfo,
    password,
    b64(password),
    username === null ? null : b64(`\u0000${username}\u0000${password}`),
  ].filter((secret): secret is string => !!secret)
}

function transportOptions(smtp: SmtpConfig) {
  const common = { ...TIMEOUTS, logger: false, debug: false, disableFileAccess: true, disableUrlAccess: true }
  if ('url' in smtp) {
    let url: URL
    try {
      url = new URL(smtp.url)
    } catch {
      throw new DeliveryError('email', 'The SMTP URL is not a URL (expected smtp://… or smtps://…).', {
        retryable: false,
      })
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
      throw new DeliveryError('email', `The SMTP URL must start with smtp:// or smtps://, not ${url.protocol}//.`, {
        retryable: false,
      })
    // nodemailer reads the URL's query options too (e.g. ?tls.rejectUnauthorized=false), next to ours
    return { url: smtp.url, ...common }
  }
  const auth = smtp.username ? { user: smtp.username, pass: smtp.password ?? '' } : undefined
  // a password never crosses the network in clear: STARTTLS is required unless the server is this machine
  const loopback = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(smtp.host)
  const requireTLS = !smtp.secure && auth !== undefined && !loopback
  return { host: smtp.host, port: smtp.port, secure: smtp.secure, requireTLS, auth, ...common }
}

interface SmtpFailure {
  code?: string
  response?: string
  responseCode?: number
  permanent?: boolean
  command?: string
  rejected?: string[]
  message?: string
}

/** nodemailer's error in words the reader can act on, and whether sending again as it is may work. */
function describeFailure(error: unknown, where: string): { message: string; retryable: boolean; hint?: string } {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as SmtpFailure
  const answer = failure.response?.trim().split(/\r?\n/).join(' ')
  const code = failure.responseCode
  if (failure.code === 'EAUTH')
    return {
      message: `The SMTP server ${where} did not accept the login${answer ? `: ${answer}` : ''}.`,
      retryable: false,
      hint: 'Check the user name and password on the Subscriptions page.',
    }
  if (answer && code) {
    // 4xx: "try again later" (greylisting, a full queue); 5xx: refused for good until something changes
    const retryable = code >= 400 && code < 500
    const to = failure.code === 'EENVELOPE' && failure.rejected?.length ? ` (to ${failure.rejected.join(', ')})` : ''
    return { message: `The SMTP server ${where} refused${to}: ${answer}`, retryable }
  }
  if (failure.code === 'ETIMEDOUT')
    return { message: `The SMTP server ${where} did not answer in time.`, retryable: true }
  if (failure.code === 'EDNS')
    return { message: `The SMTP server's name could not be resolved (${where}).`, retryable: true }
  if (failure.code === 'ECONNECTION' || failure.code === 'ESOCKET' || failure.code === 'ETLS')
    return {
      message: `Could not talk to the SMTP server ${where}: ${failure.message ?? failure.code}`,
      retryable: true,
    }
  if (failure.code === 'EENVELOPE' || failure.code === 'EMESSAGE')
    return { message: `The message could not be sent: ${failure.message ?? failure.code}`, retryable: false }
  return {
    message: `Sending through the SMTP server ${where} failed: ${failure.message ?? String(error)}`,
    retryable: true,
  }
}

/** "mail.example.com:587", for messages: the server by name, never by its URL (which may hold the password). */
function serverName(smtp: SmtpConfig): string {
  if (!('url' in smtp)) return `${smtp.host}:${smtp.port}`
  try {
    const url = new URL(smtp.url)
    return `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`
  } catch {
    return '(unparseable URL)'
  }
}

/** Sends the one-pager to `to`; throws DeliveryError when the server refuses it or cannot be reached. */
export async function sendEmail({
  smtp,
  to,
  content,
}: {
  smtp: SmtpConfig
  to: string[]
  content: DeliveryContent
}): Promise<SentEmail> {
  if (to.length === 0) throw new DeliveryError('email', 'No recipients to send the one-pager to.', { retryable: false })
  const secrets = secretsOf(smtp)
  const transport = nodemailer.createTransport(transportOptions(smtp))
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to,
      subject: content.title,
      text: plainTextBody(content),
      html: htmlBody(content),
      attachments: [{ filename: content.fileName, content: content.pdf, contentType: 'application/pdf' }],
    })
    const list = (addresses: unknown[] | undefined) =>
      (addresses ?? []).map((a) => (typeof a === 'string' ? a : (a as { address: string }).address))
    return { messageId: info.messageId, accepted: list(info.accepted), rejected: list(info.rejected) }
  } catch (error) {
    const { message, retryable, hint } = describeFailure(error, serverName(smtp))
    throw new DeliveryError('email', redact(message, secrets), { retryable, hint })
  } finally {
    transport.close()
  }
}
