// The web servers the cold, concurrency and standing measurements run against: one `next start` per scale,
// signed in as an admin, with the initiative, cohorts and teams their filter URLs are built from.
import { randomBytes } from 'node:crypto'
import type { ChildProcess } from 'node:child_process'
import { sql } from 'drizzle-orm'
import { connect, type Connection } from '@/db/client'
import { getInitiativeWithTeams, listInitiatives } from '@/db/queries/initiatives'
import { listTeams } from '@/db/queries/organisation'
import { signedInAdmin, startServer, waitForServer, type Target } from './pages'

/** A scale's web server with what the cold requests need to build and check their URLs. */
export interface Running {
  label: string
  port: number
  server: ChildProcess
  secret: string
  connection: Connection
  cookie: string
  initiative: { id: number; name: string }
  cohorts: { pilot: number; control: number }
  teams: { id: number; name: string }[]
  /** Every URL this server process has been asked for, so none is counted as a miss twice. */
  requested: Set<string>
  /** Whether the database stores answers (read_models), which a miss must not find either. */
  readModels: boolean
}

/** Start one `next start` per target, each signed in as an admin, with the facts the URLs are built from. */
export async function startTargets(targets: Target[], port: number): Promise<Running[]> {
  const running: Running[] = []
  try {
    for (const [i, target] of targets.entries()) {
      const secret = randomBytes(48).toString('base64')
      const connection = connect(target.databaseUrl, { max: 4 })
      const server = startServer(target.databaseUrl, port + i, secret)
      running.push({
        label: target.label,
        port: port + i,
        server,
        secret,
        connection,
        cookie: '',
        initiative: { id: 0, name: '' },
        cohorts: { pilot: 0, control: 0 },
        teams: [],
        requested: new Set(),
        readModels: false,
      })
    }
    for (const target of running) {
      const { db } = target.connection
      target.cookie = await signedInAdmin(db, target.secret)
      // the initiative in view, whose teams `group=pilot|control` means (lib/data/filters.ts initiativeInView):
      // the latest launched, else the latest planned
      const initiatives = await listInitiatives(db)
      const today = new Date()
      const initiative =
        initiatives.filter((one) => new Date(`${one.launchDate}T00:00:00Z`) <= today).at(-1) ?? initiatives.at(-1)
      if (!initiative) throw new Error(`${target.label}: the benchmark database has no initiative`)
      const withTeams = await getInitiativeWithTeams(db, initiative.id)
      target.initiative = { id: initiative.id, name: initiative.name }
      target.cohorts = {
        pilot: withTeams?.teams.filter((team) => team.role === 'pilot').length ?? 0,
        control: withTeams?.teams.filter((team) => team.role === 'control').length ?? 0,
      }
      target.teams = (await listTeams(db)).map((team) => ({ id: team.id, name: team.name }))
      const [table] = await db.execute<{ present: boolean }>(
        sql`select to_regclass('public.read_models') is not null as present`,
      )
      target.readModels = table?.present === true
      await waitForServer(target.port, target.server)
    }
    return running
  } catch (error) {
    await stopTargets(running)
    throw error
  }
}

export async function stopTargets(running: Running[]): Promise<void> {
  for (const target of running) {
    if (target.server.exitCode === null) {
      target.server.kill('SIGTERM')
      await new Promise((resolve) =>
        target.server.exitCode !== null ? resolve(null) : target.server.once('exit', resolve),
      )
    }
    await target.connection.db.execute(sql`delete from users where id = 'bench-admin'`).catch(() => {})
    await target.connection.close()
  }
}
