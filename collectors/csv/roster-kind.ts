// The roster CSV kind (docs/imports.md): who is an engineer, in which team, since and until when.
import { z } from 'zod'
import { importRoster } from '@/db/queries/imports'
import { day, flag, slug, text } from '@/collectors/csv/cells'
import type { KindSpec } from '@/collectors/csv/kinds'

const rosterRow = z
  .object({
    login: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'must be a login: letters, digits, "-", "_" or "."'),
    name: text(200).optional(),
    email: z.string().email().optional(),
    team: slug.optional(),
    team_name: text(200).optional(),
    start_date: day.optional(),
    end_date: day.optional(),
    team_since: day.optional(),
    is_engineer: flag.optional(),
  })
  .refine((row) => !row.start_date || !row.end_date || row.start_date <= row.end_date, {
    path: ['end_date'],
    message: 'is before start_date',
  })
  .transform((row) => ({
    login: row.login,
    name: row.name,
    email: row.email,
    team: row.team,
    teamName: row.team_name,
    startDate: row.start_date,
    endDate: row.end_date,
    teamSince: row.team_since,
    isEngineer: row.is_engineer,
  }))
export const rosterKind: KindSpec<z.infer<typeof rosterRow>> = {
  kind: 'roster',
  columns: [
    { name: 'login', required: true, description: 'GitHub login (or directory handle)' },
    { name: 'name', required: false, description: 'full name' },
    { name: 'email', required: false, description: 'work e-mail' },
    { name: 'team', required: false, description: 'team slug; created when new' },
    { name: 'team_name', required: false, description: 'the team’s display name' },
    {
      name: 'start_date',
      required: false,
      description: 'first working day, YYYY-MM-DD (onboarding is measured from it)',
      time: 'planned',
    },
    { name: 'end_date', required: false, description: 'last day, YYYY-MM-DD', time: 'planned' },
    {
      name: 'team_since',
      required: false,
      description: 'since when in this team, YYYY-MM-DD (default: today for a move)',
      time: 'planned',
    },
    { name: 'is_engineer', required: false, description: 'true or false (default true)' },
  ],
  row: rosterRow,
  key: (row) => row.login.toLowerCase(),
  keyLabel: 'login',
  references: () => ({}),
  write(rows, { tx, today }) {
    return importRoster(tx, rows, { today })
  },
}
