// The milestones CSV kind (docs/imports.md): dated launches and other events the charts mark, for some teams or all.
import { z } from 'zod'
import { MILESTONE_NAME_MAX, MILESTONE_NOTE_MAX, resolveTeamNames, upsertMilestones } from '@/db/queries/milestones'
import { milestoneKinds } from '@/lib/domain'
import { day, text } from '@/collectors/csv/cells'
import type { KindSpec } from '@/collectors/csv/kinds'

/** Team names in one cell: `;` or `|` between them (a comma would end the cell). Empty: every team. */
const teamList = z
  .string()
  .max(4000)
  .transform((value) => [
    ...new Set(
      value
        .split(/[;|]/)
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
  ])
export const milestoneRow = z
  .object({
    kind: z.enum(milestoneKinds, { message: `must be one of ${milestoneKinds.join(', ')}` }),
    occurred_on: day,
    name: text(MILESTONE_NAME_MAX),
    teams: teamList.default([]),
    note: z
      .string()
      .max(MILESTONE_NOTE_MAX, `is longer than ${MILESTONE_NOTE_MAX.toLocaleString('en')} characters`)
      .optional(),
  })
  .transform((row) => ({
    kind: row.kind,
    occurredOn: row.occurred_on,
    name: row.name,
    teams: row.teams,
    note: row.note ?? null,
  }))
export const milestonesKind: KindSpec<z.infer<typeof milestoneRow>> = {
  kind: 'milestones',
  columns: [
    { name: 'kind', required: true, description: milestoneKinds.join(', ') },
    { name: 'occurred_on', required: true, description: 'the day it happened, YYYY-MM-DD', time: 'planned' },
    { name: 'name', required: true, description: 'what happened, as the charts label it' },
    { name: 'teams', required: false, description: 'team names or slugs separated by ";" or "|"; empty: every team' },
    { name: 'note', required: false, description: 'anything worth knowing about it' },
  ],
  row: milestoneRow,
  key: (row) => `${row.kind}|${row.occurredOn}`,
  keyLabel: 'kind and occurred_on',
  references: () => ({}),
  async check(db, rows) {
    const { problems } = await resolveTeamNames(
      db,
      rows.flatMap(({ row }) => row.teams),
    )
    return rows.flatMap(({ line, row }) =>
      row.teams.flatMap((name) =>
        problems.has(name) ? [{ line, column: 'teams', message: problems.get(name) as string }] : [],
      ),
    )
  },
  async write(rows, { tx }) {
    const { ids } = await resolveTeamNames(
      tx,
      rows.flatMap((row) => row.teams),
    )
    return upsertMilestones(
      tx,
      rows.map((row) => ({
        kind: row.kind,
        occurredOn: row.occurredOn,
        name: row.name,
        description: row.note,
        teamIds: row.teams.map((name) => ids.get(name) as number),
      })),
    )
  },
}
