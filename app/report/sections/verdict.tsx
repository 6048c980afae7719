import type { Headline, Unclear } from '@/lib/data/report'
import { notEnoughText, type StudyFigures } from '@/lib/metrics/study'

/** Why the docs find-time study states nothing yet, or null when it has a clear finding. */
function docsUnclear(study: StudyFigures | undefined): string | null {
  if (!study || study.finding) return null
  const { overall } = study.result
  return `docs find-time (${overall.state === 'not_enough' ? notEnoughText(overall.participants) : 'no clear change in the time-in-motion study'})`
}

/**
 * What changed: the confirmed changes as sentences, the rest as "not yet clear", with when we will know. The
 * docs find-time study's finding is a sentence only when its interval excludes zero.
 */
export function ReportVerdict({
  headlines,
  notYetClear,
  whenKnown,
  docs,
}: {
  headlines: Headline[]
  notYetClear: Unclear[]
  whenKnown: Unclear[]
  /** Absent from a one-pager stored before the study existed (read models are kept per data version). */
  docs: StudyFigures | undefined
}) {
  const unclear = [...notYetClear.map((item) => `${item.label} (${item.why})`), docsUnclear(docs)].filter(
    (text): text is string => text !== null,
  )
  const finding = docs?.finding ?? null
  const docsVerdict = docs?.result.overall.state === 'estimate' ? docs.result.overall.saved.verdict : null
  return (
    <section className="report-section">
      <h2>What changed</h2>
      {headlines.length > 0 || finding ? (
        <ul className="headlines" data-testid="report-headlines">
          {headlines.map((headline) => (
            <li key={headline.key} className={headline.verdict} data-key={headline.key}>
              {headline.primary ? <strong>Primary. </strong> : null}
              {headline.sentence}
            </li>
          ))}
          {finding ? (
            <li className={docsVerdict === 'saves' ? 'improved' : 'worsened'} data-key="docs_find_time">
              {finding}.
            </li>
          ) : null}
        </ul>
      ) : (
        <p>No change is clear enough to state yet.</p>
      )}
      {unclear.length > 0 ? (
        <p className="unclear" data-testid="report-not-yet-clear">
          <strong>Not yet clear:</strong> {unclear.join('; ')}.
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
