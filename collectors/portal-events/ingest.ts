// POST /api/ingest/portal-events: batches of portal usage events in Backstage's analytics event shape
// (action, subject, value, attributes, context), as a generic HTTP analytics forwarder sends them — either
// the bare events with a timestamp and user, or wrapped as { event, timestamp, user | userId }. A batch is
// all-or-nothing: every problem is reported with the event's index and field, and nothing is stored unless
// all events are valid (no control character in any text, no time before UPSHOT_EARLIEST_DATE or after
// tomorrow: collectors/plausible.ts). Each event is stored once: by its `eventId` when the sender gives one, else by a hash
// of its content, so a re-sent batch stores nothing twice.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { getDb, type Database } from '@/db/client'
import { bumpDataVersion } from '@/db/queries/data-version'
import { insertPortalEvents } from '@/db/queries/portal-events'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import { machineToken, verifyApiToken } from '@/db/queries/tokens'
import { boundsNow, rowProblems, timeProblem, type TimeBounds } from '@/collectors/plausible'
import { readBody } from '@/collectors/request-body'
import { messageOf } from '@/collectors/sync-run'

const MAX_EVENTS = 1000
export const MAX_BODY_BYTES = 1024 * 1024
export const SCOPE = 'portal-events'

const scalar = z.union([z.string(), z.number(), z.boolean()])
const analyticsEvent = z.object({
  action: z.string().min(1).max(200),
  subject: z.string().max(2000),
  value: z.number().finite().optional(),
  attributes: z.record(z.string(), scalar).optional(),
  context: z.record(z.string(), z.unknown()).default({}),
})
// A number is milliseconds since 1970 (JavaScript's Date.now()); one below 1e11 (before 1973) is surely seconds
// sent by mistake, and would be stored 50 years early: refused, naming the field.
const timestamp = z.union([
  z.iso.datetime({ offset: true }),
  z.number().int().min(1e11, 'must be milliseconds since 1970 (this looks like seconds)'),
])
const userField = z
  .union([
    z.string(),
    z.object({ entityRef: z.string().optional(), userEntityRef: z.string().optional(), id: z.string().optional() }),
  ])
  .optional()

const bare = analyticsEvent.extend({
  eventId: z.string().min(1).max(200).optional(),
  timestamp,
  user: userField,
  userId: z.string().optional(),
})
const wrapped = z.object({
  eventId: z.string().min(1).max(200).optional(),
  event: analyticsEvent,
  timestamp,
  user: userField,
  userId: z.string().optional(),
})
const batchSchema = z.union([z.array(z.unknown()), z.object({ events: z.array(z.unknown()) })])

export interface IngestResult {
  status: number
  body: { ok: boolean; accepted?: number; duplicates?: number; message?: string; problems?: string[] }
}

type Normalised = Parameters<typeof insertPortalEvents>[1][number]

/** Validates a whole batch; returns its events, or every problem found. `bounds`: the times accepted (default: as of now). */
export function parseBatch(
  raw: unknown,
  bounds: TimeBounds = boundsNow(),
): { events: Normalised[] } | { problems: string[] } {
  const batch = batchSchema.safeParse(raw)
  if (!batch.success) return { problems: ['the body must be a JSON array of events, or { "events": [...] }'] }
  const items = Array.isArray(batch.data) ? batch.data : batch.data.events
  if (items.length > MAX_EVENTS)
    return { problems: [`a batch holds at most ${MAX_EVENTS} events; this one has ${items.length}`] }
  const problems: string[] = []
  const events: Normalised[] = []
  items.forEach((item, index) => {
    // text first: a schema message may repeat the bad character
    const badText = rowProblems(item, bounds)
    if (badText.length) {
      for (const problem of badText)
        problems.push(
          `events[${index}]${problem.field.startsWith('[') ? '' : '.'}${problem.field || '(event)'}: ${problem.message}`,
        )
      return
    }
    const isWrapped = typeof item === 'object' && item !== null && 'event' in item
    const parsed = (isWrapped ? wrapped : bare).safeParse(item)
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 3))
        problems.push(`events[${index}].${issue.path.join('.') || '(event)'}: ${issue.message}`)
      return
    }
    const data = parsed.data
    const event = 'event' in data ? data.event : data
    const occurredAt = new Date(data.timestamp)
    if (Number.isNaN(occurredAt.getTime())) return void problems.push(`events[${index}].timestamp: not a time`)
    const implausible = timeProblem(occurredAt, 'event', bounds)
    if (implausible)
      return void problems.push(`events[${index}].timestamp: ${JSON.stringify(data.timestamp)} ${implausible}`)
    const userRef = userRefOf(data.user, data.userId, event.context)
    const pluginId = typeof event.context.pluginId === 'string' ? event.context.pluginId : null
    const context = Object.fromEntries(
      Object.entries(event.context).filter(([, value]) => typeof value === 'string'),
    ) as Record<string, string>
    const content = {
      action: event.action,
      subject: event.subject,
      value: event.value ?? null,
      attributes: event.attributes ?? {},
      context,
      userRef,
      occurredAt: occurredAt.toISOString(),
    }
    events.push({
      eventId: data.eventId ?? createHash('sha256').update(JSON.stringify(content)).digest('hex'),
      action: event.action,
      subject: event.subject,
      value: event.value ?? null,
      attributes: event.attributes ?? {},
      context,
      pluginId,
      userRef,
      login: userRef ? (userRef.split('/').pop() ?? null) : null,
      occurredAt,
    })
  })
  return problems.length ? { problems } : { events }
}

