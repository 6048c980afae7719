// Read models cached per web process and stored in the database, keyed on what they were asked, the day, and
// the data version (one row that every committed change to what they read moves: db/queries/data-version.ts).
// At scale 20 a dashboard's read model pools a million pull requests' values and resamples them thousands of
// times; the answer changes only when data does (a sync completes, a rollup refresh, an admin's edit) or the
// day turns. So each request costs one indexed read of the version, and a figure is computed once per change,
// not once per viewer.
//
// Two levels. Each process keeps recent answers in memory. Every answer computed is also stored (read_models,
// db/queries/read-models.ts), so a process that has never seen a question (a restart, a second server behind
// the load balancer, the standing-answers job in lib/data/standing.ts) serves the answer another one computed,
// at the cost of one indexed read and a JSON parse. Standing pages (the Overview, an initiative, the one-pager,
// each page's unfiltered view) go further: after a change they wait at most a second for the new answer, then
// serve the stored one, marked with when it was computed, while the new one computes in the background; every
// other read waits for its answer. Server-only.
import 'server-only'
import { isMainThread } from 'node:worker_threads'
import { getDb, type Db } from '@/db/client'
import { getDataVersion } from '@/db/queries/data-version'
import { getStoredReadModel, storeReadModel } from '@/db/queries/read-models'
import { toIsoDate } from '@/lib/dates'
import { computeOffThread } from './compute-pool'
import { fromStoredJson, toStoredJson } from './stored-json'

/** Read models kept per process, least recently used dropped first. */
const CAPACITY = 64

/** When an answer was computed, and whether it is the answer for today's data. */
export interface Freshness {
  computedAt: Date
  /** False while a standing page shows its last answer and the one for newer data computes. */
  current: boolean
}

interface Answer {
  value: unknown
  computedAt: Date
}

interface Entry {
  version: number
  answer: Promise<Answer>
  settled: boolean
  /** A standing read's last stored answer, served while `answer` computes. */
  earlier?: Answer
}

const globalForCache = globalThis as unknown as { upshotReadCache?: Map<string, Entry>; upshotWorkerAsked?: boolean }
const entries = (globalForCache.upshotReadCache ??= new Map<string, Entry>())

/** A question a read model answers: its name, what it was asked (anything JSON can write), and how to compute it. */
export interface Question<T> {
  name: string
  inputs: unknown
  compute: () => Promise<T>
  /**
   * The arguments its builder was called with, where lib/data/questions.ts can build it again: then a web server
   * computes it on a worker thread (lib/data/compute-pool.ts) instead of the request thread.
   */
  args?: unknown
}

interface ReadOptions {
  db?: Db
  now?: Date
}

/**
 * The read model `name` for `inputs`, from memory or the store when the data has not changed since it was
 * computed. Concurrent requests for the same missing answer share one computation. The value is frozen:
 * pages share it, so none may change it. A failed computation is not kept.
 */
export async function cachedRead<T>(
  name: string,
  inputs: unknown,
  compute: () => Promise<T>,
  options: ReadOptions = {},
): Promise<T> {
  return (await read({ name, inputs, compute }, { ...options, standing: false })).value as T
}

/** A standing read model's answer with its freshness (null answers stay null: "no such initiative"). */
export type WithFreshness<T> = T extends object ? T & { freshness: Freshness } : T

/**
 * A standing page's read model with its freshness: as cachedRead, except that after a change, when the current
 * answer takes more than STANDING_WAIT_MS, the last stored one is served (`freshness.current` false) while the
 * current one computes in the background.
 */
export async function standingRead<T>(question: Question<T>, options: ReadOptions = {}): Promise<WithFreshness<T>> {
  const { value, computedAt, current } = await read(question, { ...options, standing: true })
  if (value === null || typeof value !== 'object') return value as WithFreshness<T>
  return { ...value, freshness: { computedAt, current } } as WithFreshness<T>
}

/**
 * A dashboard page's read: its unfiltered view (`standing`) is a standing answer, with its freshness; any
 * other view is a cached read, computed on its first request.
 */
export async function pageRead<T>(
  question: Question<T>,
  { standing }: { standing: boolean },
): Promise<T & { freshness?: Freshness }> {
  if (standing) return (await standingRead(question)) as T & { freshness: Freshness }
  return (await read(question, { standing: false })).value as T & { freshness?: Freshness }
}

