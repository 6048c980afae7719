export function Section({
  title,
  lede,
  children,
  testId,
}: {
  title: string
  lede?: React.ReactNode
  children: React.ReactNode
  testId?: string
}) {
  return (
    <section className="section" data-testid={testId} aria-label={title}>
      <h2>{title}</h2>
      {lede ? <p className="lede">{lede}</p> : null}
      {children}
    </section>
  )
}

export function SectionSkeleton({ title }: { title: string }) {
  return (
    <section className="section" aria-busy="true" aria-label={title}>
      <h2>{title}</h2>
      <div className="skeleton">Loading…</div>
    </section>
  )
}
