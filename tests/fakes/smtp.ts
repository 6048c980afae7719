// A fake mail server on 127.0.0.1: a real SMTP conversation (the smtp-server package, as mail relays speak it)
// that keeps each message it accepts, parsed by mailparser. With a username it requires AUTH (PLAIN or LOGIN,
// allowed without TLS here: STARTTLS is switched off so the test needs no certificate) and answers a wrong
// password with 535. `refuse: N` answers the first N messages' DATA with "451 4.3.0 …", a temporary refusal, the
// way a greylisting or overloaded relay does, so a test sees the sender retry.
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface FakeSmtp {
  port: number
  /** The messages accepted, in order. */
  messages: ParsedMail[]
  /** Successful logins. */
  logins: number
  /** Logins refused (a wrong user name or password). */
  failedLogins: number
  /** Messages refused with 451. */
  refused: number
  close(): Promise<void>
}

export const REFUSAL = '4.3.0 Mail server temporarily rejected message, try again later'

export async function startFakeSmtp(
  options: { username?: string; password?: string; refuse?: number } = {},
): Promise<FakeSmtp> {
  const fake: FakeSmtp = { port: 0, messages: [], logins: 0, failedLogins: 0, refused: 0, close: async () => {} }
  const server = new SMTPServer({
    logger: false,
    banner: 'fake SMTP for Upshot tests',
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: options.username === undefined,
    onAuth(auth, _session, callback) {
      if (auth.username === options.username && auth.password === options.password) {
        fake.logins++
        callback(null, { user: auth.username })
        return
      }
      fake.failedLogins++
      // smtp-server answers "535 Error: authentication failed: <message>"
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }))
    },
    onData(stream, _session, callback) {
      // read the whole message before answering, as a relay does (answering early would desync the client)
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        if (fake.refused < (options.refuse ?? 0)) {
          fake.refused++
          callback(Object.assign(new Error(REFUSAL), { responseCode: 451 }))
          return
        }
        simpleParser(Buffer.concat(chunks)).then(
          (parsed) => {
            fake.messages.push(parsed)
            callback(null, `Message queued as fake-${fake.messages.length}`)
          },
          (error: Error) => callback(Object.assign(error, { responseCode: 554 })),
        )
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.server.address()
  if (!address || typeof address === 'string') throw new Error('the fake SMTP server has no address')
  fake.port = address.port
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return fake
}
