// One error type for the whole app. A code says what kind of failure it is and maps to an HTTP status;
// the message is safe to show; `cause` is for logs only and never leaves the server.
// (Leaf module: imports nothing of ours, so db/ and collectors/ may use it.)

const statusByCode = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  config: 500,
  internal: 500,
} as const

export type ErrorCode = keyof typeof statusByCode

export class UpshotError extends Error {
  readonly code: ErrorCode
  readonly status: number
  /** What the reader can do about it, shown after the message. */
  readonly hint?: string

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, { cause: options.cause })
    this.name = 'UpshotError'
    this.code = code
    this.status = statusByCode[code]
    this.hint = options.hint
  }
}

/** The Postgres error behind `error` (drizzle wraps the driver's in "Failed query: <the statement>"), if any. */
function databaseError(error: unknown): (Error & { code: string; detail?: string }) | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code
    // a SQLSTATE: five characters, its class a digit or F, H, P, X (Node's own codes, EPIPE, start with E)
    if (typeof code === 'string' && /^[0-9FHPX][0-9A-Z]{4}$/.test(code))
      return current as Error & { code: string; detail?: string }
  }
  return null
}

/** The SQLSTATE of the Postgres error behind `error`, however the driver wraps it; null for other errors. */
export function databaseErrorCode(error: unknown): string | null {
  return databaseError(error)?.code ?? null
}

/** Postgres "unique_violation" (23505), however the driver wraps it. */
export function isUniqueViolation(error: unknown): boolean {
  return databaseErrorCode(error) === '23505'
}

/** A deadlock or a serialization failure: the transaction may simply be tried again. */
export function isRetryableDatabaseError(error: unknown): boolean {
  const code = databaseErrorCode(error)
  return code === '40P01' || code === '40001'
}

/**
 * What went wrong, for a log line or a stored run error: for a database error, Postgres' own message, its code
 * and detail, never the statement drizzle wraps it in (which quotes the data, and buries the cause).
 */
export function describeError(error: unknown): string {
  // our own errors say what happened in their message; their cause is for the log line that wants it
  if (error instanceof UpshotError) return error.message
  const database = databaseError(error)
  if (database)
    return `database: ${database.message} (${database.code}${database.detail ? `: ${database.detail}` : ''})`
  if (error instanceof Error && error.message.startsWith('Failed query') && error.cause instanceof Error)
    return `database: ${error.cause.message}`
  return error instanceof Error ? error.message : String(error)
}

export function isUpshotError(value: unknown): value is UpshotError {
  return value instanceof UpshotError
}

/** What a response may say about an error: our own messages as they are, anything else as "internal". */
export function publicError(error: unknown): { code: ErrorCode; message: string; status: number } {
  if (isUpshotError(error) && error.code !== 'internal') {
    const message = error.hint ? `${error.message} ${error.hint}` : error.message
    return { code: error.code, message, status: error.status }
  }
  return { code: 'internal', message: 'Something went wrong on our side; the server log has the details.', status: 500 }
}