function userRefOf(
  user: z.infer<typeof userField>,
  userId: string | undefined,
  context: Record<string, unknown>,
): string | null {
  const ref = typeof user === 'string' ? user : (user?.userEntityRef ?? user?.entityRef ?? user?.id)
  const fromContext = typeof context.userEntityRef === 'string' ? context.userEntityRef : undefined
  return ref ?? userId ?? fromContext ?? null
}

/** The refusal for a caller without a valid portal-events token; null for one with. */
async function refuseCaller(db: Database, authorization: string | null): Promise<IngestResult | null> {
  const token = machineToken(authorization)
  if (token && (await verifyApiToken(db, { token, scope: SCOPE }))) return null
  return {
    status: 401,
    body: {
      ok: false,
      message:
        'A valid API token with the portal-events scope is required (Authorization: Bearer <token>, or Basic with the token as the password).',
    },
  }
}

/** Checks the caller's token and stores a batch. */
export async function ingestPortalEvents(
  db: Database,
  { authorization, body }: { authorization: string | null; body: string },
): Promise<IngestResult> {
  return (await refuseCaller(db, authorization)) ?? storeBatch(db, body)
}

async function storeBatch(db: Database, body: string): Promise<IngestResult> {
  let raw: unknown
  try {
    raw = JSON.parse(body)
  } catch {
    return { status: 400, body: { ok: false, message: 'The body is not JSON.' } }
  }
  const parsed = parseBatch(raw)
  if ('problems' in parsed)
    return {
      status: 400,
      body: {
        ok: false,
        message: 'Nothing was stored: the batch has problems.',
        problems: parsed.problems.slice(0, 50),
      },
    }
  const { inserted } = await db.transaction(async (tx) => {
    const written = await insertPortalEvents(tx, parsed.events)
    // pages read events beyond the weekly figures (unknown users, plugins): cached read models are stale at the commit
    if (written.inserted > 0) await bumpDataVersion(tx)
    return written
  })
  // the batch is stored and its weeks queued; a refresh that fails here is retried by the next drain
  if (inserted > 0)
    await drainDirtyWeeks(db).catch((error: unknown) =>
      console.error(
        `portal events: refreshing the weekly figures failed (queued for the next refresh): ${messageOf(error)}`,
      ),
    )
  return { status: 200, body: { ok: true, accepted: inserted, duplicates: parsed.events.length - inserted } }
}

/** The route's door: the token first (nothing is read for a caller without one), then the size limit, then the batch. */
export async function acceptPortalEvents(request: Request): Promise<Response> {
  const answer = (result: IngestResult) =>
    Response.json(result.body, { status: result.status, headers: { 'cache-control': 'no-store' } })
  const db = getDb()
  // the route's door (lib/auth/guard.ts, token access with this SCOPE) has checked the token already
  const bytes = await readBody(request, MAX_BODY_BYTES)
  if (!bytes)
    return answer({ status: 413, body: { ok: false, message: `A batch is at most ${MAX_BODY_BYTES} bytes.` } })
  return answer(await storeBatch(db, Buffer.from(bytes).toString('utf8')))
}
