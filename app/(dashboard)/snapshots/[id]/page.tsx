import Link from 'next/link'
import { notFound } from 'next/navigation'
import { Section } from '@/app/_components/section'
import { ReportDocument } from '@/app/report/document'
import { guardPage } from '@/lib/auth/guard'
import { listSnapshotShareLinks, MAX_SHARE_DAYS, type ShareLinkView } from '@/lib/data/share-links'
import { getSnapshotView } from '@/lib/data/snapshots'
import { formatTime } from '@/lib/format'
import { createShareLinkAction, revokeShareLinkAction } from '../actions'
import { RevokeLinkForm, ShareLinkForm } from '../forms'
import '../snapshots.css'

export const metadata = { title: 'Snapshot' }

const STATE_WORDS: Record<ShareLinkView['state'], string> = { live: 'open', expired: 'expired', revoked: 'revoked' }

export default async function SnapshotPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await guardPage('viewer')
  const admin = viewer.role === 'admin'
  const { id } = await params
  if (!/^\d{1,9}$/.test(id)) notFound()
  const snapshot = await getSnapshotView(Number(id))
  if (!snapshot) notFound()
  const links = admin ? await listSnapshotShareLinks(snapshot.id) : []
  return (
    <>
      <header className="page-header">
        <p>
          <Link href="/snapshots">← Snapshots</Link>
        </p>
        <h1>{snapshot.title}</h1>
        <p data-testid="snapshot-facts">
          Kept {formatTime(snapshot.createdAt)} · data version {snapshot.dataVersion} · {snapshot.origin}
          {' · '}
          {snapshot.pdfPath ? (
            <a href={snapshot.pdfPath} download data-testid="snapshot-pdf">
              Download PDF ({snapshot.pdfSize})
            </a>
          ) : (
            'no PDF (its render failed; the figures below are kept)'
          )}
        </p>
      </header>
      {admin ? (
        <Section
          title="Share links"
          lede="A read-only link to this snapshot alone, for someone without an account: it opens nothing else, ends on the day you choose, and can be revoked at any time."
          testId="share-links"
        >
          {links.length > 0 ? (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">For</th>
                    <th scope="col">State</th>
                    <th scope="col">Until</th>
                    <th scope="col">Last opened</th>
                    <th scope="col">Made</th>
                    <th scope="col">Revoke</th>
                  </tr>
                </thead>
                <tbody>
                  {links.map((link) => (
                    <tr key={link.id} data-testid={`share-link-${link.id}`} data-state={link.state}>
                      <th scope="row">{link.label}</th>
                      <td>
                        <span className={`share-state ${link.state}`}>{STATE_WORDS[link.state]}</span>
                      </td>
                      <td>{formatTime(link.revokedAt ?? link.expiresAt)}</td>
                      <td>{link.lastOpenedAt ? formatTime(link.lastOpenedAt) : 'never'}</td>
                      <td>
                        {formatTime(link.createdAt)} by {link.createdBy}
                      </td>
                      <td>
                        {link.state === 'live' ? (
                          <RevokeLinkForm
                            action={revokeShareLinkAction.bind(null, snapshot.id)}
                            id={link.id}
                            label={link.label}
                          />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <ShareLinkForm action={createShareLinkAction.bind(null, snapshot.id)} maxDays={MAX_SHARE_DAYS} />
        </Section>
      ) : null}
      <div className="snapshot-document">
        <ReportDocument page={snapshot.document} snapshot={snapshot.note} />
      </div>
    </>
  )
}
