// Standing answers: the questions every visitor asks first (the Overview, each initiative, the one-pager, and
// the unfiltered view of each dashboard page), computed once after each change and stored
// (lib/data/read-cache.ts), so their pages open at the speed of one indexed read instead of seconds of
// resampling. A job on pg-boss computes them: the scheduler sends it after every rollup refresh
// (collectors/schedule.ts), and every web process on a real Postgres works the queue, one job at a time across
// all of them (the queue's singleton policy), so several servers share the work without repeating it. A page
// asked before the job has finished waits a second for its answer, then serves the last one, saying when it
// was computed. Server-only.
import 'server-only'
import PgBoss from 'pg-boss'
import { getDb, type Db } from '@/db/client'
import { listInitiatives } from '@/db/queries/initiatives'
import { pruneReadModels, STANDING_QUEUE, STANDING_QUEUE_OPTIONS } from '@/db/queries/read-models'
import { adoptionQuestion } from './adoption'
import { deliveryQuestion } from './delivery'
import { experienceQuestion } from './experience'
import { flowQuestion } from './flow'
import { initiativeQuestion } from './initiative'
import { onboardingQuestion } from './onboarding'
import { overviewQuestion } from './overview'
import { getPageFilters } from './page-filters'
import { ensureStored, type Question } from './read-cache'
import { reportQuestion } from './report'

/** Every standing question: the unfiltered Overview and one-pager, every initiative, and each page's unfiltered view. */
export async function standingQuestions(db: Db = getDb()): Promise<Question<unknown>[]> {
  const [initiatives, { filters }] = await Promise.all([listInitiatives(db), getPageFilters('', { db })])
  return [
    overviewQuestion({}, { db }),
    reportQuestion({ db }),
    ...initiatives.map((initiative) => initiativeQuestion(initiative.id, { db })),
    // each dashboard page's unfiltered view, asked with the filters the page resolves for no parameters
    deliveryQuestion(filters, { db }),
    flowQuestion(filters, { db }),
    onboardingQuestion(filters, { db }),
    experienceQuestion(filters, { db }),
    adoptionQuestion(filters, { db }),
  ] as Question<unknown>[]
}

export interface StandingRefresh {
  name: string
  inputs: unknown
  computed: boolean
  ms: number
}

/** Computes and stores every standing answer the store does not hold for the current data, one at a time. */
export async function refreshStandingAnswers({ db = getDb() }: { db?: Db } = {}): Promise<StandingRefresh[]> {
  const done: StandingRefresh[] = []
  for (const question of await standingQuestions(db)) {
    const started = performance.now()
    const computed = await ensureStored(question, { db })
    done.push({ name: question.name, inputs: question.inputs, computed, ms: Math.round(performance.now() - started) })
  }
  return done
}

const globalForWorker = globalThis as unknown as { upshotStandingWorker?: Promise<PgBoss | null> }

/**
 * Works the standing-answers queue in this web process (once per process; on a real Postgres only: the
 * embedded demo has one process and computes its standing answers when first asked).
 */
export function startStandingWorker(url = process.env.DATABASE_URL): Promise<PgBoss | null> {
  if (!url) return Promise.resolve(null)
  globalForWorker.upshotStandingWorker ??= (async () => {
    const boss = new PgBoss({
      connectionString: url,
      schema: 'pgboss',
      application_name: 'upshot-standing-answers',
      max: 2,
      supervise: false,
      schedule: false,
    })
    boss.on('error', (error: Error) => console.error(`standing answers queue: ${error.message}`))
    await boss.start()
    await boss.createQueue(STANDING_QUEUE, STANDING_QUEUE_OPTIONS)
    await boss.work(STANDING_QUEUE, { batchSize: 1, pollingIntervalSeconds: 2 }, async () => {
      const refreshed = await refreshStandingAnswers()
      // answers to filters nobody has needed recomputed for two weeks
      await pruneReadModels(getDb())
      const computed = refreshed.filter((answer) => answer.computed)
      if (computed.length > 0)
        console.info(
          `standing answers: ${computed.map((answer) => `${answer.name}${typeof answer.inputs === 'number' ? ` ${answer.inputs}` : ''} ${answer.ms} ms`).join(', ')}`,
        )
    })
    return boss
  })().catch((error: unknown) => {
    console.error(
      `standing answers: the worker did not start: ${error instanceof Error ? error.message : String(error)}`,
    )
    return null
  })
  return globalForWorker.upshotStandingWorker
}
