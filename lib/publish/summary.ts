// What a delivery says in words, from the snapshot it sends: the one-pager's headline sentences (the confirmed
// changes, the docs finding when clear, else that nothing is clear yet), its money sentence, and the goal
// call-outs. The same words the one-pager prints; nothing is recomputed here.
import type { ReportDocumentData } from '@/lib/data/report'
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
