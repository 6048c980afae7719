// Setting and removing an initiative's goals from its page: the form's fields validated with a message that
// says what to change, the target read in the unit the page writes the metric in (a share as a percentage, a
// survey score out of 10), then saved. Server-only; the caller (a server action) checks that it is an admin.
import 'server-only'
import { z } from 'zod'
import { getDb, type Db } from '@/db/client'
import { deleteGoal, upsertGoal } from '@/db/queries/goals'
import { getInitiativeWithTeams } from '@/db/queries/initiatives'
import { isIsoDate, readDay } from '@/lib/dates'
import { isUpshotError } from '@/lib/errors'
import { comparableMetrics, type MetricKey, type Unit } from '@/lib/metrics/comparable'
import { fieldErrors, formValues } from './form-state'

/** What the form shows again after a refusal: the values as typed, and a message per field; `saved` after a save. */
export interface GoalFormState {
  values: Record<string, string>
  errors: Record<string, string>
  message: string | null
  saved?: string
}

/** How a target is typed for each unit: the words beside the field, and the factor to the stored unit. */
export const targetUnits: Record<Unit, { words: string; toStored: number; max: number | null }> = {
  per_service_week: { words: 'deployments per service-week', toStored: 1, max: null },
  per_engineer_week: { words: 'merged PRs per engineer-week', toStored: 1, max: null },
  hours: { words: 'hours', toStored: 1, max: null },
  minutes: { words: 'minutes', toStored: 1, max: null },
  days: { words: 'days', toStored: 1, max: null },
  // shares are stored 0–1 and written as percentages
  share: { words: '%', toStored: 0.01, max: 100 },
  score: { words: 'out of 10', toStored: 1, max: 10 },
}

const metricKeys = comparableMetrics.map((metric) => metric.key) as [MetricKey, ...MetricKey[]]

const goalFormSchema = z.object({
  metric: z.enum(metricKeys, { error: 'Choose one of the initiative’s metrics' }),
  target: z
    .string()
    .trim()
    .min(1, 'Give the value to reach')
    .regex(/^\d+(\.\d+)?$/, 'Give the value to reach as a number, such as 7 or 2.5')
    .transform(Number),
  dueOn: z.string().refine(isIsoDate, 'Give the day it is due, such as 30 Jun 2027'),
})

export type GoalSubmitResult = { ok: true; metric: MetricKey } | { ok: false; state: GoalFormState }

/** Validates and saves the goal of one metric (a goal already set for it is replaced). */
export async function submitGoalForm(
  initiativeId: number,
  form: FormData,
  { db = getDb(), setBy }: { db?: Db; setBy: string },
): Promise<GoalSubmitResult> {
  const values = formValues(form)
  const refuse = (errors: Record<string, string>, message = 'Nothing was saved: fix the fields marked below.') => ({
    ok: false as const,
    state: { values, errors, message },
  })
  const parsed = goalFormSchema.safeParse({
    metric: values.metric ?? '',
    target: values.target ?? '',
    // "30 Jun 2027" as the app writes days, or ISO; stored as ISO
    dueOn: readDay(values.dueOn ?? '') ?? values.dueOn ?? '',
  })
  if (!parsed.success) return refuse(fieldErrors(parsed.error.issues))
  const metric = comparableMetrics.find((candidate) => candidate.key === parsed.data.metric)
  const unit = targetUnits[metric?.unit ?? 'days']
  if (unit.max !== null && parsed.data.target > unit.max)
    return refuse({ target: `A target for ${metric?.label} is at most ${unit.max} ${unit.words}` })
  if (!(await getInitiativeWithTeams(db, initiativeId)))
    return refuse({}, 'This initiative was deleted meanwhile; nothing was saved.')
  try {
    await upsertGoal(db, {
      initiativeId,
      metric: parsed.data.metric,
      target: parsed.data.target * unit.toStored,
      dueOn: parsed.data.dueOn,
      setBy,
    })
  } catch (error) {
    if (isUpshotError(error) && error.code === 'not_found')
      return refuse({}, 'This initiative was deleted meanwhile; nothing was saved.')
    throw error
  }
  return { ok: true, metric: parsed.data.metric }
}

export type GoalDeleteResult = { ok: boolean; message: string }

/** Removes the goal the form names (`metric`). */
export async function removeGoal(
  initiativeId: number,
  form: FormData,
  { db = getDb() }: { db?: Db } = {},
): Promise<GoalDeleteResult> {
  const input = z.object({ metric: z.enum(metricKeys) }).safeParse({ metric: form.get('metric') })
  if (!input.success) return { ok: false, message: 'Choose a goal to remove.' }
  return (await deleteGoal(db, { initiativeId, metric: input.data.metric }))
    ? { ok: true, message: 'Goal removed.' }
    : { ok: false, message: 'That goal was already removed.' }
}

/** The target as the form takes it back (a share as a percentage): for filling the form with a goal set. */
export function targetAsTyped(unit: Unit, target: number): string {
  return String(Number((target / targetUnits[unit].toStored).toFixed(6)))
}
