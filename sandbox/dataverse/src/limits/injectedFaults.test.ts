import { InjectedFaults } from './injectedFaults';

const clock = (): { now: () => number; advance: (ms: number) => void } => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
};

describe('a throttle storm', () => {
  it('answers 429 with Retry-After in whole seconds, then holds every request of that user until it elapses', () => {
    const c = clock();
    const faults = new InjectedFaults({ now: c.now, random: () => 0 });
    faults.throttle({ userId: 'bridge', probability: 0.5, retryAfterSeconds: 2, durationMs: 10_000 });
    const first = faults.inject('bridge', 'POST /$batch').refuse;
    expect(first?.status).toBe(429);
    expect(first?.code).toBe('0x80072322');
    expect(first?.headers['Retry-After']).toBe('2');
    // Another user is not throttled by this user's storm.
    expect(faults.inject('coordinator', 'GET /accounts')).toEqual({});
    c.advance(1200);
    expect(faults.inject('bridge', 'GET /accounts').refuse?.headers['Retry-After']).toBe('1');
    c.advance(800);
    faults.clear();
    expect(faults.inject('bridge', 'GET /accounts')).toEqual({});
    expect(faults.counts.throttled).toBe(2);
  });

  it('records a request sent before the Retry-After elapsed, but not one already in flight (within the grace)', () => {
    const c = clock();
    const faults = new InjectedFaults({ now: c.now, random: () => 0, graceMs: 250 });
    faults.throttle({ probability: 1, retryAfterSeconds: 1, durationMs: 60_000 });
    faults.inject('bridge', 'POST /$batch');
    c.advance(20);
    faults.inject('bridge', 'GET /accounts');
    expect(faults.violations()).toEqual([]);
    c.advance(500);
    faults.inject('bridge', 'PATCH /accounts(1)');
    expect(faults.violations()).toEqual([{ userId: 'bridge', request: 'PATCH /accounts(1)', earlyByMs: 480, afterThrottleMs: 500 }]);
  });

  it('ends by itself after its duration', () => {
    const c = clock();
    const faults = new InjectedFaults({ now: c.now, random: () => 0 });
    faults.throttle({ probability: 1, retryAfterSeconds: 1, durationMs: 5000 });
    c.advance(5000);
    expect(faults.inject('bridge', 'GET /accounts')).toEqual({});
  });
});

describe('a 5xx burst', () => {
  it('fails the next N requests of the user before or after they run, then stops', () => {
    const faults = new InjectedFaults();
    faults.fail({ userId: 'bridge', status: 503, count: 2, phase: 'before' });
    faults.fail({ userId: 'bridge', status: 502, count: 1, phase: 'after' });
    expect(faults.inject('other', 'GET /x')).toEqual({});
    expect(faults.inject('bridge', 'GET /x').refuse?.status).toBe(503);
    expect(faults.inject('bridge', 'GET /x').refuse?.status).toBe(503);
    const after = faults.inject('bridge', 'POST /$batch');
    expect(after.refuse).toBeUndefined();
    expect(after.failAfter?.status).toBe(502);
    expect(faults.inject('bridge', 'GET /x')).toEqual({});
    expect(faults.counts).toEqual({ throttled: 0, failedBefore: 2, failedAfter: 1 });
  });

  it('passes after its window even when fewer requests came', () => {
    const c = clock();
    const faults = new InjectedFaults({ now: c.now });
    faults.fail({ status: 500, count: 3, phase: 'before', durationMs: 300 });
    expect(faults.inject('bridge', 'GET /x').refuse?.status).toBe(500);
    c.advance(300);
    expect(faults.inject('bridge', 'GET /x')).toEqual({});
  });

  it('refuses settings that make no sense', () => {
    const faults = new InjectedFaults();
    expect(() => faults.fail({ status: 500, count: 0, phase: 'before' })).toThrow(RangeError);
    expect(() => faults.throttle({ probability: 2, retryAfterSeconds: 1, durationMs: 1 })).toThrow(RangeError);
    expect(() => faults.throttle({ probability: 1, retryAfterSeconds: 0, durationMs: 1 })).toThrow(RangeError);
  });
});
