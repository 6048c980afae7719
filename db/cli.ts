// npm run db:migrate | npm run db:seed -- [--scale 1] [--seed 42] | npm run db -- digest | npm run db -- users [role <e-mail or provider:subject> admin]
import { Command } from 'commander'
import { isUpshotError } from '../lib/errors'
import { demoOrganisation, digestDemo } from './demo/generate'
import { seedDemo } from './demo/seed'
import { migrateDatabase } from './migrate'
import { openDatabase } from './open'
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
      console.log(result.seeded ? `seeded ${database.describe} in ${(result.ms / 1000).toFixed(1)} s: ${JSON.stringify(result.counts)}` : `not seeded: ${result.reason}`)
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
      for (const user of list) console.log(`${user.role.padEnd(6)}  ${user.name}  <${user.email}${user.emailVerified ? '' : ', not verified'}>  ${user.providers.join(', ') || '?'}  last active ${user.lastActiveAt ?? 'never'}`)
    } finally {
      await database.close()
    }
  })
usersCommand
  .command('role <who> <role>')
  .description('make someone who has signed in an admin or a viewer, named by a verified e-mail or by provider:subject (how the first admin is made)')
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

program.parseAsync().catch((error: unknown) => {
  console.error(isUpshotError(error) && error.hint ? `${error.message}\n${error.hint}` : error instanceof Error ? error.message : error)
  process.exit(1)
})
