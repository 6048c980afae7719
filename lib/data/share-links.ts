// Share links to one snapshot, for executives without an account: made with a label and a number of days, shown
// in full once (the token is not stored: the row holds only what revocation and expiry are checked on), listed
// with their state, revoked at any time. Opening one: openSharedSnapshot in lib/data/snapshots.ts. Server-only;
// the caller checks that an admin asks.
import 'server-only'
import { z } from 'zod'
import { getDb, type Db } from '@/db/client'
import { getSnapshot, insertShareLink, listShareLinks, revokeShareLink } from '@/db/queries/snapshots'
import { isUpshotError } from '@/lib/errors'
import { formatTime } from '@/lib/format'
import { masterKey, signShareToken } from '@/lib/publish/secrets'
import { readFormId } from './form-id'

export type ShareLinkState = 'live' | 'expired' | 'revoked'

export interface ShareLinkView {
  id: number
  label: string
  state: ShareLinkState
  expiresAt: Date
  revokedAt: Date | null
  createdBy: string
  createdAt: Date
  lastOpenedAt: Date | null
}

/** A snapshot's share links, newest first, each live, expired or revoked at `now`; never their tokens. */
export async function listSnapshotShareLinks(
  snapshotId: number,
  { db = getDb(), now = new Date() }: { db?: Db; now?: Date } = {},
): Promise<ShareLinkView[]> {
  const links = await listShareLinks(db, { snapshotId })
  return links.map((link) => ({
    id: link.id,
    label: link.label,
    state: link.revokedAt ? 'revoked' : link.expiresAt <= now ? 'expired' : 'live',
    expiresAt: link.expiresAt,
    revokedAt: link.revokedAt,
    createdBy: link.createdBy,
    createdAt: link.createdAt,
    lastOpenedAt: link.lastOpenedAt,
  }))
}

export const MAX_SHARE_DAYS = 90

export const shareLinkFormSchema = z.object({
  label: z.string().trim().min(1, 'Say who the link is for, e.g. “Board, March”.').max(100, 'At most 100 characters.'),
  days: z.coerce
    .number({ error: 'Days must be a whole number from 1 to 90.' })
    .int('Days must be a whole number from 1 to 90.')
    .min(1, 'Days must be a whole number from 1 to 90.')
    .max(MAX_SHARE_DAYS, 'Days must be a whole number from 1 to 90.'),
})

export interface ShareLinkFormState {
  values: { label: string; days: string }
  errors: { label?: string; days?: string }
  message: string | null
  /** The link just made: its path is shown this once and never again. */
  created: { id: number; label: string; path: string; url: string; expires: string } | null
}

/**
 * Makes a share link to a snapshot from its form: the path `/share/<token>`, and the full URL on `origin` (where
 * people reach Upshot), returned this once.
 */
export async function createShareLink(
  snapshotId: number,
  form: FormData,
  createdBy: string,
  {
    db = getDb(),
    now = new Date(),
    master,
    origin = null,
  }: { db?: Db; now?: Date; master?: string; origin?: string | null } = {},
): Promise<ShareLinkFormState> {
  const values = { label: String(form.get('label') ?? ''), days: String(form.get('days') ?? '') }
  const parsed = shareLinkFormSchema.safeParse(values)
  if (!parsed.success) {
    const errors: ShareLinkFormState['errors'] = {}
    for (const issue of parsed.error.issues) {
      const field = issue.path[0]
      if ((field === 'label' || field === 'days') && !errors[field]) errors[field] = issue.message
    }
    return { values, errors, message: 'No link was made: fix the fields marked below.', created: null }
  }
  // the key first: with none configured, no row is left behind for a link that could never be signed
  let key: string
  try {
    key = master ?? masterKey()
  } catch (error) {
    if (!isUpshotError(error)) throw error
    return { values, errors: {}, message: `No link was made: ${error.message}`, created: null }
  }
  if (!(await getSnapshot(db, { id: snapshotId })))
    return { values, errors: {}, message: 'No link was made: that snapshot does not exist (any more).', created: null }
  // whole seconds: the token carries its expiry in epoch seconds, and the row must say the same
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + parsed.data.days * 86_400_000)
  const link = await insertShareLink(db, { snapshotId, label: parsed.data.label, expiresAt, createdBy })
  const path = `/share/${signShareToken(link.id, expiresAt, key)}`
  return {
    values: { label: '', days: String(parsed.data.days) },
    errors: {},
    message: null,
    created: {
      id: link.id,
      label: link.label,
      path,
      url: origin ? new URL(path, origin).href : path,
      expires: formatTime(expiresAt),
    },
  }
}

/** Revokes the link the form names: from now on it answers 404. */
export async function revokeShareLinkForm(
  form: FormData,
  { db = getDb() }: { db?: Db } = {},
): Promise<{ ok: boolean; message: string }> {
  const id = readFormId(form)
  if (id === null) return { ok: false, message: 'Nothing was revoked: reload the page and try again.' }
  return (await revokeShareLink(db, { id }))
    ? { ok: true, message: 'Revoked: the link now answers “not found”.' }
    : { ok: false, message: 'That link was already revoked, or does not exist.' }
}
