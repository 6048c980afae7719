// The money model's headline figures as a person reads them — value, cost, net, ROI, payback, each likely with
// its range — written once, so the one-pager's box and the ROI page's "saved" and "if saved" figures read
// alike. Pure: no framework, no database.
import { formatMoney } from '@/lib/format'
import type { Range, RoiResult } from './model'

export interface RoiFigure {
  /** The likely figure: "$515k", "−$120k", "−23%", "8.4 months", "never". */
  likely: string
  /** Its range or what it stands on, in words: "−$260k – $25k", "11.5 months at best, never at worst". */
  range: string
}

export interface RoiFigures {
  value: RoiFigure & { ftes: string }
  cost: RoiFigure
  net: RoiFigure
  roi: RoiFigure
  payback: RoiFigure & { never: string | null }
}

export const moneyRange = (range: Range) => `${formatMoney(range.low)} – ${formatMoney(range.high)}`
export const months = (value: number | null) => (value === null ? 'never' : `${value.toFixed(1)} months`)
export const signedPercent = (value: number) => `${value < 0 ? '−' : ''}${Math.abs(Math.round(value))}%`
const ftes = (value: number) => `${value < 0 ? '−' : ''}${Math.abs(value).toFixed(1)}`

export function roiFigures(result: RoiResult): RoiFigures {
  const { paybackMonths: payback } = result
  return {
    value: {
      likely: formatMoney(result.value.likely),
      range: moneyRange(result.value),
      ftes: `≈ ${ftes(result.valueFtes.likely)} FTEs (${ftes(result.valueFtes.low)} to ${ftes(result.valueFtes.high)})`,
    },
    cost: { likely: formatMoney(result.cost.likely), range: result.costLabel },
    net: { likely: formatMoney(result.net.likely), range: moneyRange(result.net) },
    roi: result.roiPercent
      ? {
          likely: signedPercent(result.roiPercent.likely),
          range: `${signedPercent(result.roiPercent.low)} to ${signedPercent(result.roiPercent.high)}`,
        }
      : { likely: '—', range: 'no cost entered' },
    payback: {
      likely: months(payback.likely),
      range: `${months(payback.best)} at best, ${months(payback.worst)} at worst`,
      never: result.paybackNever.likely,
    },
  }
}

/**
 * A sentence cut around its money figures ("−$120k", "+$40k", "$1.25M"), so each figure can be kept on one line:
 * a browser may break between a sign and "$" (both prefix characters in Unicode's line breaking), and a net of
 * "−" at a line's end and "$120k" at the next line's start reads as a gain.
 */
export function splitMoney(text: string): { text: string; money: boolean }[] {
  const parts: { text: string; money: boolean }[] = []
  let last = 0
  for (const match of text.matchAll(/[−+-]?\$\d+(?:\.\d+)?[kM]?/g)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), money: false })
    parts.push({ text: match[0], money: true })
    last = match.index + match[0].length
  }
  if (last < text.length) parts.push({ text: text.slice(last), money: false })
  return parts
}
