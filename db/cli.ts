// npm run db:migrate | npm run db:seed -- [--scale 1] [--seed 42] | npm run db -- digest | npm run db -- users [role <e-mail or provider:subject> admin]
// | npm run db -- milestones [list | add --kind … --on … --name … [--teams …] [--note …] | edit <id> … | delete <id>]
// | npm run db -- check [--repair]
import { Command } from 'commander'
import { z } from 'zod'
import { isIsoDate } from '@/lib/dates'
import { milestoneKinds } from '@/lib/domain'
import { describeError, isUpshotError, UpshotError } from '@/lib/errors'
import { demoOrganisation, digestDemo } from './demo/generate'
import { seedDemo } from './demo/seed'
import { migrateDatabase } from './migrate'
import { openDatabase } from './open'
import {
  deleteMilestone,
  listMilestones,
  MILESTONE_NAME_MAX,
  MILESTONE_NOTE_MAX,
  resolveTeamNames,
  saveMilestone,
  type MilestoneInput,
} from './queries/milestones'
import { listTeams } from './queries/organisation'
import { checkRollups, drainDirtyWeeks, queueAllWeeks } from './queries/rollups'
import { closeAbandonedRuns } from './queries/sync'
import { listUsers, setRoleFor } from './queries/users'

const program = new Command('db').description('Upshot database commands.')

program
  .command('migrate')
  .description('apply the migrations in db/migrations')
  .action(async () => {
    const database = await openDatabase({ command: 'npm run db:migrate' })
    try {
      await migrateDatabase(database.connection.sql)
      console.log(`migrated ${database.describe}`)
    } finally {
      await database.close()
    }
  })

program
  .command('seed')
  .description('load the demo organisation into an empty database (adds nothing to a non-empty one)')
  .option('--scale <factor>', 'organisation size: 1 ≈ 250 engineers, 20 ≈ 5,000', Number, 1)
  .option('--seed <n>', 'random seed', Number, 42)
  .option('--months <n>', 'months of history', Number, 24)
  .option('--end <date>', 'first day after the data (YYYY-MM-DD)')
  .action(async (options: { scale: number; seed: number; months: number; end?: string }) => {
    const database = await openDatabase({ command: 'npm run db:seed' })
    try {
      await migrateDatabase(database.connection.sql)
      const result = await seedDemo(database.connection.db, options, (message) => console.log(`  ${message}`))
      console.log(
        result.seeded
          ? `seeded ${database.describe} in ${(result.ms / 1000).toFixed(1)} s: ${JSON.stringify(result.counts)}`
          : `not seeded: ${result.reason}`,
      )
    } finally {
      await database.close()
    }
  })

program
  .command('digest')
  .description('row counts and SHA-256 of the demo organisation the generator makes (no database)')
  .option('--scale <factor>', 'organisation size', Number, 1)
  .option('--seed <n>', 'random seed', Number, 42)
  .option('--end <date>', 'first day after the data (YYYY-MM-DD)', '2026-11-23')
  .action((options: { scale: number; seed: number; end: string }) => {
    for (const [table, digest] of Object.entries(digestDemo(demoOrganisation(options)))) {
      console.log(`${table.padEnd(24)} ${String(digest.rows).padStart(9)}  ${digest.sha256}`)
    }
  })

const usersCommand = program.command('users').description('people who signed in, and their roles')
usersCommand
  .command('list', { isDefault: true })
  .description('everyone who has signed in, with their role')
  .action(async () => {
    const database = await openDatabase({ command: 'npm run db -- users' })
    try {
      const list = await listUsers(database.connection.db)
      if (list.length === 0) console.log('no one has signed in yet')
      for (const user of list)
        console.log(
          `${user.role.padEnd(6)}  ${user.name}  <${user.email}${user.emailVerified ? '' : ', not verified'}>  ${user.providers.join(', ') || '?'}  last active ${user.lastActiveAt ?? 'never'}`,
        )
    } finally {
      await database.close()
    }
  })
usersCommand
  .command('role <who> <role>')
  .description(
    'make someone who has signed in an admin or a viewer, named by a verified e-mail or by provider:subject (how the first admin is made)',
  )
  .action(async (who: string, role: string) => {
    if (role !== 'admin' && role !== 'viewer') throw new Error(`role must be admin or viewer, not "${role}"`)
    const database = await openDatabase({ command: 'npm run db -- users' })
    try {
      const changed = await setRoleFor(database.connection.db, { who, role })
      console.log(`${changed.name} (${who}) is now ${changed.role === 'admin' ? 'an admin' : 'a viewer'}`)
    } finally {
      await database.close()
    }
  })

