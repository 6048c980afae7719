// The SMTP server the one-pager is e-mailed through, from its form: the password is encrypted on the way in
// (lib/publish/secrets.ts), never shown again, and kept only for the server and user it was typed for. Server-only.
import 'server-only'
import { z } from 'zod'
import { getDb, type Db } from '@/db/client'
import { getSmtpSettings, putSmtpSettings } from '@/db/queries/subscriptions'
import { isUpshotError } from '@/lib/errors'
import { encryptSecret } from '@/lib/publish/secrets'
import { fieldErrors, formValues } from './form-state'
import { withoutSecrets, type PublishSubmitResult } from './publish-form'

const smtpSchema = z.object({
  host: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.-]{1,253}$|^\[[0-9a-fA-F:.]+\]$/, 'Give the SMTP server’s host name, e.g. smtp.example.com'),
  port: z.coerce
    .number({ error: 'Give a port' })
    .int('Give a whole port number')
    .min(1)
    .max(65535, 'Ports go up to 65535'),
  secure: z.enum(['on', 'off']),
  username: z.string().trim().max(200),
  password: z.string().max(500),
  from: z.string().trim().min(3, 'Give the From address, e.g. Upshot <upshot@example.com>').max(200),
})

/** Saves the SMTP server; an empty password field keeps the stored password (it is never shown). */
export async function submitSmtpForm(
  form: FormData,
  updatedBy: string,
  { db = getDb() }: { db?: Db } = {},
): Promise<PublishSubmitResult> {
  const values = formValues(form)
  const parsed = smtpSchema.safeParse({ ...values, secure: values.secure === 'on' ? 'on' : 'off' })
  if (!parsed.success) {
    return {
      ok: false,
      state: {
        values: withoutSecrets(values),
        errors: fieldErrors(parsed.error.issues),
        message: 'Nothing was saved: fix the fields marked below.',
      },
    }
  }
  const input = parsed.data
  // The stored password goes only to the server and user it was typed for: change either and it must be typed
  // again (else an admin could point the saved password at a server of their own and read it there).
  const stored = await getSmtpSettings(db)
  const sameServer =
    stored !== null &&
    stored.host === input.host &&
    stored.port === input.port &&
    stored.username === (input.username || null)
  if (!input.password && input.username && !(sameServer && stored?.passwordSecret))
    return {
      ok: false,
      state: {
        values: withoutSecrets(values),
        errors: {
          password: 'Type the password: the server or the user name changed, so the saved one is not sent there',
        },
        message: 'Nothing was saved: fix the fields marked below.',
      },
    }
  let passwordSecret: string | null | 'keep' = 'keep'
  try {
    if (input.password) passwordSecret = encryptSecret(input.password, 'smtp-password')
    else if (!input.username) passwordSecret = null
  } catch (error) {
    if (isUpshotError(error))
      return {
        ok: false,
        state: { values: withoutSecrets(values), errors: {}, message: `Nothing was saved: ${error.message}` },
      }
    throw error
  }
  await putSmtpSettings(db, {
    host: input.host,
    port: input.port,
    secure: input.secure === 'on',
    username: input.username || null,
    passwordSecret,
    fromAddress: input.from,
    updatedBy,
  })
  return { ok: true, id: 1 }
}
