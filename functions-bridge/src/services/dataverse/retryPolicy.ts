/**
 * When to retry a Dataverse request. Service protection (api-limits): a 429 carries `Retry-After` in seconds and
 * the client must not send the next request before it elapses. Transient faults (408, 502, 503, 504, connection
 * resets) retry with exponential back-off and jitter. Everything else fails at once.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** The longest Retry-After the bridge will sit out in-process; beyond it the message is retried by the queue. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 15_000, maxRetryAfterMs: 5 * 60_000 };

const TRANSIENT_STATUS = new Set([408, 502, 503, 504]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'EAI_AGAIN']);

export interface FailedAttempt {
  status?: number;
  retryAfterSeconds?: number;
  networkCode?: string;
}

/** Milliseconds to wait before the next attempt, or undefined to give up. */
export function nextDelay(failure: FailedAttempt, attempt: number, options: RetryOptions, random: () => number = Math.random): number | undefined {
  if (attempt >= options.maxAttempts) return undefined;
  if (failure.status === 429) {
    const ms = (failure.retryAfterSeconds ?? 1) * 1000;
    return ms <= options.maxRetryAfterMs ? ms : undefined;
  }
  const transient = (failure.status !== undefined && TRANSIENT_STATUS.has(failure.status)) || (failure.networkCode !== undefined && TRANSIENT_CODES.has(failure.networkCode));
  if (!transient) return undefined;
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Retry-After may be seconds or an HTTP date (RFC 9110); Dataverse sends seconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
