// Milestones as people enter them and as the charts draw them: the Milestones page's read model, its form
// (every field validated with a message that says what to change, then saved with its teams in one
// transaction), and the rules other read models share – which portal launch the Overview compares around,
// which milestones a team filter shows, and how a milestone is labelled. Server-only; the caller checks who
// may change milestones.
import 'server-only'
import { z } from 'zod'
import { getDb, type Db } from '@/db/client'
import { readFormId } from '@/lib/data/form-id'
import {
  deleteMilestone,
  listMilestones,
  MILESTONE_NAME_MAX,
  MILESTONE_NOTE_MAX,
  saveMilestone,
  type MilestoneWithTeams,
} from '@/db/queries/milestones'
import { listTeams, type TeamRow } from '@/db/queries/organisation'
import { isIsoDate, readDay } from '@/lib/dates'
import { milestoneKindLabels, milestoneKinds, type MilestoneKind } from '@/lib/domain'
import { isUpshotError } from '@/lib/errors'

type Dated = Pick<MilestoneWithTeams, 'kind' | 'occurredOn' | 'teamIds'>

/**
 * The launch the Overview and the "before launch" comparison count from: the portal launch for every team
 * (the earliest, if several); without one, the earliest portal launch for some teams (a pilot's launch is
 * still when the portal first existed). `milestones` oldest first, as listMilestones returns them.
 */
export function launchOf<T extends Dated>(milestones: readonly T[]): T | null {
  const launches = milestones.filter((milestone) => milestone.kind === 'portal_launch')
  return launches.find((milestone) => milestone.teamIds.length === 0) ?? launches[0] ?? null
}

/**
 * The milestones a view of `teamIds` shows: every one on an unfiltered view (undefined); else those for
 * every team and those for at least one of the teams shown.
 */
export function visibleMilestones<T extends Dated>(
  milestones: readonly T[],
  teamIds: readonly number[] | undefined,
): T[] {
  if (!teamIds) return [...milestones]
  const shown = new Set(teamIds)
  return milestones.filter(
    (milestone) => milestone.teamIds.length === 0 || milestone.teamIds.some((id) => shown.has(id)),
  )
}

/**
 * A milestone as a chart's legend names it: its kind, its name, and the teams it is limited to
 * ("Catalog launch: Catalog for Payments (Checkout, Payments)"). An "other" event is its name alone.
 */
export function milestoneLabel(
  milestone: Pick<MilestoneWithTeams, 'kind' | 'name' | 'teamIds'>,
  teamNames: ReadonlyMap<number, string>,
): string {
  const kind = milestoneKindLabels[milestone.kind]
  // "Portal launch: Portal launch" says it twice
  const base =
    milestone.kind === 'other'
      ? milestone.name
      : milestone.name.trim().toLowerCase() === kind.toLowerCase()
        ? kind
        : `${kind}: ${milestone.name}`
  if (milestone.teamIds.length === 0) return base
  const names = milestone.teamIds.map((id) => teamNames.get(id) ?? `team ${id}`).sort((a, b) => a.localeCompare(b))
  // a legend line, not a roster: three names, then a count
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')
  return `${base} (${shown})`
}

export interface MilestoneView {
  id: number
  kind: MilestoneKind
  kindLabel: string
  name: string
  occurredOn: string
  description: string | null
  /** Empty: every team. */
  teams: { id: number; name: string }[]
}

/** What the form shows again after a refusal: the values as typed, and a message per field. */
export interface MilestoneFormState {
  values: Record<string, string>
  errors: Record<string, string>
  message: string | null
}

const milestoneFormSchema = z.object({
  kind: z.enum(milestoneKinds, { error: 'Choose what kind of milestone it is' }),
  occurredOn: z.string().refine(isIsoDate, 'Give the day it happened, such as 6 Apr 2026'),
  name: z
    .string()
    .trim()
    .min(1, 'Give it a name: the charts label the milestone with it')
    .max(MILESTONE_NAME_MAX, `Keep the name under ${MILESTONE_NAME_MAX} characters`),
  description: z
    .string()
    .trim()
    .max(MILESTONE_NOTE_MAX, `Keep the note under ${MILESTONE_NOTE_MAX.toLocaleString('en')} characters`),
  scope: z.enum(['all', 'some'], { error: 'Choose all teams, or the teams it applies to' }),
  teams: z.array(
    z
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1, 'Choose teams from the list'),
    { error: 'Choose teams from the list' },
  ),
})

/** The form's fields as submitted: `teams` once per checked team (its id); `scope` "all" or "some". */
function readForm(form: FormData): { values: Record<string, string>; input: Record<string, unknown> } {
  const values: Record<string, string> = {}
  for (const [key, value] of form.entries())
    if (typeof value === 'string' && !key.startsWith('$') && key !== 'teams') values[key] = value
  const teams = form.getAll('teams').filter((value): value is string => typeof value === 'string')
  values.teams = teams.join(',')
  const input = {
    kind: values.kind ?? '',
    // "6 Apr 2026" as the app writes days, or ISO; stored as ISO
    occurredOn: readDay(values.occurredOn ?? '') ?? values.occurredOn ?? '',
    name: values.name ?? '',
    description: values.description ?? '',
    scope: values.scope ?? 'all',
    // only canonical ids ("12", never "012"): what the checkboxes send
    teams: teams.map((value) => (/^[1-9]\d{0,9}$/.test(value) ? Number(value) : -1)),
  }
  return { values, input }
}