/**
 * Makes sure the store holds the current answer to `question`, computing it when it does not: what the
 * standing-answers job runs after a rollup refresh. Returns whether it computed.
 */
export async function ensureStored<T>(question: Question<T>, options: ReadOptions = {}): Promise<boolean> {
  const db = options.db ?? getDb()
  const [version, stored] = await Promise.all([
    getDataVersion(db),
    getStoredReadModel(db, question.name, JSON.stringify(question.inputs ?? null)),
  ])
  if (stored && stored.dataVersion === version && stored.day === toIsoDate(options.now ?? new Date())) return false
  await read(question, { ...options, db, standing: false })
  return true
}

async function read(
  { name, inputs, compute, args }: Question<unknown>,
  { db = getDb(), now = new Date(), standing }: ReadOptions & { standing: boolean },
): Promise<Answer & { current: boolean }> {
  startWorkerOnce()
  const version = await getDataVersion(db)
  const day = toIsoDate(now)
  const inputsText = JSON.stringify(inputs ?? null)
  const key = `${name}|${day}|${inputsText}`
  const found = entries.get(key)
  if (found && found.version === version) {
    remember(key, found)
    if (standing && !found.settled && found.earlier) return answerWithin(found, found.earlier)
    return { ...(await found.answer), current: true }
  }

  const stored = await getStoredReadModel(db, name, inputsText)
  if (stored && stored.dataVersion === version && stored.day === day) {
    const answer = { value: deepFreeze(fromStoredJson(stored.value)), computedAt: stored.computedAt }
    remember(key, { version, answer: Promise.resolve(answer), settled: true })
    return { ...answer, current: true }
  }

  const earlier =
    standing && stored ? { value: deepFreeze(fromStoredJson(stored.value)), computedAt: stored.computedAt } : undefined
  const entry: Entry = {
    version,
    settled: false,
    earlier,
    answer: (args === undefined ? compute() : computeOffThread({ name, args }, compute)).then(async (value) => {
      const text = toStoredJson(value)
      const computedAt = new Date()
      try {
        await storeReadModel(db, { name, inputs: inputsText, dataVersion: version, day, value: text, computedAt })
      } catch (error) {
        // the answer is still right; only other processes miss it
        console.error(`read model ${name}: not stored: ${error instanceof Error ? error.message : String(error)}`)
      }
      entry.settled = true
      return { value: deepFreeze(value), computedAt }
    }),
  }
  remember(key, entry)
  entry.answer.catch((error: unknown) => {
    if (entries.get(key) === entry) entries.delete(key)
    if (earlier) console.error(`read model ${name}: ${error instanceof Error ? error.message : String(error)}`)
  })
  if (earlier) return answerWithin(entry, earlier)
  return { ...(await entry.answer), current: true }
}

/**
 * How long a standing page waits for the answer for the newest data before it shows its last one: long enough
 * that an organisation of a few hundred engineers (and an admin who has just saved a change) sees current
 * figures, short enough that at scale a visitor never waits on a recomputation.
 */
const STANDING_WAIT_MS = 1000

/** The entry's current answer if it arrives within STANDING_WAIT_MS, else the earlier one, marked as such. */
async function answerWithin(entry: Entry, earlier: Answer): Promise<Answer & { current: boolean }> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<null>((resolve) => (timer = setTimeout(resolve, STANDING_WAIT_MS, null)))
  try {
    const answer = await Promise.race([entry.answer.catch(() => null), late])
    return answer ? { ...answer, current: true } : { ...earlier, current: false }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * A web server on a real Postgres works the standing-answers queue (lib/data/standing.ts) from its first read
 * on; tests and scripts, outside Next, do not.
 */
function startWorkerOnce(): void {
  if (
    process.env.NEXT_RUNTIME !== 'nodejs' ||
    !isMainThread ||
    !process.env.DATABASE_URL ||
    globalForCache.upshotWorkerAsked
  )
    return
  globalForCache.upshotWorkerAsked = true
  void import('./standing').then((standing) => standing.startStandingWorker())
}

/** Forgets every answer this process holds, as a process just started would (tests of the store). */
export function forgetReadModels(): void {
  entries.clear()
}

function remember(key: string, entry: Entry): void {
  entries.delete(key)
  entries.set(key, entry)
  while (entries.size > CAPACITY) entries.delete(entries.keys().next().value as string)
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || value instanceof Date) return value
  for (const inner of Object.values(value)) deepFreeze(inner)
  return Object.freeze(value)
}