// Milestones from the command line: the same rules as the Milestones page, each refusal naming its flag.
const milestoneFlags = z.object({
  kind: z.enum(milestoneKinds, { error: `is not a kind: use ${milestoneKinds.join(', ')}` }),
  on: z.string().refine(isIsoDate, 'is not a date as YYYY-MM-DD'),
  name: z
    .string()
    .trim()
    .min(1, 'is empty: give the milestone a name')
    .max(MILESTONE_NAME_MAX, `is longer than ${MILESTONE_NAME_MAX} characters`),
  note: z.string().trim().max(MILESTONE_NOTE_MAX, `is longer than ${MILESTONE_NOTE_MAX} characters`).optional(),
  teams: z.string().optional(),
})
type MilestoneFlags = { kind?: string; on?: string; name?: string; note?: string; teams?: string; allTeams?: boolean }

/** The flags as a milestone (team names still as given), or every problem, one line per flag. */
function readMilestoneFlags(flags: MilestoneFlags) {
  const parsed = milestoneFlags.safeParse(flags)
  if (parsed.success) return parsed.data
  const lines = parsed.error.issues.map((issue) => {
    const flag = String(issue.path[0] ?? 'kind')
    const given = flags[flag as keyof MilestoneFlags]
    return given === undefined
      ? `--${flag} is required${flag === 'kind' ? ` (${milestoneKinds.join(', ')})` : flag === 'on' ? ' (YYYY-MM-DD)' : ''}`
      : `--${flag}: "${String(given)}" ${issue.message}`
  })
  throw new UpshotError('bad_request', [...new Set(lines)].join('\n'))
}

/** `--teams "Checkout, Payments"`: team names or slugs, comma-separated; every one must be a team. */
async function teamIdsOf(db: Parameters<typeof resolveTeamNames>[0], teams: string): Promise<number[]> {
  const names = teams
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  if (names.length === 0)
    throw new UpshotError('bad_request', '--teams: name at least one team (leave --teams out for every team)')
  const { ids, problems } = await resolveTeamNames(db, names)
  if (problems.size > 0)
    throw new UpshotError('bad_request', [...problems.values()].map((problem) => `--teams: ${problem}`).join('\n'))
  return names.map((name) => ids.get(name) as number)
}

function milestoneIdOf(value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value))
    throw new UpshotError(
      'bad_request',
      `<id>: "${value}" is not a milestone's number (npm run db -- milestones lists them)`,
    )
  return Number(value)
}

const describeMilestone = (input: MilestoneInput, teamNames: Map<number, string>) =>
  `${input.name} (${input.kind}) on ${input.occurredOn} for ${input.teamIds.length === 0 ? 'every team' : input.teamIds.map((id) => teamNames.get(id) ?? `team ${id}`).join(', ')}`

const milestonesCommand = program
  .command('milestones')
  .description(
    'dated events on the charts: the portal launch the Overview compares around, launches of its parts, anything else',
  )
const milestoneOptions = (command: Command, required: boolean) =>
  command
    .option('--kind <kind>', `${milestoneKinds.join(', ')}${required ? '' : ' (default: unchanged)'}`)
    .option('--on <date>', `the day it happened, YYYY-MM-DD${required ? '' : ' (default: unchanged)'}`)
    .option('--name <name>', `what happened, as the charts label it${required ? '' : ' (default: unchanged)'}`)
    .option(
      '--teams <names>',
      `team names or slugs, comma-separated (default: ${required ? 'every team' : 'unchanged'})`,
    )
    .option('--note <text>', `a note${required ? '' : ' ("" removes it; default: unchanged)'}`)
milestonesCommand
  .command('list', { isDefault: true })
  .description('every milestone, oldest first: id, date, kind, name, teams, note')
  .action(async () => {
    const database = await openDatabase({ command: 'npm run db -- milestones' })
    try {
      const [list, teams] = await Promise.all([
        listMilestones(database.connection.db),
        listTeams(database.connection.db),
      ])
      const names = new Map(teams.map((team) => [team.id, team.name]))
      if (list.length === 0)
        console.log(
          'no milestones yet: npm run db -- milestones add --kind portal_launch --on YYYY-MM-DD --name "Portal launch"',
        )
      for (const milestone of list) {
        const scope =
          milestone.teamIds.length === 0
            ? 'every team'
            : milestone.teamIds.map((id) => names.get(id) ?? `team ${id}`).join(', ')
        console.log(
          `${String(milestone.id).padStart(4)}  ${milestone.occurredOn}  ${milestone.kind.padEnd(17)}  ${milestone.name}  [${scope}]${milestone.description ? `  ${milestone.description}` : ''}`,
        )
      }
    } finally {
      await database.close()
    }
  })
