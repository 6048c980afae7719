import type { InitiativeGoal } from '@/lib/data/initiative'
import { parseIsoDate } from '@/lib/dates'
import { formatDate, formatValue } from '@/lib/format'
import { formatLevel, goalStatusWords } from '@/lib/metrics/goal-text'

/** Goals past this many are left to the initiative's page: the one-pager stays one page. */
const SHOWN = 4

/**
 * The initiative's goals in a line or two: target, due date, the pilot teams' level with its interval ("by" the due
 * date once it has passed: then both are of the data up to that day), and the status read off that interval.
 * Nothing at all without goals (nor on a one-pager kept from before goals existed).
 */
/** " (intervals at 99.7%, together 99%)": each goal's level, and all of them at once (Bonferroni). */
function together(goals: InitiativeGoal[]): string {
  const level = goals[0]?.level ?? 0.95
  if (goals.length === 1) return level === 0.95 ? '' : ` (interval at ${formatLevel(level)})`
  return ` (intervals at ${formatLevel(level)}, together ${formatLevel(1 - (1 - level) * goals.length)})`
}

export function ReportGoals({ goals }: { goals: InitiativeGoal[] | undefined }) {
  if (!goals || goals.length === 0) return null
  const shown = goals.slice(0, SHOWN)
  return (
    <p className="report-goals" data-testid="report-goals">
      <strong>Goals</strong>
      {together(goals)}:{' '}
      {shown.map((goal, i) => (
        <span key={goal.metric} data-key={goal.metric}>
          {i > 0 ? '; ' : ''}
          {goal.label} {goal.better === 'lower' ? '≤' : '≥'} {formatValue(goal.unit, goal.target)} by{' '}
          {formatDate(parseIsoDate(goal.dueOn))}: {goal.byDueDate ? 'by then ' : ''}
          {formatValue(goal.unit, goal.value)}
          {goal.low !== null && goal.high !== null
            ? ` (${formatValue(goal.unit, goal.low)} to ${formatValue(goal.unit, goal.high)})`
            : ''}{' '}
          <strong className={`goal-${goal.status}`} data-testid={`report-goal-status-${goal.metric}`}>
            {goalStatusWords[goal.status]}
          </strong>
        </span>
      ))}
      {goals.length > SHOWN ? `; ${goals.length - SHOWN} more on the initiative’s page` : ''}.
    </p>
  )
}
