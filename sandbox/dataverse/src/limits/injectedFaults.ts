/**
 * Faults a test injects into the local Dataverse, on top of its real service protection limits, to prove a client
 * survives what the real service does under load:
 *
 * - a **throttle storm**: for a while, a request is answered 429 with `Retry-After` (in seconds, as Dataverse sends
 *   it) with the given probability; once a user has been told to wait, every request of that user is answered 429
 *   until the Retry-After has elapsed, as the service protection limits do;
 * - **5xx bursts**: the next N requests (within a time window, when given) fail with 500, 502, 503 or 504, either
 *   `before` they run (nothing happened) or `after` (the change is committed and the answer is lost, as when a
 *   gateway drops it);
 * - **Retry-After violations**: a request that arrives while its user must still wait is recorded, unless it arrives
 *   within a grace after the 429 was sent — such a request was already on its way when the client learned of it.
 *
 * A refused request is not counted as a request by the limits (Dataverse counts what it executes).
 */
import { DataverseError, errors } from '../protocol/errors';

export interface ThrottleStorm {
  /** Only this user's requests (systemuserid); all users when omitted. */
  readonly userId?: string;
  /** Chance that an admitted request starts a throttle (0–1). */
  readonly probability: number;
  readonly retryAfterSeconds: number;
  readonly durationMs: number;
}

export interface FailureBurst {
  readonly userId?: string;
  readonly status: 500 | 502 | 503 | 504;
  readonly count: number;
  /** `before`: refused unexecuted; `after`: executed, then answered with the error. */
  readonly phase: 'before' | 'after';
  /** The burst passes after this long even if fewer than `count` requests came (default: it waits for them). */
  readonly durationMs?: number;
}

export interface RetryAfterViolation {
  readonly userId: string;
  /** `METHOD /path` without the query string. */
  readonly request: string;
  /** How long before the Retry-After elapsed it arrived (ms). */
  readonly earlyByMs: number;
  /** How long after the 429 was sent it arrived (ms). */
  readonly afterThrottleMs: number;
}

export interface InjectedFaultCounts {
  throttled: number;
  failedBefore: number;
  failedAfter: number;
}

export interface Injection {
  /** Answer this error instead of running the request. */
  readonly refuse?: DataverseError;
  /** Run the request, then answer this error. */
  readonly failAfter?: DataverseError;
}

const FAILURES: Record<FailureBurst['status'], { code: string; message: string }> = {
  500: { code: '0x80040216', message: 'An unexpected error occurred (injected by the local Dataverse).' },
  502: { code: '0x80072322', message: 'Bad gateway: the request did not get an answer from the service (injected by the local Dataverse).' },
  503: { code: '0x80072321', message: 'The service is temporarily unavailable (injected by the local Dataverse).' },
  504: { code: '0x80072323', message: 'Gateway timeout (injected by the local Dataverse).' },
};

export class InjectedFaults {
  readonly counts: InjectedFaultCounts = { throttled: 0, failedBefore: 0, failedAfter: 0 };
  private readonly recorded: RetryAfterViolation[] = [];
  private storm?: ThrottleStorm & { readonly until: number };
  private bursts: (FailureBurst & { left: number; until: number })[] = [];
  /** Per user: until when it must wait, and when it was last told so. */
  private readonly blocked = new Map<string, { until: number; toldAt: number }>();

  constructor(
    private readonly options: { readonly graceMs?: number; readonly now?: () => number; readonly random?: () => number } = {},
  ) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  throttle(storm: ThrottleStorm): void {
    if (!(storm.probability >= 0 && storm.probability <= 1)) throw new RangeError('probability must be from 0 to 1');
    if (!(storm.retryAfterSeconds >= 1)) throw new RangeError('retryAfterSeconds must be at least 1 (Dataverse sends whole seconds)');
    this.storm = { ...storm, until: this.now + storm.durationMs };
  }

  fail(burst: FailureBurst): void {
    if (!(burst.count >= 1)) throw new RangeError('count must be at least 1');
    this.bursts.push({ ...burst, left: burst.count, until: burst.durationMs === undefined ? Infinity : this.now + burst.durationMs });
  }

  /** Ends the storm and the bursts (users already told to wait still wait). */
  clear(): void {
    this.storm = undefined;
    this.bursts = [];
  }

  violations(): readonly RetryAfterViolation[] {
    return this.recorded;
  }

  /** What to do with a request of `userId`; `request` is `METHOD /path` for the record. */
  inject(userId: string, request: string): Injection {
    const now = this.now;
    const block = this.blocked.get(userId);
    if (block && now < block.until) {
      const afterThrottleMs = now - block.toldAt;
      if (afterThrottleMs > (this.options.graceMs ?? 250)) this.recorded.push({ userId, request, earlyByMs: block.until - now, afterThrottleMs });
      block.toldAt = now;
      this.counts.throttled += 1;
      return { refuse: throttled(Math.ceil((block.until - now) / 1000)) };
    }
    const storm = this.storm;
    if (storm && now < storm.until && (storm.userId === undefined || storm.userId === userId) && (this.options.random ?? Math.random)() < storm.probability) {
      this.blocked.set(userId, { until: now + storm.retryAfterSeconds * 1000, toldAt: now });
      this.counts.throttled += 1;
      return { refuse: throttled(storm.retryAfterSeconds) };
    }
    this.bursts = this.bursts.filter((b) => now < b.until);
    const burst = this.bursts.find((b) => b.left > 0 && (b.userId === undefined || b.userId === userId));
    if (burst) {
      burst.left -= 1;
      if (burst.left === 0) this.bursts = this.bursts.filter((b) => b !== burst);
      const { code, message } = FAILURES[burst.status];
      const error = new DataverseError(burst.status, code, message);
      if (burst.phase === 'before') {
        this.counts.failedBefore += 1;
        return { refuse: error };
      }
      this.counts.failedAfter += 1;
      return { failAfter: error };
    }
    return {};
  }
}

function throttled(seconds: number): DataverseError {
  const e = errors.tooManyRequests();
  return new DataverseError(e.status, e.code, e.message, { ...e.headers, 'Retry-After': String(Math.max(1, seconds)) });
}
