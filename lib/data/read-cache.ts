// Read models cached per web process, keyed on what they were asked, the day, and the data version (one
// row that every committed change to what they read moves: db/queries/data-version.ts). At scale 20 a
// dashboard's read model pools a million pull requests' values and resamples them thousands of times; the
// answer changes only when data does (a sync completes, a rollup refresh, an admin's edit) or the day turns.
// So each request costs one indexed read of the version, and a figure is computed once per change, not once
// per viewer. Several processes behind a load balancer each keep their own copy and each see the same
// version, so none serves a stale figure. Server-only.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { getDataVersion } from '@/db/queries/data-version'
import { toIsoDate } from '@/lib/dates'

/** Read models kept per process, least recently used dropped first. */
const CAPACITY = 64

interface Entry {
  version: number
  value: Promise<unknown>
}

const globalForCache = globalThis as unknown as { upshotReadCache?: Map<string, Entry> }
const entries = (globalForCache.upshotReadCache ??= new Map<string, Entry>())

/**
 * The read model `name` for `inputs` (anything JSON can write: filters, an id), from the cache when the data
 * has not changed since it was computed. Concurrent requests for the same missing entry share one
 * computation. The value is frozen: pages share it, so none may change it. A failed computation is not kept.
 */
export async function cachedRead<T>(
  name: string,
  inputs: unknown,
  compute: () => Promise<T>,
  { db = getDb(), now = new Date() }: { db?: Db; now?: Date } = {},
): Promise<T> {
  const version = await getDataVersion(db)
  const key = `${name}|${toIsoDate(now)}|${JSON.stringify(inputs ?? null)}`
  const found = entries.get(key)
  if (found && found.version === version) {
    entries.delete(key)
    entries.set(key, found)
    return found.value as Promise<T>
  }
  const value = compute().then(deepFreeze)
  const entry: Entry = { version, value }
  entries.delete(key)
  entries.set(key, entry)
  while (entries.size > CAPACITY) entries.delete(entries.keys().next().value as string)
  value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key)
  })
  return value
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || value instanceof Date) return value
  for (const inner of Object.values(value)) deepFreeze(inner)
  return Object.freeze(value)
}
