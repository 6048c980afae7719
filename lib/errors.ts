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

/** Postgres "unique_violation" (23505), however the driver wraps it. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && ((error as { code?: string }).code === '23505' || (error.cause instanceof Error && (error.cause as { code?: string }).code === '23505'))
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
