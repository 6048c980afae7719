import { Section } from '@/app/_components/section'
import { targetUnits } from '@/lib/data/goals'
import type { InitiativeGoal, InitiativeView } from '@/lib/data/initiative'
import { formatDate, formatValue } from '@/lib/format'
import { formatLevel, goalStatusWords } from '@/lib/metrics/goal-text'
import { parseIsoDate } from '@/lib/dates'
import { GoalForm, RemoveGoalForm } from './goal-form'

/**
 * "6.5 days (95% interval 5.9 days to 7.0 days)", or why there is no interval; "by 31 Mar 2027" once the due date
 * has passed, for then the level, the interval and the status are all of the data up to that day.
 */
function pilotFigure(goal: InitiativeGoal) {
  const value = formatValue(goal.unit, goal.value)
  const by = goal.byDueDate ? ` by ${formatDate(parseIsoDate(goal.dueOn))}` : ''
  if (goal.low === null || goal.high === null)
    return (
      <>
        <span className="value">
          {value}
          {by}
        </span>
        <span className="sample">
          {goal.sample}; no interval{goal.byDueDate ? '' : ' yet'}
          {goal.reason ? `: ${goal.reason}` : ''}
        </span>
      </>
    )
  return (
    <>
      <span className="value">
        {value}
        {by}
      </span>
      <span className="sample">
        {formatLevel(goal.level)} interval {formatValue(goal.unit, goal.low)} to {formatValue(goal.unit, goal.high)};{' '}
        {goal.sample}
      </span>
    </>
  )
}

/** The initiative's goals, each with its status read off the pilot's interval; admins set and remove them here. */
export function Goals({ initiative, admin }: { initiative: InitiativeView; admin: boolean }) {
  const { goals } = initiative
  // a view computed before goals existed has none (read models are kept per data version)
  if (!goals || (goals.length === 0 && !admin)) return null
  const level = goals[0]?.level
  return (
    <Section
      title="Goals"
      lede={
        <>
          Each goal is judged on the pilot teams’ level in the evaluation window so far, with an interval from
          resampling (weeks, hires or people): <strong>met</strong> when the whole interval is on the good side of the
          target, <strong>at risk</strong> when it is wholly on the wrong side, <strong>on track</strong> while the
          target is inside it, and <strong>not yet known</strong> below the metric’s minimum sample. Once the due date
          has passed, a goal is judged on the data up to that day only: <strong>met</strong> or <strong>missed</strong>{' '}
          when the whole interval is on one side of the target, else <strong>not shown by its date</strong>.
          {goals.length > 1 && level
            ? ` The ${goals.length} goals are judged together: each interval is at ${formatLevel(level)}, so the chance that any status here rests on a wrong interval is at most ${formatLevel((1 - level) * goals.length)}; with the changes this page states (and the docs finding the one-pager states) it is 5% in all.`
            : ''}
        </>
      }
      testId="initiative-goals"
    >
      {goals.length === 0 ? (
        <p>No goals are set for this initiative.</p>
      ) : (
        <div className="table-wrap">
          <table className="table stack" data-testid="goals">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Target</th>
                <th scope="col">Due</th>
                <th scope="col">Pilot teams</th>
                <th scope="col">Status</th>
                {admin ? <th scope="col">Change</th> : null}
              </tr>
            </thead>
            <tbody>
              {goals.map((goal) => (
                <tr key={goal.metric} data-testid={`goal-${goal.metric}`} data-status={goal.status}>
                  <th scope="row">{goal.label}</th>
                  <td data-label="Target">
                    {goal.better === 'lower' ? 'at most' : 'at least'} {formatValue(goal.unit, goal.target)}
                  </td>
                  <td data-label="Due">{formatDate(parseIsoDate(goal.dueOn))}</td>
                  <td data-label="Pilot teams">{pilotFigure(goal)}</td>
                  <td data-label="Status">
                    <strong data-testid={`goal-status-${goal.metric}`}>{goalStatusWords[goal.status]}</strong>
                  </td>
                  {admin ? (
                    <td data-label="Change">
                      <RemoveGoalForm initiativeId={initiative.id} metric={goal.metric} label={goal.label} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {admin ? (
        <GoalForm
          initiativeId={initiative.id}
          metrics={initiative.metrics.map((metric) => ({
            key: metric.key,
            label: metric.label,
            unit: targetUnits[metric.unit].words,
          }))}
        />
      ) : null}
    </Section>
  )
}
