// Goals: a target for one of an initiative's metrics, set when the pilot starts ("ramp-up from 14 days to 7 by
// June"), judged on the pilot teams' level of the metric – the same statistic and clusters as the pilot's "after"
// figure of the comparison (lib/metrics/initiative.ts) – with a bootstrap interval resampling the metric's own
// unit (calendar weeks of team-weeks, hires, respondents, new services). Until the due date the level is of the
// evaluation window so far; once it has passed, of the evaluation data up to the end of the due date only (a goal
// is judged on what happened by its date: hires who came later neither make it met nor undo it). The status is
// read off that very interval, so the two never disagree. What each status means: goal-status.ts; the level and
// its interval: pilot-level.ts; the sentences that state them: goal-text.ts.
//
// Several goals on one page are several verdicts, so their intervals are simultaneous (Bonferroni): each at
// 1 − 0.05/k for the initiative's k goals, and the chance that any goal's status is wrong about its interval's
// side is held at 5%. Pure: lib/data/initiative.ts fetches the rows and the goals.
import { seedFrom } from '@/lib/stats/random'
import { comparableMetric } from './comparable'
import { goalStatus, isPastDue, pastDue, type Goal, type JudgedGoal } from './goal-status'
import { calloutOf } from './goal-text'
import type { InitiativeRows } from './initiative'
import { pilotLevel } from './pilot-level'

/** The family-wise error the goals of one initiative are held to together. */
export const GOALS_FAMILY_ALPHA = 0.05

/**
 * The confidence of each of k simultaneous intervals (Bonferroni): 0.95 for one goal, 0.975 for two, when the
 * goals have the whole 5%; on a page that states other verdicts too they have their share of it (pageBudget).
 */
export function goalLevel(k: number, familyAlpha = GOALS_FAMILY_ALPHA): number {
  return 1 - familyAlpha / Math.max(1, k)
}

/** Every goal of an initiative judged together: simultaneous intervals at 1 − 0.05/k, seeded per metric. */
export function judgeGoals(
  rows: InitiativeRows,
  goals: readonly Goal[],
  {
    seedPrefix,
    replicates,
    familyAlpha = GOALS_FAMILY_ALPHA,
  }: { seedPrefix: string; replicates?: number; familyAlpha?: number },
): JudgedGoal[] {
  const level = goalLevel(goals.length, familyAlpha)
  return goals.map((goal): JudgedGoal => {
    const metric = comparableMetric(goal.metric)
    // past its date a goal is judged on what happened by then, and the interval shown is that one
    const byDueDate = isPastDue(goal.dueOn, rows.now)
    const measured = pilotLevel(rows, goal.metric, {
      level,
      seed: seedFrom(`${seedPrefix}:goal:${goal.metric}`),
      replicates,
      through: byDueDate ? pastDue(goal.dueOn) : undefined,
    })
    const status = goalStatus({
      better: metric.better,
      target: goal.target,
      interval: measured.interval,
      dueOn: goal.dueOn,
      now: rows.now,
    })
    const judged: Omit<JudgedGoal, 'callout'> = {
      metric: goal.metric,
      target: goal.target,
      dueOn: goal.dueOn,
      label: metric.label,
      unit: metric.unit,
      better: metric.better,
      value: measured.value,
      low: measured.interval?.low ?? null,
      high: measured.interval?.high ?? null,
      level,
      byDueDate,
      sample: measured.sample,
      status,
      reason: measured.reason,
    }
    return { ...judged, callout: calloutOf(judged) }
  })
}
