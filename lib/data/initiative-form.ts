// Creating and editing an initiative from its form: every field validated with a message that says what to
// change, the windows checked against the launch, then the initiative and its teams written in one
// transaction. Server-only; the caller checks who may change initiatives.
import 'server-only'
import { z } from 'zod'
import { getDb, type Db } from '@/db/client'
import { primaryMetricsOf } from './initiative'
import {
  getInitiativeWithTeams,
  isInitiativeNameTaken,
  saveInitiative,
  type InitiativeInput,
} from '@/db/queries/initiatives'
import { listTeams } from '@/db/queries/organisation'
import { addUtcDays, isIsoDate, readDay, startOfUtcWeek, toIsoDate } from '@/lib/dates'
import { useCaseLabels, useCases } from '@/lib/domain'
import { isUniqueViolation, isUpshotError } from '@/lib/errors'
import { comparableMetrics, defaultPrimaryMetrics, type MetricKey } from '@/lib/metrics/comparable'

/** What the form shows again after a refusal: the values as typed, and a message per field. */
export interface InitiativeFormState {
  values: Record<string, string>
  errors: Record<string, string>
  message: string | null
}

const DATE_FIELDS = ['launchDate', 'baselineStart', 'baselineEnd', 'evaluationStart', 'evaluationEnd'] as const
const MIN_WINDOW_DAYS = 28
/** Primary metrics are the pilot's question; more than a few dilutes it (each must clear a stricter bar). */
const MAX_PRIMARY = 3
const metricKeys = comparableMetrics.map((metric) => metric.key) as [MetricKey, ...MetricKey[]]
const day = (label: string) => z.string().refine(isIsoDate, `${label} must be a day such as 6 Apr 2026`)
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000

export const initiativeFormSchema = z.object({
  name: z
    .string()
    .trim()
    .min(3, 'Give it a name of at least 3 characters')
    .max(120, 'Keep the name under 120 characters'),
  useCase: z.enum(useCases, { error: 'Choose what the pilot is about' }),
  description: z.string().trim().max(2000, 'Keep the description under 2,000 characters'),
  launchDate: day('The launch'),
  baselineStart: day('The baseline start'),
  baselineEnd: day('The baseline end'),
  evaluationStart: day('The evaluation start'),
  evaluationEnd: day('The evaluation end'),
  teams: z.array(z.object({ teamId: z.number().int().positive(), role: z.enum(['pilot', 'control']) })),
  // none ticked: the use case's usual metrics, written down at save time so the choice stays fixed afterwards
  primaryMetrics: z
    .array(z.enum(metricKeys))
    .max(
      MAX_PRIMARY,
      `Choose at most ${MAX_PRIMARY} primary metrics: every one must be confirmed before any other change is stated`,
    ),
})

type InitiativeFields = z.infer<typeof initiativeFormSchema>

/**
 * The rules between fields: windows in order, long enough, on the right side of the launch; a pilot and a
 * control. Checked even when another field is wrong, so one submission shows every problem.
 */
export function crossFieldProblems(
  form: Pick<InitiativeFields, (typeof DATE_FIELDS)[number]> & { teams: { role: string }[] },
): Record<string, string> {
  const problems: Record<string, string> = {}
  const problem = (field: string, message: string) => void (problems[field] ??= message)
  const valid = (value: string) => isIsoDate(value)
  if (valid(form.baselineStart) && valid(form.baselineEnd)) {
    if (form.baselineEnd <= form.baselineStart) problem('baselineEnd', 'The baseline must end after it starts')
    else if (days(form.baselineStart, form.baselineEnd) < MIN_WINDOW_DAYS)
      problem('baselineEnd', 'Make the baseline at least 4 weeks long: shorter is too little to compare')
  }
  if (valid(form.baselineEnd) && valid(form.launchDate) && form.baselineEnd > form.launchDate)
    problem('baselineEnd', 'The baseline must end on or before the launch')
  if (valid(form.evaluationStart) && valid(form.evaluationEnd)) {
    if (form.evaluationEnd <= form.evaluationStart) problem('evaluationEnd', 'The evaluation must end after it starts')
    else if (days(form.evaluationStart, form.evaluationEnd) < MIN_WINDOW_DAYS)
      problem('evaluationEnd', 'Make the evaluation at least 4 weeks long: shorter is too little to compare')
  }
  if (valid(form.evaluationStart) && valid(form.launchDate) && form.evaluationStart < form.launchDate)
    problem('evaluationStart', 'The evaluation must start on or after the launch')
  if (!form.teams.some((team) => team.role === 'pilot')) problem('teams', 'Choose at least one pilot team')
  else if (!form.teams.some((team) => team.role === 'control')) {
    problem(
      'teams',
      'Choose at least one control team: without one, the pilot’s change cannot be told apart from everything else that changed meanwhile',
    )
  }
  return problems
}

