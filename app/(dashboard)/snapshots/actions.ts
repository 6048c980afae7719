'use server'

import { revalidatePath } from 'next/cache'
import { headers } from 'next/headers'
import { guardAction } from '@/lib/auth/guard'
import { rowIdSchema } from '@/lib/data/form-id'
import { createShareLink, revokeShareLinkForm, type ShareLinkFormState } from '@/lib/data/share-links'
import { readMakeSnapshotForm, type MakeSnapshotState } from '@/lib/data/snapshots'
import { env } from '@/lib/env'
import { isUpshotError } from '@/lib/errors'
import { takeSnapshot } from '@/lib/publish/snapshot'

const snapshotId = rowIdSchema

const who = (viewer: { name: string; email: string | null }) =>
  viewer.email ? `${viewer.name} <${viewer.email}>` : viewer.name

/** Keeps the one-pager (an initiative's, or the organisation's latest) as it stands now, with its PDF. Admins only. */
export const makeSnapshotAction = guardAction(
  'admin',
  async (viewer, _previous: MakeSnapshotState, form: FormData): Promise<MakeSnapshotState> => {
    const chosen = form instanceof FormData ? readMakeSnapshotForm(form) : undefined
    if (!chosen) return { ok: false, message: 'No snapshot was made: reload the page and try again.', id: null }
    try {
      const taken = await takeSnapshot({ initiativeId: chosen.initiativeId, createdBy: who(viewer) })
      revalidatePath('/snapshots')
      return {
        ok: true,
        id: taken.id,
        message: taken.pdfError
          ? `Snapshot ${taken.id} kept, without a PDF: ${taken.pdfError}.`
          : `Snapshot ${taken.id} kept, with its PDF.`,
      }
    } catch (error) {
      // "nothing to report yet", "that initiative does not exist": said as they are; anything else is logged by Next
      if (isUpshotError(error) && error.status < 500)
        return { ok: false, message: `No snapshot was made: ${error.message}`, id: null }
      throw error
    }
  },
)

/** Makes a share link to the snapshot; its full URL is in the answer this once. Admins only. */
export const createShareLinkAction = guardAction(
  'admin',
  async (viewer, id: number, previous: ShareLinkFormState, form: FormData): Promise<ShareLinkFormState> => {
    const target = snapshotId.safeParse(id)
    if (!target.success || !(form instanceof FormData))
      return { ...previous, created: null, message: 'No link was made: reload the page and try again.' }
    // where people reach Upshot; else this request's own origin (a server action's Origin is this server's: the
    // proxy refuses any other)
    const origin = env().UPSHOT_URL ?? (await headers()).get('origin')
    const state = await createShareLink(target.data, form, who(viewer), { origin })
    revalidatePath(`/snapshots/${target.data}`)
    return state
  },
)

/** Revokes one share link of the snapshot: it answers 404 from now on. Admins only. */
export const revokeShareLinkAction = guardAction(
  'admin',
  async (
    _viewer,
    id: number,
    _previous: { ok: boolean; message: string } | null,
    form: FormData,
  ): Promise<{ ok: boolean; message: string }> => {
    const target = snapshotId.safeParse(id)
    if (!target.success || !(form instanceof FormData))
      return { ok: false, message: 'Nothing was revoked: reload the page and try again.' }
    const result = await revokeShareLinkForm(form)
    revalidatePath(`/snapshots/${target.data}`)
    return result
  },
)
