// Goals in words: the status as the pages write it, the pilot's level and interval, the target, and the sentence
// a delivery calls a goal out with.
import { parseIsoDate } from '@/lib/dates'
import { formatDate, formatValue } from '@/lib/format'
import type { Unit } from './comparable'
import type { Goal, GoalStatus, JudgedGoal } from './goal-status'

/** The status as the pages write it. */
export const goalStatusWords: Record<GoalStatus, string> = {
  met: 'met',
  'on-track': 'on track',
  'at-risk': 'at risk',
  missed: 'missed',
  'not-yet-known': 'not yet known',
  'not-shown': 'not shown by its date',
}

/** "97.5%": a level as a percentage, one decimal when it needs one. */
export function formatLevel(level: number): string {
  return `${Number((level * 100).toFixed(1))}%`
}

/** "Days to first merged PR" → "days to first merged PR"; "DX score" stays. */
const inSentence = (label: string) => (/^[A-Z][a-z]/.test(label) ? label[0]?.toLowerCase() + label.slice(1) : label)

type GoalFigures = Omit<JudgedGoal, 'callout'>

/** The pilot's level and interval in words: "6.5 days (97.5% interval 5.9 days to 7.0 days)". */
export function goalFigure(goal: GoalFigures): string {
  const value = formatValue(goal.unit, goal.value)
  if (goal.low === null || goal.high === null) return `${value} (${goal.sample}; no interval yet: ${goal.reason})`
  return `${value} (${formatLevel(goal.level)} interval ${formatValue(goal.unit, goal.low)} to ${formatValue(goal.unit, goal.high)})`
}

/** "a target of 7.0 days by 30 Jun 2027". */
export function goalTarget(goal: Pick<Goal, 'target' | 'dueOn'> & { unit: Unit }): string {
  return `a target of ${formatValue(goal.unit, goal.target)} by ${formatDate(parseIsoDate(goal.dueOn))}`
}

/** The sentence a delivery calls a goal out with when it is met, at risk or missed; null for the others. */
export function calloutOf(goal: GoalFigures): string | null {
  const name = inSentence(goal.label)
  const figure = goal.byDueDate
    ? `the pilot teams’ ${name} by ${formatDate(parseIsoDate(goal.dueOn))} was ${goalFigure(goal)}`
    : `the pilot teams’ ${name} is ${goalFigure(goal)}`
  switch (goal.status) {
    case 'met':
      return `Goal met: ${figure}, against ${goalTarget(goal)}.`
    case 'at-risk':
      return `Goal at risk: ${figure}, the whole interval short of ${goalTarget(goal)}.`
    case 'missed':
      return `Goal missed: ${figure}, the whole interval short of ${goalTarget(goal)}.`
    default:
      return null
  }
}

/** The sentences a delivery calls goals out with: those met, at risk or missed, in the goals' order. */
export function goalCallouts(goals: readonly GoalFigures[]): string[] {
  return goals.map(calloutOf).filter((sentence): sentence is string => sentence !== null)
}
