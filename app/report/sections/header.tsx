import { formatDate } from '@/lib/format'

/** The one-pager's title block: when, which initiative, its use case, teams and weeks. */
export function ReportHeader({ generatedAt, name, meta }: { generatedAt: Date; name: string; meta: string }) {
  return (
    <header className="report-header">
      <div>
        <p className="kicker">Upshot · developer portal one-pager · {formatDate(generatedAt)}</p>
        <h1>{name}</h1>
        <p className="meta">{meta}</p>
      </div>
    </header>
  )
}
