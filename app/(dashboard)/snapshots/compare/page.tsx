import Link from 'next/link'
import { notFound } from 'next/navigation'
import { z } from 'zod'
import { Section } from '@/app/_components/section'
import { guardPage } from '@/lib/auth/guard'
import { getSnapshotComparison, type CompareRow } from '@/lib/data/snapshots'
import { formatTime } from '@/lib/format'
import '../snapshots.css'

export const metadata = { title: 'Compare snapshots' }

const id = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number)
const paramsSchema = z.object({ a: id, b: id })

const GROUPS: { group: CompareRow['group']; title: string }[] = [
  { group: 'metric', title: 'Metrics' },
  { group: 'money', title: 'Money, a year' },
  { group: 'headline', title: 'Headlines said by one only' },
]

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  await guardPage('viewer')
  const raw = await searchParams
  const params = paramsSchema.safeParse({ a: raw.a, b: raw.b })
  if (!params.success) {
    return (
      <>
        <header className="page-header">
          <h1>Compare snapshots</h1>
        </header>
        <p className="notice" role="alert">
          Choose two snapshots to compare on the <Link href="/snapshots">Snapshots</Link> page.
        </p>
      </>
    )
  }
  const comparison = await getSnapshotComparison(params.data)
  if (!comparison) notFound()
  const { a, b, rows } = comparison
  return (
    <>
      <header className="page-header">
        <p>
          <Link href="/snapshots">← Snapshots</Link>
        </p>
        <h1>Compare snapshots</h1>
        <p>
          <strong>A</strong>: <Link href={`/snapshots/${a.id}`}>{a.title}</Link> ({a.initiative}), kept{' '}
          {formatTime(a.createdAt)}, data version {a.dataVersion}. <strong>B</strong>:{' '}
          <Link href={`/snapshots/${b.id}`}>{b.title}</Link> ({b.initiative}), kept {formatTime(b.createdAt)}, data
          version {b.dataVersion}.
        </p>
      </header>
      <Section
        title="Figure by figure"
        lede="Each figure as its one-pager printed it; the change is B against A. A metric one of them did not show reads “only in A” or “only in B”."
      >
        <div className="table-wrap">
          <table className="table compare-table" data-testid="compare-table">
            <thead>
              <tr>
                <th scope="col">Figure</th>
                <th scope="col">A</th>
                <th scope="col">B</th>
                <th scope="col">Change</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            {GROUPS.map(({ group, title }) => {
              const shown = rows.filter((row) => row.group === group)
              if (shown.length === 0) return null
              return (
                <tbody key={group} className="group">
                  <tr>
                    <th scope="colgroup" colSpan={5}>
                      {title}
                    </th>
                  </tr>
                  {shown.map((row) => (
                    <tr
                      key={`${row.group}:${row.key}`}
                      data-testid={row.group === 'headline' ? 'compare-headline' : `compare-${row.key}`}
                    >
                      <th scope="row">{row.label}</th>
                      <td>{row.a}</td>
                      <td>{row.b}</td>
                      <td className="change">{row.change}</td>
                      <td>{row.note ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              )
            })}
          </table>
        </div>
      </Section>
    </>
  )
}
