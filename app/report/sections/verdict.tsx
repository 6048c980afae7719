import type { Headline, Unclear } from '@/lib/data/report'

/** What changed: the confirmed changes as sentences, the rest as "not yet clear", with when we will know. */
export function ReportVerdict({
  headlines,
  notYetClear,
  whenKnown,
}: {
  headlines: Headline[]
  notYetClear: Unclear[]
  whenKnown: Unclear[]
}) {
  return (
    <section className="report-section">
      <h2>What changed</h2>
      {headlines.length > 0 ? (
        <ul className="headlines" data-testid="report-headlines">
          {headlines.map((headline) => (
            <li key={headline.key} className={headline.verdict} data-key={headline.key}>
              {headline.primary ? <strong>Primary. </strong> : null}
              {headline.sentence}
            </li>
          ))}
        </ul>
      ) : (
        <p>No change is clear enough to state yet.</p>
      )}
      {notYetClear.length > 0 ? (
        <p className="unclear" data-testid="report-not-yet-clear">
          <strong>Not yet clear:</strong> {notYetClear.map((item) => `${item.label} (${item.why})`).join('; ')}.
        </p>
      ) : null}
      {whenKnown.length > 0 ? (
        <p className="unclear" data-testid="report-when-known">
          <strong>When we will know:</strong> {whenKnown.map((item) => `${item.label}: ${item.whenKnown}`).join('; ')}.
        </p>
      ) : null}
    </section>
  )
}
