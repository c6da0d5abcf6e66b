import { DataverseError } from '../protocol/errors';
import { REAL_LIMITS, ServiceProtection } from './serviceProtection';

function clock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

function refusal(fn: () => unknown): DataverseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataverseError) return e;
    throw e;
  }
  throw new Error('expected a 429');
}

describe('service protection limits', () => {
  it('answers the 6,001st request in five minutes with 429, the documented code and a Retry-After in seconds', () => {
    const c = clock();
    const p = new ServiceProtection(REAL_LIMITS, c.now);
    for (let i = 0; i < 6000; i += 1) {
      p.admit('user-a').done(1);
      c.advance(10); // 6,000 requests over 60 s
    }
    const e = refusal(() => p.admit('user-a'));
    expect(e.status).toBe(429);
    expect(e.code).toBe('0x80072322');
    // The first request leaves the window 300 s after it started; 60 s have passed.
    expect(e.headers['Retry-After']).toBe('240');
    // Another user is not affected: limits are per user.
    expect(() => p.admit('user-b')).not.toThrow();
  });

  it('lets the user back in once Retry-After has elapsed, not before', () => {
    const c = clock();
    const p = new ServiceProtection({ ...REAL_LIMITS, requests: 3 }, c.now);
    for (let i = 0; i < 3; i += 1) p.admit('u').done(1);
    const retryAfter = Number(refusal(() => p.admit('u')).headers['Retry-After']);
    c.advance(retryAfter * 1000 - 1000);
    expect(() => p.admit('u')).toThrow(DataverseError);
    c.advance(1000);
    expect(() => p.admit('u')).not.toThrow();
  });

  it('refuses at once beyond 52 concurrent requests and admits again when one finishes', () => {
    const p = new ServiceProtection(REAL_LIMITS, clock().now);
    const inFlight = Array.from({ length: 52 }, () => p.admit('u'));
    const e = refusal(() => p.admit('u'));
    expect(e.code).toBe('0x80072326');
    expect(e.headers['Retry-After']).toBeDefined();
    inFlight[0]?.done(5);
    expect(() => p.admit('u')).not.toThrow();
  });

  it('counts combined execution time: 20 minutes per 5-minute window', () => {
    const c = clock();
    const p = new ServiceProtection(REAL_LIMITS, c.now);
    p.admit('u').done(1_200_000);
    const e = refusal(() => p.admit('u'));
    expect(e.code).toBe('0x80072321');
    c.advance(300_001);
    expect(() => p.admit('u')).not.toThrow();
  });

  it('admits everything when limits are off', () => {
    const p = new ServiceProtection(null);
    for (let i = 0; i < 10_000; i += 1) p.admit('u');
    expect(p.enabled).toBe(false);
  });
});
