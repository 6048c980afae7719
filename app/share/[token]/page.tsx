import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { ReportDocument } from '@/app/report/document'
import { openSharedSnapshot } from '@/lib/data/snapshots'
import './share.css'

// A share link's page: one kept one-pager for someone without an account, and nothing else – no navigation, no
// link into the dashboard, nothing read from the live data but this snapshot. Its signed token is its credential
// (lib/data/snapshots.ts): a link revoked, expired or forged is not found, like any other unknown address. The
// server's own PDF renderer opens the same page with a short-lived render token.
export const dynamic = 'force-dynamic'

export const metadata: Metadata = {
  title: 'One-pager',
  robots: { index: false, follow: false, nocache: true },
  // the token is the credential: never sent on to another site (there is no link to one; this also covers the PDF)
  referrer: 'no-referrer',
}

export default async function SharedSnapshotPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params
  const shared = await openSharedSnapshot(token)
  if (!shared) notFound()
  return (
    <>
      {shared.via === 'share' && shared.hasPdf ? (
        <p className="share-bar">
          <a href={`/share/${encodeURIComponent(token)}/pdf`} download data-testid="share-pdf">
            Download PDF
          </a>
        </p>
      ) : null}
      <ReportDocument page={shared.document} snapshot={shared.note} />
    </>
  )
}
