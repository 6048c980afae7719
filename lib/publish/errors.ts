// A delivery that did not go through: what the receiving server answered, in words safe for a log line, the
// deliveries page and a stored attempt. The message never carries a secret (an SMTP password, a Slack token, a
// webhook URL, which is itself a credential); the channels redact them before they build one.
import { UpshotError } from '@/lib/errors'

export type DeliveryChannel = 'email' | 'slack'

export class DeliveryError extends UpshotError {
  readonly channel: DeliveryChannel
  /**
   * Whether sending again as it is can succeed (a 4xx SMTP reply, a Slack 5xx or rate limit, a timeout), or the
   * settings must change first (a rejected password, a 5xx SMTP reply, an unknown channel, a revoked token).
   */
  readonly retryable: boolean
  /** Seconds the receiver asked to wait before the next try (Slack's Retry-After), when it said. */
  readonly retryAfterSeconds: number | null

  constructor(
    channel: DeliveryChannel,
    message: string,
    options: { retryable: boolean; retryAfterSeconds?: number | null; hint?: string },
  ) {
    // no `cause`: an upstream error (nodemailer's, fetch's) may quote what it was given, credentials included
    super('unavailable', message, { hint: options.hint })
    this.name = 'DeliveryError'
    this.channel = channel
    this.retryable = options.retryable
    this.retryAfterSeconds = options.retryAfterSeconds ?? null
  }
}

export function isDeliveryError(value: unknown): value is DeliveryError {
  return value instanceof DeliveryError
}

/** `text` with every occurrence of each secret (and of its URL-encoded form) replaced by "[redacted]". */
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text
  const forms = secrets
    .filter((secret): secret is string => typeof secret === 'string' && secret.length >= 3)
    .flatMap((secret) => [secret, encodeURIComponent(secret)])
    // longest first, so a secret that contains another is replaced whole
    .sort((a, b) => b.length - a.length)
  for (const form of forms) out = out.split(form).join('[redacted]')
  return out
}

/**
 * The longest a delivery job holds its worker to honour a Retry-After: the worker sends one delivery at a time,
 * so a longer wait would hold back every other; well inside a job's expiry (ATTEMPT_TIME_LIMIT_MINUTES).
 */
export const MAX_RETRY_AFTER_WAIT_SECONDS = 300

/**
 * How long to wait, before handing a failure back to the queue, so that the next try comes no sooner than the
 * receiver asked (Slack's Retry-After), up to MAX_RETRY_AFTER_WAIT_SECONDS: the part of the wait the queue's own
 * delay does not already cover. The queue (pg-boss) waits at least the job's `retryDelay`, × 2^`retryCount` with
 * `retryBackoff` (`retryCount` counts this try's retries, as the job the worker holds says).
 */
export function waitBeyondBackoff(
  error: unknown,
  { retryDelay, retryBackoff, retryCount }: { retryDelay: number; retryBackoff: boolean; retryCount: number },
): number {
  if (!isDeliveryError(error) || !error.retryable || error.retryAfterSeconds === null) return 0
  const backoff = retryBackoff ? retryDelay * 2 ** retryCount : retryDelay
  return Math.min(MAX_RETRY_AFTER_WAIT_SECONDS, Math.max(0, error.retryAfterSeconds - backoff))
}