/** The form's fields as submitted: `team:<id>` holds each team's role ("", "pilot" or "control"); `primary:<metric>` is ticked. */
function readForm(form: FormData): {
  values: Record<string, string>
  input: Parameters<typeof crossFieldProblems>[0] & Record<string, unknown>
} {
  const values: Record<string, string> = {}
  for (const [key, value] of form.entries()) if (typeof value === 'string' && !key.startsWith('$')) values[key] = value
  // only canonical ids ("team:12", never "team:012" beside it): one role per team
  const teams = Object.entries(values)
    .filter(([key, role]) => /^team:[1-9]\d{0,8}$/.test(key) && role !== '')
    .map(([key, role]) => ({ teamId: Number(key.slice(5)), role }))
  // typed as the app writes days ("6 Apr 2026") or as ISO; stored as ISO. What cannot be read goes on as typed, for its message
  const date = (field: (typeof DATE_FIELDS)[number]) => readDay(values[field] ?? '') ?? values[field] ?? ''
  const input = {
    name: values.name ?? '',
    useCase: values.useCase ?? '',
    description: values.description ?? '',
    launchDate: date('launchDate'),
    baselineStart: date('baselineStart'),
    baselineEnd: date('baselineEnd'),
    evaluationStart: date('evaluationStart'),
    evaluationEnd: date('evaluationEnd'),
    teams,
    primaryMetrics: Object.keys(values)
      .filter((key) => key.startsWith('primary:'))
      .map((key) => key.slice('primary:'.length)),
  }
  return { values, input }
}

export type SubmitResult = { ok: true; id: number } | { ok: false; state: InitiativeFormState }

/** Validates and saves; `id` null creates. A refusal says, per field, what to change. */
export async function submitInitiativeForm(
  id: number | null,
  form: FormData,
  { db = getDb() }: { db?: Db } = {},
): Promise<SubmitResult> {
  const { values, input } = readForm(form)
  const refuse = (errors: Record<string, string>): SubmitResult => ({
    ok: false,
    state: { values, errors, message: 'Nothing was saved: fix the fields marked below.' },
  })
  const parsed = initiativeFormSchema.safeParse(input)
  const errors: Record<string, string> = {}
  for (const issue of parsed.error?.issues ?? [])
    errors[String(issue.path[0] ?? 'form')] ??= issue.message.startsWith('Invalid option')
      ? 'Choose metrics from the list'
      : issue.message
  for (const [field, message] of Object.entries(crossFieldProblems(input))) errors[field] ??= message
  if (!parsed.success || Object.keys(errors).length > 0) return refuse(errors)
  const known = new Set((await listTeams(db)).map((team) => team.id))
  const unknown = parsed.data.teams.filter((team) => !known.has(team.teamId))
  if (unknown.length > 0)
    return refuse({ teams: `There is no team ${unknown.map((team) => team.teamId).join(', ')}; reload the page` })
  if (await isInitiativeNameTaken(db, { name: parsed.data.name, exceptId: id }))
    return refuse({ name: 'Another initiative has this name; choose another' })
  const primaryMetrics =
    parsed.data.primaryMetrics.length > 0 ? parsed.data.primaryMetrics : [...defaultPrimaryMetrics[parsed.data.useCase]]
  const data: InitiativeInput = { ...parsed.data, description: parsed.data.description || null, primaryMetrics }
  try {
    return { ok: true, id: await saveInitiative(db, { id, input: data }) }
  } catch (error) {
    // two saves at once with one name, or an initiative deleted while it was being edited: say so on the form
    if (isUpshotError(error) && error.code === 'not_found')
      return refuse({ name: 'This initiative was deleted meanwhile; create it again' })
    if (isUniqueViolation(error))
      return refuse({ name: 'Another initiative was just saved with this name; choose another' })
    throw error
  }
}

/** What the form needs: the teams, the use cases, and its starting values (an existing initiative's, or sensible defaults). */
export async function getInitiativeFormData(
  id: number | null,
  { db = getDb(), now = new Date() }: { db?: Db; now?: Date } = {},
) {
  const teams = await listTeams(db)
  const options = useCases.map((value) => ({
    value,
    label: useCaseLabels[value],
    primary: [...defaultPrimaryMetrics[value]],
  }))
  const metrics = comparableMetrics.map((metric) => ({ value: metric.key, label: metric.label }))
  if (id === null) {
    // launch on the coming Monday; twelve weeks before and after
    const monday = addUtcDays(startOfUtcWeek(now), 7)
    const defaults = {
      name: '',
      useCase: '',
      description: '',
      launchDate: toIsoDate(monday),
      baselineStart: toIsoDate(addUtcDays(monday, -84)),
      baselineEnd: toIsoDate(monday),
      evaluationStart: toIsoDate(monday),
      evaluationEnd: toIsoDate(addUtcDays(monday, 84)),
    }
    return { teams, useCases: options, metrics, defaults: defaults as Record<string, string> }
  }
  const initiative = await getInitiativeWithTeams(db, id)
  if (!initiative) return null
  const defaults: Record<string, string> = {
    name: initiative.name,
    useCase: initiative.useCase,
    description: initiative.description ?? '',
    ...Object.fromEntries(DATE_FIELDS.map((field) => [field, initiative[field]])),
    ...Object.fromEntries(initiative.teams.map((team) => [`team:${team.teamId}`, team.role])),
    ...Object.fromEntries(primaryMetricsOf(initiative).map((key) => [`primary:${key}`, 'on'])),
  }
  return { teams, useCases: options, metrics, defaults }
}