export type MilestoneSubmitResult = { ok: true; id: number } | { ok: false; state: MilestoneFormState }

/** Validates and saves; `id` null creates. A refusal says, per field, what to change, and nothing is saved. */
export async function submitMilestoneForm(
  id: number | null,
  form: FormData,
  { db = getDb() }: { db?: Db } = {},
): Promise<MilestoneSubmitResult> {
  const { values, input } = readForm(form)
  const refuse = (errors: Record<string, string>): MilestoneSubmitResult => ({
    ok: false,
    state: { values, errors, message: 'Nothing was saved: fix the fields marked below.' },
  })
  const parsed = milestoneFormSchema.safeParse(input)
  const errors: Record<string, string> = {}
  for (const issue of parsed.error?.issues ?? []) errors[String(issue.path[0] ?? 'form')] ??= issue.message
  if (input.scope === 'some' && Array.isArray(input.teams) && input.teams.length === 0)
    errors.teams ??= 'Choose at least one team, or “All teams”'
  if (!parsed.success || Object.keys(errors).length > 0) return refuse(errors)
  const teamIds = parsed.data.scope === 'all' ? [] : [...new Set(parsed.data.teams)]
  const known = new Set((await listTeams(db)).map((team) => team.id))
  const unknown = teamIds.filter((teamId) => !known.has(teamId))
  if (unknown.length > 0) return refuse({ teams: `There is no team ${unknown.join(', ')} any more; reload the page` })
  try {
    const saved = await saveMilestone(db, {
      id,
      input: {
        kind: parsed.data.kind,
        occurredOn: parsed.data.occurredOn,
        name: parsed.data.name,
        description: parsed.data.description || null,
        teamIds,
      },
    })
    return { ok: true, id: saved }
  } catch (error) {
    // one kind on one day is one milestone (a CSV re-import matches on it); an edit of a deleted one says so
    if (isUpshotError(error) && error.code === 'conflict') return refuse({ occurredOn: error.message })
    if (isUpshotError(error) && error.code === 'not_found')
      return refuse({ name: 'This milestone was deleted meanwhile; add it again' })
    throw error
  }
}

export type MilestoneDeleteResult = { ok: boolean; message: string }

/** Deletes the milestone the form names (`id`). */
export async function removeMilestone(
  form: FormData,
  { db = getDb() }: { db?: Db } = {},
): Promise<MilestoneDeleteResult> {
  const id = readFormId(form)
  if (id === null) return { ok: false, message: 'Choose a milestone to delete.' }
  return (await deleteMilestone(db, { id }))
    ? { ok: true, message: 'Milestone deleted.' }
    : { ok: false, message: 'That milestone was already deleted.' }
}

export interface MilestonesPage {
  milestones: MilestoneView[]
  teams: TeamRow[]
  kinds: { value: MilestoneKind; label: string }[]
  /** Which launch the Overview compares around, or null without a portal launch. */
  launchId: number | null
  /** The form's starting values: the milestone being edited, or a new one's defaults. */
  form: { id: number | null; values: Record<string, string> }
  /** Set when `edit` named a milestone that does not exist (any more). */
  missing: number | null
}

/** The Milestones page: every milestone with its teams, and the form (new, or `edit`'s milestone). */
export async function getMilestonesPage({
  db = getDb(),
  edit = null,
}: { db?: Db; edit?: number | null } = {}): Promise<MilestonesPage> {
  const [rows, teams] = await Promise.all([listMilestones(db), listTeams(db)])
  const names = new Map(teams.map((team) => [team.id, team.name]))
  const milestones = rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    kindLabel: milestoneKindLabels[row.kind],
    name: row.name,
    occurredOn: row.occurredOn,
    description: row.description,
    teams: row.teamIds
      .map((id) => ({ id, name: names.get(id) ?? `team ${id}` }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }))
  const editing = edit === null ? undefined : rows.find((row) => row.id === edit)
  const form = editing
    ? {
        id: editing.id,
        values: {
          kind: editing.kind,
          occurredOn: editing.occurredOn,
          name: editing.name,
          description: editing.description ?? '',
          scope: editing.teamIds.length === 0 ? 'all' : 'some',
          teams: editing.teamIds.join(','),
        },
      }
    : // a first milestone is most likely the portal launch, for every team
      {
        id: null,
        values: {
          kind: rows.some((row) => row.kind === 'portal_launch') ? '' : 'portal_launch',
          occurredOn: '',
          name: '',
          description: '',
          scope: 'all',
          teams: '',
        },
      }
  return {
    milestones,
    teams,
    kinds: milestoneKinds.map((value) => ({ value, label: milestoneKindLabels[value] })),
    launchId: launchOf(rows)?.id ?? null,
    form,
    missing: edit !== null && !editing ? edit : null,
  }
}