milestoneOptions(
  milestonesCommand.command('add').description('add a milestone, for every team or for the teams named'),
  true,
).action(async (flags: MilestoneFlags) => {
  const fields = readMilestoneFlags(flags)
  const database = await openDatabase({ command: 'npm run db -- milestones' })
  try {
    const db = database.connection.db
    const input: MilestoneInput = {
      kind: fields.kind,
      occurredOn: fields.on,
      name: fields.name,
      description: fields.note || null,
      teamIds: fields.teams === undefined ? [] : await teamIdsOf(db, fields.teams),
    }
    const id = await saveMilestone(db, { id: null, input })
    const teams = new Map((await listTeams(db)).map((team) => [team.id, team.name]))
    console.log(`added milestone ${id}: ${describeMilestone(input, teams)}`)
  } finally {
    await database.close()
  }
})
milestoneOptions(
  milestonesCommand.command('edit <id>').description('change a milestone: only the flags given change'),
  false,
)
  .option('--all-teams', 'make it apply to every team again')
  .action(async (idArgument: string, flags: MilestoneFlags) => {
    const id = milestoneIdOf(idArgument)
    if (flags.teams !== undefined && flags.allTeams)
      throw new UpshotError('bad_request', '--teams and --all-teams: give one or the other')
    const database = await openDatabase({ command: 'npm run db -- milestones' })
    try {
      const db = database.connection.db
      const current = (await listMilestones(db)).find((milestone) => milestone.id === id)
      if (!current)
        throw new UpshotError('not_found', `There is no milestone ${id} (npm run db -- milestones lists them).`)
      const fields = readMilestoneFlags({
        kind: current.kind,
        on: current.occurredOn,
        name: current.name,
        note: current.description ?? undefined,
        ...definedOnly(flags),
      })
      const teamIds = flags.allTeams
        ? []
        : fields.teams === undefined
          ? current.teamIds
          : await teamIdsOf(db, fields.teams)
      const input: MilestoneInput = {
        kind: fields.kind,
        occurredOn: fields.on,
        name: fields.name,
        description: fields.note || null,
        teamIds,
      }
      await saveMilestone(db, { id, input })
      const teams = new Map((await listTeams(db)).map((team) => [team.id, team.name]))
      console.log(`changed milestone ${id}: ${describeMilestone(input, teams)}`)
    } finally {
      await database.close()
    }
  })
milestonesCommand
  .command('delete <id>')
  .description('delete a milestone')
  .action(async (idArgument: string) => {
    const id = milestoneIdOf(idArgument)
    const database = await openDatabase({ command: 'npm run db -- milestones' })
    try {
      if (!(await deleteMilestone(database.connection.db, { id })))
        throw new UpshotError('not_found', `There is no milestone ${id} (npm run db -- milestones lists them).`)
      console.log(`deleted milestone ${id}`)
    } finally {
      await database.close()
    }
  })

program
  .command('check')
  .description(
    'recompute the rollups from the facts and list every difference (exits 1 on any); close runs whose process is gone',
  )
  .option('--repair', 'first rewrite every rollup from the facts')
  .option('--limit <n>', 'list at most this many differences', Number, 200)
  .action(async ({ repair = false, limit }: { repair?: boolean; limit: number }) => {
    const database = await openDatabase({ command: 'npm run db -- check' })
    try {
      const db = database.connection.db
      const [tables] = await database.connection.sql<
        { queue: string | null }[]
      >`select to_regclass('public.dirty_weeks')::text as queue`
      if (!tables?.queue)
        throw new UpshotError(
          'unavailable',
          `No Upshot tables in ${database.describe}, or only tables from before the rollup queue.`,
          { hint: 'Run npm run db:migrate (npm run demo migrates the embedded database), then check again.' },
        )
      for (const run of await closeAbandonedRuns(db))
        console.log(`closed run ${run.id} (${run.source}, ${run.scope}) as failed: ${run.error}`)
      if (repair) {
        await queueAllWeeks(db)
        const drained = await drainDirtyWeeks(db)
        console.log(`repaired: recomputed ${drained.teamWeeks.toLocaleString('en')} team-weeks`)
      }
      const { teamWeeks, differences, queued } = await checkRollups(db, { limit: Math.max(1, limit) })
      if (queued > 0)
        console.log(
          `${queued} range${queued === 1 ? ' is' : 's are'} queued for a refresh: their weeks may differ until it runs (npm run db -- check --repair runs it)`,
        )
      for (const d of differences)
        console.log(`team ${d.team}  week ${d.week}  ${d.column}: stored ${d.stored}, recomputed ${d.recomputed}`)
      if (differences.length > 0) {
        console.log(
          `${differences.length >= limit ? `at least ${differences.length}` : differences.length} difference${differences.length === 1 ? '' : 's'} between the rollups and the facts (${database.describe}); npm run db -- check --repair rewrites them`,
        )
        process.exitCode = 1
      } else
        console.log(
          `rollups match the facts: ${teamWeeks.toLocaleString('en')} team-weeks recomputed, 0 differences (${database.describe})`,
        )
    } finally {
      await database.close()
    }
  })

/** The flags given (commander leaves the others undefined), so they override only what they name. */
function definedOnly(flags: MilestoneFlags): MilestoneFlags {
  return Object.fromEntries(Object.entries(flags).filter(([key, value]) => value !== undefined && key !== 'allTeams'))
}

program.parseAsync().catch((error: unknown) => {
  console.error(isUpshotError(error) && error.hint ? `${error.message}\n${error.hint}` : describeError(error))
  process.exit(1)
})
