/**
 * Service protection limits, per user, over a sliding window (api-limits): by default 6,000 requests and
 * 1,200,000 ms of combined execution time per 300 s, and 52 concurrent requests. Exceeding the request or time
 * limit answers 429 with `Retry-After` in seconds until the window lets the user in again; exceeding concurrency
 * answers 429 at once. A `$batch` counts as one request but adds its whole execution time.
 */
import { DataverseError, errors } from '../protocol/errors';

export interface LimitSettings {
  readonly requests: number;
  readonly executionMs: number;
  readonly windowMs: number;
  readonly concurrent: number;
}

export const REAL_LIMITS: LimitSettings = { requests: 6000, executionMs: 1_200_000, windowMs: 300_000, concurrent: 52 };

interface UserWindow {
  /** Start times of counted requests, oldest first. */
  starts: number[];
  /** [end time, duration] of finished requests, oldest first. */
  executions: [number, number][];
  executionTotal: number;
  inFlight: number;
}

export interface Admission {
  /** Call when the request has finished, with how long it executed. */
  done(executionMs: number): void;
}

export class ServiceProtection {
  private readonly users = new Map<string, UserWindow>();
  /** Requests refused with 429, by code, for tests and benchmarks. */
  readonly refused = { requests: 0, executionTime: 0, concurrency: 0 };

  constructor(
    private readonly settings: LimitSettings | null,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get enabled(): boolean {
    return this.settings !== null;
  }

  private window(userId: string): UserWindow {
    let w = this.users.get(userId);
    if (!w) {
      w = { starts: [], executions: [], executionTotal: 0, inFlight: 0 };
      this.users.set(userId, w);
    }
    return w;
  }

  /** Admits a request or throws the 429 DataverseError (with Retry-After) Dataverse would answer. */
  admit(userId: string): Admission {
    const s = this.settings;
    if (!s) return { done: () => undefined };
    const w = this.window(userId);
    const now = this.now();
    const from = now - s.windowMs;
    while (w.starts.length && (w.starts[0] as number) <= from) w.starts.shift();
    while (w.executions.length && (w.executions[0] as [number, number])[0] <= from) {
      w.executionTotal -= (w.executions.shift() as [number, number])[1];
    }
    if (w.inFlight >= s.concurrent) {
      this.refused.concurrency += 1;
      throw withRetryAfter(errors.concurrencyExceeded(s.concurrent), 1);
    }
    if (w.starts.length >= s.requests) {
      this.refused.requests += 1;
      throw withRetryAfter(errors.tooManyRequests(s.requests, s.windowMs / 1000), Math.ceil(((w.starts[0] as number) + s.windowMs - now) / 1000));
    }
    if (w.executionTotal >= s.executionMs) {
      this.refused.executionTime += 1;
      throw withRetryAfter(errors.executionTimeExceeded(s.executionMs, s.windowMs / 1000), Math.ceil(((w.executions[0] as [number, number])[0] + s.windowMs - now) / 1000));
    }
    w.starts.push(now);
    w.inFlight += 1;
    let finished = false;
    return {
      done: (executionMs: number) => {
        if (finished) return;
        finished = true;
        w.inFlight -= 1;
        w.executions.push([this.now(), executionMs]);
        w.executionTotal += executionMs;
      },
    };
  }

  /** The debug headers Dataverse adds (x-ms-ratelimit-*-remaining-xrm-requests); clients must not depend on them. */
  remaining(userId: string): Record<string, string> {
    const s = this.settings;
    if (!s) return {};
    const w = this.window(userId);
    return {
      'x-ms-ratelimit-burst-remaining-xrm-requests': String(Math.max(0, s.requests - w.starts.length)),
      'x-ms-ratelimit-time-remaining-xrm-requests': String(Math.max(0, Math.round((s.executionMs - w.executionTotal) / 1000))),
    };
  }
}

function withRetryAfter(e: DataverseError, seconds: number): DataverseError {
  return new DataverseError(e.status, e.code, e.message, { ...e.headers, 'Retry-After': String(Math.max(1, seconds)) });
}
