// The one-line money verdict at the top of the one-pager, and the break-even sentence, from the model's result
// only. The tone follows net: it pays where the likely net (confirmed effects only) is not negative, it is a
// loss where even the best end of the range (most value, least cost) is negative, and unproven in between.
// Pure: no framework, no database.
import { formatMoney } from '@/lib/format'
import type { RoiResult } from './model'

export type RoiTone = 'pays' | 'unproven' | 'loss'

export interface RoiVerdict {
  tone: RoiTone
  sentence: string
}

/** "+$210k", "−$40k": a net always carries its sign. */
const signed = (value: number) => (value >= 0 ? `+${formatMoney(value)}` : formatMoney(value))
const oneDecimal = (value: number) =>
  (Math.round(value * 10) / 10).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

/** "frees 3.2 FTEs a year (about 1.1 hours per engineer a week)": the likely cost as engineer time. */
export function breakEvenClause(result: Pick<RoiResult, 'breakEven'>): string {
  const { ftes, hoursPerEngineerWeek: hours } = result.breakEven
  const fteText = `${oneDecimal(ftes)} FTE${oneDecimal(ftes) === '1.0' ? '' : 's'} a year`
  if (hours === null) return `frees ${fteText}`
  const perWeek = hours < 1 ? `${Math.max(1, Math.round(hours * 60))} minutes` : `${oneDecimal(hours)} hours`
  return `frees ${fteText} (about ${perWeek} per engineer a week)`
}

/** "Pays for itself if it frees 3.2 FTEs a year (about 1.1 hours per engineer a week)". */
export function breakEvenSentence(result: Pick<RoiResult, 'breakEven'>): string {
  return `Pays for itself if it ${breakEvenClause(result)}`
}

export function roiVerdict(result: RoiResult): RoiVerdict {
  const { net } = result
  const range = `likely net ${signed(net.likely)} a year (${signed(net.low)} to ${signed(net.high)})`
  // "Likely" holds confirmed effects and direct measurements only, so a benefit with a positive likely value is clear.
  const clear = result.benefits.filter((benefit) => benefit.value !== null && benefit.value.likely > 0)
  const breakEven = `it pays for itself if it ${breakEvenClause(result)}`
  if (net.likely >= 0) return { tone: 'pays', sentence: `Pays for itself on what was measured: ${range}` }
  if (net.high < 0) {
    return {
      tone: 'loss',
      sentence: `Costs more than it saves so far: ${range}${clear.length === 0 ? '; no measured benefit is clear yet' : ''}; ${breakEven}`,
    }
  }
  const shortfall =
    clear.length === 0
      ? 'no measured benefit is clear yet'
      : `the clear benefits, ${formatMoney(result.value.likely)} a year, fall short of the cost, ${formatMoney(result.cost.likely)}`
  return { tone: 'unproven', sentence: `Not yet shown to pay for itself: ${shortfall}; ${breakEven}` }
}
