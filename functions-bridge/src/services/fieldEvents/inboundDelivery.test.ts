import { Webhook } from 'standardwebhooks';
import { MAX_EVENTS_PER_DELIVERY, packForQueue, parseDelivery, signingKeys, verifySignature } from './inboundDelivery';
import { ReplayGuard } from './replayGuard';

const OLD = `whsec_${Buffer.from('the-old-secret-of-thirty-two-by!').toString('base64')}`;
const NEW = `whsec_${Buffer.from('the-new-secret-of-thirty-two-by!').toString('base64')}`;
const event = { eventId: 'e-1', bookingId: '0B1D2C3E-0000-4000-8000-000000000001', stage: 'Onsite', occurredAt: '2027-03-02T09:12:00+11:00', sequence: 2 };

function headersFor(secret: string, body: string, at = new Date(), id = 'msg_1'): { get(name: string): string | null } {
  const h: Record<string, string> = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, body) };
  return { get: (name) => h[name] ?? null };
}

describe('signature', () => {
  it('accepts either secret while one is being rotated, and names the cause of a refusal', () => {
    const body = JSON.stringify(event);
    const keys = signingKeys(`${OLD} ${NEW}`);
    expect(verifySignature(keys, body, headersFor(OLD, body))).toEqual({ ok: true, deliveryId: 'msg_1' });
    expect(verifySignature(keys, body, headersFor(NEW, body))).toEqual({ ok: true, deliveryId: 'msg_1' });
    const other = `whsec_${Buffer.from('somebody-else-s-secret-32-bytes!').toString('base64')}`;
    expect(verifySignature(keys, body, headersFor(other, body))).toMatchObject({ ok: false, problem: { status: 401, title: 'Invalid signature' } });
    expect(verifySignature(keys, body, headersFor(NEW, body, new Date(Date.now() - 301_000)))).toMatchObject({ ok: false, problem: { status: 401, title: 'Stale or future timestamp' } });
    expect(verifySignature(keys, body, { get: () => null })).toMatchObject({ ok: false, problem: { status: 401, detail: expect.stringContaining('webhook-id, webhook-timestamp, webhook-signature') } });
  });

  it('has no keys without a secret (the endpoint then answers 503)', () => {
    expect(signingKeys(undefined)).toEqual([]);
    expect(signingKeys('  ')).toEqual([]);
  });
});

describe('body', () => {
  it('takes one event or an array, normalising the booking id', () => {
    expect(parseDelivery('d', JSON.stringify(event))).toMatchObject({ ok: true, events: [{ eventId: 'e-1', bookingId: '0b1d2c3e-0000-4000-8000-000000000001' }] });
    expect(parseDelivery('d', JSON.stringify([event, { ...event, eventId: 'e-2' }]))).toMatchObject({ ok: true, events: [{ eventId: 'e-1' }, { eventId: 'e-2' }] });
  });

  it('refuses what it cannot take, naming the event by pointer', () => {
    expect(parseDelivery('d', '[')).toMatchObject({ ok: false, problem: { status: 400, title: 'Malformed JSON' } });
    expect(parseDelivery('d', JSON.stringify(Array.from({ length: MAX_EVENTS_PER_DELIVERY + 1 }, () => event)))).toMatchObject({ ok: false, problem: { status: 413 } });
    const bad = parseDelivery('d', JSON.stringify([event, { ...event, sequence: -1 }]));
    expect(bad).toMatchObject({ ok: false, problem: { status: 400, errors: [{ pointer: '/1', detail: expect.stringContaining('negative') }] } });
  });
});

it('packs events into queue messages that stay under 64 KiB once base64-encoded', () => {
  const big = Array.from({ length: 100 }, (_, i) => ({ ...event, eventId: `e-${i}`, stage: 'Incomplete' as const, reason: 'x'.repeat(1900) }));
  const messages = packForQueue(big.map((e) => ({ ...e, bookingId: e.bookingId.toLowerCase() })));
  expect(messages.flat()).toHaveLength(100);
  for (const m of messages) expect(Buffer.from(JSON.stringify({ kind: 'fieldEvents', deliveryId: 'd', events: m, receivedOn: 'x' })).toString('base64').length).toBeLessThan(64 * 1024);
});

it('remembers delivery ids for the window only, within a bounded number of entries', () => {
  let now = 0;
  const guard = new ReplayGuard(600_000, 3, () => now);
  guard.remember('a');
  expect(guard.has('a')).toBe(true);
  now = 600_001;
  expect(guard.has('a')).toBe(false);
  for (const id of ['b', 'c', 'd', 'e']) guard.remember(id);
  expect(guard.size).toBeLessThanOrEqual(3);
  expect(guard.has('e')).toBe(true);
});
