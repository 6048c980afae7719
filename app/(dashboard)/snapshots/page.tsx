import Link from 'next/link'
import { Section } from '@/app/_components/section'
import { guardPage } from '@/lib/auth/guard'
import { getSnapshotsPage } from '@/lib/data/snapshots'
import { formatTime } from '@/lib/format'
import { makeSnapshotAction } from './actions'
import { MakeSnapshotForm } from './forms'

export const metadata = { title: 'Snapshots' }

export default async function SnapshotsPage() {
  const viewer = await guardPage('viewer')
  const admin = viewer.role === 'admin'
  const page = await getSnapshotsPage()
  const [newest, previous] = page.snapshots
  return (
    <>
      <header className="page-header">
        <h1>Snapshots</h1>
        <p>
          Every one-pager sent, and every one made by hand, kept as it was: its figures, its PDF and the data version
          they are of. Open one to see what was said then; compare two figure by figure.
        </p>
      </header>
      <Section title="Kept one-pagers" testId="snapshots-list">
        {page.snapshots.length === 0 ? (
          <p className="empty">
            None yet. A subscription keeps one each time it sends
            {admin ? '; or make one now below.' : '; an admin can also make one by hand.'}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Kept</th>
                  <th scope="col">One-pager</th>
                  <th scope="col">Initiative</th>
                  <th scope="col">Data version</th>
                  <th scope="col">From</th>
                  <th scope="col">PDF</th>
                </tr>
              </thead>
              <tbody>
                {page.snapshots.map((snapshot) => (
                  <tr key={snapshot.id} data-testid={`snapshot-row-${snapshot.id}`}>
                    <td>{formatTime(snapshot.createdAt)}</td>
                    <th scope="row">
                      <Link href={`/snapshots/${snapshot.id}`}>{snapshot.title}</Link>
                    </th>
                    <td>{snapshot.initiativeName ?? 'deleted since'}</td>
                    <td>{snapshot.dataVersion}</td>
                    <td>{snapshot.origin}</td>
                    <td>{snapshot.pdfSize ?? 'none (its render failed)'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {newest && previous ? (
        <Section title="Compare two" lede="Figure by figure: each metric, the money, and the headlines only one said.">
          {/* a plain GET form: the comparison is a page with its own address, to send or bookmark */}
          <form action="/snapshots/compare" method="get" className="form" data-testid="compare-form">
            <SnapshotChoice name="a" label="A (earlier)" snapshots={page.snapshots} chosen={previous.id} />
            <SnapshotChoice name="b" label="B (later)" snapshots={page.snapshots} chosen={newest.id} />
            <div className="form-actions wide">
              <button type="submit">Compare</button>
            </div>
          </form>
        </Section>
      ) : null}
      {admin ? (
        <Section
          title="Make a snapshot now"
          lede="Keeps the one-pager as it stands now, with the data version it is of, and renders its PDF."
        >
          <MakeSnapshotForm action={makeSnapshotAction} initiatives={page.initiatives} />
        </Section>
      ) : null}
    </>
  )
}

function SnapshotChoice({
  name,
  label,
  snapshots,
  chosen,
}: {
  name: string
  label: string
  snapshots: { id: number; title: string; createdAt: Date }[]
  chosen: number
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <select name={name} defaultValue={chosen}>
        {snapshots.map((snapshot) => (
          <option key={snapshot.id} value={snapshot.id}>
            {formatTime(snapshot.createdAt)} · {snapshot.title}
          </option>
        ))}
      </select>
    </label>
  )
}
