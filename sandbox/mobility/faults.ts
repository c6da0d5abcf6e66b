/**
 * Injected failures of the mobility app, applied to every `/v1/` request (never to `/__admin/`):
 * - `fail`: answer `status` (default 503) with a problem body and, when given, `Retry-After`; with `count`, only the
 *   next `count` requests, then the app recovers by itself;
 * - `hang`: read the request, never answer (the client must time out; `close()` still ends the connection);
 * - `slow`: wait `delayMs`, then process and answer normally — even when the client gave up meanwhile, as a real
 *   server would, so a retry with the same Idempotency-Key meets the stored result;
 * - `drop`: destroy the connection without an answer (with `count`, only the next `count` requests);
 * - `none`: healthy.
 */

export type Fault =
  | { readonly mode: 'none' }
  | { readonly mode: 'fail'; readonly status?: number; readonly count?: number; readonly retryAfterSeconds?: number }
  | { readonly mode: 'hang' }
  | { readonly mode: 'slow'; readonly delayMs: number }
  | { readonly mode: 'drop'; readonly count?: number };

export type FaultMode = Fault['mode'];

const MODES: readonly FaultMode[] = ['none', 'fail', 'hang', 'slow', 'drop'];
const MAX_DELAY_MS = 600_000;

type Parsed = { readonly ok: true; readonly fault: Fault } | { readonly ok: false; readonly problem: string };

function positiveCount(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isInteger(value) && value >= 1);
}

/** Checks a fault as the admin endpoint receives it (JSON) or a test passes it. */
export function parseFault(input: unknown): Parsed {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, problem: 'A fault is a JSON object with a mode.' };
  const f = input as Record<string, unknown>;
  const mode = f['mode'];
  if (!MODES.includes(mode as FaultMode)) return { ok: false, problem: `mode ${JSON.stringify(mode)} is not a fault mode; use one of ${MODES.join(', ')}.` };
  switch (mode as FaultMode) {
    case 'none':
      return { ok: true, fault: { mode: 'none' } };
    case 'hang':
      return { ok: true, fault: { mode: 'hang' } };
    case 'slow': {
      const delayMs = f['delayMs'];
      if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
        return { ok: false, problem: `slow needs delayMs, a number of milliseconds from 0 to ${MAX_DELAY_MS}.` };
      }
      return { ok: true, fault: { mode: 'slow', delayMs } };
    }
    case 'fail': {
      const status = f['status'] ?? 503;
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) return { ok: false, problem: 'fail needs status, an HTTP error status from 400 to 599 (default 503).' };
      if (!positiveCount(f['count'])) return { ok: false, problem: 'count must be a whole number of requests, 1 or more (omit it to fail until changed).' };
      const retry = f['retryAfterSeconds'];
      if (retry !== undefined && (typeof retry !== 'number' || !Number.isInteger(retry) || retry < 0)) return { ok: false, problem: 'retryAfterSeconds must be a whole number of seconds, 0 or more.' };
      return {
        ok: true,
        fault: { mode: 'fail', status, ...(f['count'] !== undefined ? { count: f['count'] as number } : {}), ...(retry !== undefined ? { retryAfterSeconds: retry } : {}) },
      };
    }
    case 'drop':
      if (!positiveCount(f['count'])) return { ok: false, problem: 'count must be a whole number of requests, 1 or more (omit it to drop until changed).' };
      return { ok: true, fault: { mode: 'drop', ...(f['count'] !== undefined ? { count: f['count'] as number } : {}) } };
  }
}

/** The current fault; `take` applies it to one request and counts it down. */
export class FaultState {
  private fault: Fault = { mode: 'none' };

  /** The fault now in force; `count` is what is left of it. */
  current(): Fault {
    return this.fault;
  }

  set(fault: Fault): void {
    const parsed = parseFault(fault);
    if (!parsed.ok) throw new RangeError(`setFault: ${parsed.problem}`);
    this.fault = parsed.fault;
  }

  /** The fault for the next API request. */
  take(): Fault {
    const fault = this.fault;
    if ((fault.mode === 'fail' || fault.mode === 'drop') && fault.count !== undefined) {
      this.fault = fault.count > 1 ? { ...fault, count: fault.count - 1 } : { mode: 'none' };
    }
    return fault;
  }
}
