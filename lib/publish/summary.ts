// What a delivery says in words, from the snapshot it sends: the one-pager's headline sentences (the confirmed
// changes, the docs finding when clear, else that nothing is clear yet), its money sentence, and the goal
// call-outs. The same words the one-pager prints; nothing is recomputed here.
import type { ReportDocumentData } from '@/lib/data/report-page'
import { roiVerdict } from '@/lib/roi/verdict'

export interface DeliverySummary {
  headlines: string[]
  moneyLine: string
  callouts: string[]
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`)

export function deliverySummary(document: ReportDocumentData): DeliverySummary {
  const { report } = document
  const headlines = report.headlines.map((headline) => sentence(headline.sentence))
  const finding = report.roi.study?.finding
  if (finding) headlines.push(sentence(finding))
  if (headlines.length === 0) headlines.push('No change is clear enough to state yet.')
  // a snapshot kept before goals existed has none
  const goals = report.goals ?? []
  return {
    headlines,
    moneyLine: sentence(roiVerdict(report.roi.result).sentence),
    callouts: goals.flatMap((goal) => (goal.callout ? [goal.callout] : [])),
  }
}

/**
 * The goal call-outs a delivery makes: those whose status (met, at risk, missed) is new since the snapshot this
 * subscription sent last – "called out in the next delivery", not repeated in every one. The first delivery
 * calls out every goal that has one.
 */
export function newCallouts(document: ReportDocumentData, previous: ReportDocumentData | null): string[] {
  const before = new Map((previous?.report.goals ?? []).map((goal) => [goal.metric, goal.status]))
  return (document.report.goals ?? []).flatMap((goal) =>
    goal.callout && before.get(goal.metric) !== goal.status ? [goal.callout] : [],
  )
}
