// Scheduled collection on a job queue in Postgres (pg-boss): one queue per source, a cron schedule that
// sends it a job, and a worker that runs the collector. Queues use pg-boss's "singleton" policy (one job
// active at a time) and the run itself refuses to start while another run of the source is alive, so any
// number of workers on any number of machines never run one source twice at once. One more queue drains the
// rollup queue every minute: weeks a writer queued and could not refresh (it died, or its refresh failed) are
// refreshed within a minute even when nothing else is written.
import PgBoss from 'pg-boss'
import type { Database } from '@/db/client'
import { STANDING_QUEUE, STANDING_QUEUE_OPTIONS } from '@/db/queries/read-models'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import type { Sources } from './config'
import { configuredSources, runSource, type SourceName } from './sources'
import { messageOf } from './sync-run'

export interface Scheduler {
  jobs: { name: string; cron: string }[]
  /** Sends a source's job now (as the schedule would). */
  trigger(source: SourceName): Promise<string | null>
  /** Sends the rollup refresh's job now (as the minute's tick would). */
  refresh(): Promise<string | null>
  stop(): Promise<void>
}

const queueName = (source: SourceName) => `collect-${source}`
const REFRESH_QUEUE = 'refresh-rollups'
const REFRESH_CRON = '* * * * *'

export async function startScheduler({
  url,
  db,
  sources,
  log = () => {},
}: {
  url: string
  db: Database
  sources: Sources
  log?: (message: string) => void
}): Promise<Scheduler> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', application_name: 'upshot-scheduler', max: 4 })
  boss.on('error', (error: Error) => log(`queue: ${error.message}`))
  await boss.start()
  const controller = new AbortController()
  const jobs: Scheduler['jobs'] = []
  for (const source of configuredSources(sources)) {
    const name = queueName(source)
    await boss.createQueue(name, { name, policy: 'singleton', retryLimit: 0, expireInHours: 6 })
    await boss.schedule(name, sources.schedule[source], {}, { tz: 'UTC' })
    jobs.push({ name, cron: sources.schedule[source] })
    await boss.work(name, { batchSize: 1, pollingIntervalSeconds: 2 }, async () => {
      log(`${source}: run starts`)
      try {
        const { summary } = await runSource(db, source, {
          sources,
          signal: controller.signal,
          onProgress: (message) => log(`${source}: ${message}`),
        })
        log(
          `${source}: ${summary.run.status} (+${summary.run.created} ~${summary.run.updated} =${summary.run.skipped} !${summary.run.failed})${summary.run.error ? ` ${summary.run.error}` : ''}`,
        )
      } catch (error) {
        // a refused run (another is alive) or missing credentials: recorded in the log; the next tick retries
        log(`${source}: not run: ${error instanceof Error ? error.message : String(error)}`)
      }
    })
  }
  await boss.createQueue(STANDING_QUEUE, STANDING_QUEUE_OPTIONS)
  await boss.createQueue(REFRESH_QUEUE, { name: REFRESH_QUEUE, policy: 'singleton', retryLimit: 0, expireInHours: 1 })
  await boss.schedule(REFRESH_QUEUE, REFRESH_CRON, {}, { tz: 'UTC' })
  jobs.push({ name: REFRESH_QUEUE, cron: REFRESH_CRON })
  await boss.work(REFRESH_QUEUE, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
    try {
      const { ranges, teamWeeks } = await drainDirtyWeeks(db)
      if (ranges.length > 0)
        log(
          `rollups: refreshed ${teamWeeks} team-weeks in ${ranges.map((range) => `${range.from}…${range.to}`).join(', ')}`,
        )
      // the web servers recompute what changed among the standing answers (they skip what is current)
      await boss.send(STANDING_QUEUE, {})
    } catch (error) {
      // the weeks stay queued; the next minute tries again
      log(`rollups: refresh failed, retried in a minute: ${messageOf(error)}`)
    }
  })
  return {
    jobs,
    trigger: (source) => boss.send(queueName(source), {}),
    refresh: () => boss.send(REFRESH_QUEUE, {}),
    async stop() {
      controller.abort('the scheduler is stopping')
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 })
    },
  }
}
