/**
 * The inbound endpoint (POST /api/mobility/events) fuzzed with fast-check while real deliveries keep arriving:
 * malformed bodies (random text and bytes, truncated or wrongly shaped JSON, deep nesting, prototype keys, every
 * field of an event given a wrong value, too many events), oversize bodies, forged requests (another secret, a body
 * changed after signing, a signature for another id or time, missing or garbage headers, stale or future timestamps),
 * other media types and methods, and replays of accepted deliveries. Every hostile request must get a 4xx — never a
 * 2xx, a 5xx or no answer — and nothing from it may be written; every valid delivery sent meanwhile is accepted and
 * recorded exactly once; the secret and the signatures never reach the bridge's log.
 */
import fc from 'fast-check';
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { syncAndBook } from '../bridge/fieldSupport';
import { eventually, noMobility, peekQueue, registerTaskSyncWebhook, SIGNING_SECRET, startBridgeStack, type BridgeStack } from '../bridge/support';
import { FULL, sized } from './faultMode';
import { rows } from './fieldRig';

type Row = Record<string, unknown>;
const RUNS = sized(300, 3000);
const TIME_LIMIT_MS = sized(40_000, 180_000);
const LIMIT = 256 * 1024;

let stack: BridgeStack;
let bookings: string[];
const log: string[] = [];
const signer = new Webhook(SIGNING_SECRET);

beforeAll(async () => {
  stack = await startBridgeStack({ compose: () => ({ factories: { mobility: () => noMobility } }) });
  await registerTaskSyncWebhook(stack.api, stack.host.url);
  bookings = (await syncAndBook(stack, 2)).flatMap((t) => t.workOrders.map((w) => w.bookingId));
}, 120_000);
afterAll(async () => {
  console.log(`inboundEndpointFuzz (${FULL ? 'full' : 'reduced'}):\n  ${log.join('\n  ')}`);
  await stack?.stop();
});

interface Attempt {
  readonly category: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Signed headers for a body, as the app sends them. */
function signed(body: string, options: { id?: string; at?: Date; secret?: Webhook } = {}): Record<string, string> {
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': (options.secret ?? signer).sign(id, at, body) };
}

const event = (bookingId: string, over: Row = {}): Row => ({ eventId: randomUUID(), bookingId, stage: 'Acknowledged', occurredAt: new Date().toISOString(), sequence: 0, ...over });

// ---- hostile requests -----------------------------------------------------------------------------------------

const bookingIndex = fc.nat({ max: 1000 });
const notAString = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.constant({}), fc.constant([]), fc.double());
const wrongField = fc.oneof(
  fc.record({ field: fc.constant('eventId'), value: fc.oneof(notAString, fc.constant(''), fc.constant('x'.repeat(101))) }),
  fc.record({ field: fc.constant('bookingId'), value: fc.oneof(notAString, fc.string(), fc.constant(randomUUID())) }),
  fc.record({ field: fc.constant('stage'), value: fc.oneof(notAString, fc.string().filter((s) => !['Acknowledged', 'Travel', 'Onsite', 'InProgress', 'Complete', 'Incomplete'].includes(s))) }),
  fc.record({ field: fc.constant('occurredAt'), value: fc.oneof(notAString, fc.constantFrom('2027-02-30T10:00:00Z', 'yesterday', '', '2027-13-01T00:00:00Z', '10:00')) }),
  fc.record({ field: fc.constant('sequence'), value: fc.oneof(fc.constant(null), fc.constant('1'), fc.constant(-1), fc.constant(1.5), fc.constant(Number.MAX_SAFE_INTEGER * 4)) }),
  fc.record({ field: fc.constant('reason'), value: fc.oneof(fc.constant(42), fc.string({ minLength: 1 })) }),
);

const malformed: fc.Arbitrary<Attempt> = fc
  .oneof(
    fc.string().map((s) => ['random text', s] as const),
    fc.uint8Array({ maxLength: 2048 }).map((b) => ['random bytes', Buffer.from(b).toString('latin1')] as const),
    fc.nat({ max: 60 }).map((n) => ['truncated JSON', JSON.stringify([event('00000000-0000-0000-0000-000000000001')]).slice(0, n)] as const),
    fc.jsonValue().map((v) => ['JSON of another shape', JSON.stringify(v)] as const),
    fc.integer({ min: 500, max: 20_000 }).map((d) => ['deep nesting', `${'['.repeat(d)}${']'.repeat(d)}`] as const),
    fc.constantFrom('__proto__', 'constructor', 'prototype').map((k) => ['prototype keys', `[{"${k}":{"polluted":true},"eventId":"${randomUUID()}"}]`] as const),
    fc.tuple(bookingIndex, wrongField).map(([i, w]) => ['an event field wrong', JSON.stringify([{ ...event(bookings[i % bookings.length] as string), [w.field]: w.value }])] as const),
    fc.tuple(bookingIndex, fc.constantFrom('Travel', 'Onsite', 'Complete')).map(([i, stage]) => ['reason on another stage', JSON.stringify([event(bookings[i % bookings.length] as string, { stage, sequence: 1, reason: 'Road flooded' })])] as const),
    fc.constant(['unknown booking', JSON.stringify([event(randomUUID())])] as const),
    fc.constant(['empty array', '[]'] as const),
    fc.integer({ min: 101, max: 400 }).map((n) => ['too many events', JSON.stringify(Array.from({ length: n }, () => event(bookings[0] as string)))] as const),
    fc.tuple(bookingIndex, fc.integer({ min: 1, max: 99 })).map(([i, n]) => ['one bad among good', JSON.stringify([...Array.from({ length: n }, () => event(bookings[i % bookings.length] as string)), { ...event(bookings[0] as string), stage: 'Teleported' }])] as const),
  )
  .map(([category, body]) => ({ category: `malformed: ${category}`, method: 'POST', headers: signed(body), body }));

const oversize: fc.Arbitrary<Attempt> = fc.integer({ min: LIMIT + 1, max: 4 * LIMIT }).map((size) => {
  const body = `[${JSON.stringify(event(bookings[0] as string, { reason: 'x'.repeat(size) }))}]`;
  return { category: 'oversize', method: 'POST', headers: signed(body), body };
});

const forged: fc.Arbitrary<Attempt> = fc
  .tuple(
    fc.constantFrom('another secret', 'body changed after signing', 'signed for another id', 'signed for another time', 'missing header', 'garbage signature', 'bad base64', 'stale', 'future', 'timestamp not a number'),
    fc.string({ maxLength: 80 }),
    fc.integer({ min: 301, max: 10_000_000 }),
    fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature'),
  )
  .map(([how, junk, seconds, header]) => {
    const body = JSON.stringify([event(bookings[0] as string)]);
    let headers = signed(body);
    let sent: string = body;
    switch (how) {
      case 'another secret':
        headers = signed(body, { secret: new Webhook(`whsec_${randomBytes(32).toString('base64')}`) });
        break;
      case 'body changed after signing':
        sent = body.replace('Acknowledged', 'Complete');
        break;
      case 'signed for another id':
        headers = { ...headers, 'webhook-id': `msg_${randomUUID()}` };
        break;
      case 'signed for another time':
        headers = { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 7) };
        break;
      case 'missing header':
        delete headers[header];
        break;
      case 'garbage signature':
        headers = { ...headers, 'webhook-signature': junk };
        break;
      case 'bad base64':
        headers = { ...headers, 'webhook-signature': `v1,${junk.replace(/,/g, '')}!!` };
        break;
      case 'stale':
        headers = signed(body, { at: new Date(Date.now() - seconds * 1000) });
        break;
      case 'future':
        headers = signed(body, { at: new Date(Date.now() + seconds * 1000) });
        break;
      case 'timestamp not a number':
        headers = { ...headers, 'webhook-timestamp': `${junk}x` };
        break;
    }
    return { category: `forged: ${how}`, method: 'POST', headers, body: sent };
  });

const wrongRequest: fc.Arbitrary<Attempt> = fc.oneof(
  fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded').map((type) => {
    const body = JSON.stringify([event(bookings[0] as string)]);
    return { category: 'other media type', method: 'POST', headers: { ...signed(body), 'content-type': type }, body };
  }),
  fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE').map((method) => ({ category: 'other method', method, headers: {} as Record<string, string>, body: undefined })),
);

/** Deliveries accepted so far (for replays). */
const accepted: { id: string; body: string }[] = [];
const replay: fc.Arbitrary<Attempt> = fc.tuple(fc.nat(), fc.boolean()).map(([i, sameBody]) => {
  const original = accepted[i % Math.max(1, accepted.length)];
  const body = sameBody || !original ? (original?.body ?? '[]') : JSON.stringify([event(bookings[0] as string)]);
  return { category: `replay: ${sameBody ? 'same body' : 'another body'}`, method: 'POST', headers: signed(body, { id: original?.id ?? `msg_${randomUUID()}` }), body };
});

const hostile = fc.oneof({ arbitrary: malformed, weight: 5 }, { arbitrary: oversize, weight: 1 }, { arbitrary: forged, weight: 4 }, { arbitrary: wrongRequest, weight: 1 }, { arbitrary: replay, weight: 2 });

// ---- the run --------------------------------------------------------------------------------------------------

async function send(attempt: Attempt): Promise<{ status: number; text: string }> {
  const res = await fetch(`${stack.host.url}/api/mobility/events`, {
    method: attempt.method,
    headers: attempt.headers,
    ...(attempt.body !== undefined ? { body: attempt.body } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}

it('refuses every hostile request with a 4xx, writes nothing from them, and keeps serving valid deliveries', async () => {
  const validEvents: string[] = [];
  const signatures = new Set<string>();
  const byCategory = new Map<string, number>();
  const statuses = new Map<number, number>();
  let k = 0;

  await fc.assert(
    fc.asyncProperty(hostile, async (attempt) => {
      // A valid delivery goes out at the same time as each hostile one.
      const good = [event(bookings[k++ % bookings.length] as string)];
      const goodBody = JSON.stringify(good);
      const goodHeaders = signed(goodBody);
      signatures.add(goodHeaders['webhook-signature'] as string);
      if (attempt.headers['webhook-signature']) signatures.add(attempt.headers['webhook-signature']);
      const [bad, ok] = await Promise.all([send(attempt), send({ category: 'valid', method: 'POST', headers: goodHeaders, body: goodBody })]);
      if (ok.status !== 202) throw new Error(`a valid delivery got ${ok.status} next to "${attempt.category}": ${ok.text.slice(0, 300)}`);
      accepted.push({ id: goodHeaders['webhook-id'] as string, body: goodBody });
      validEvents.push(good[0]!['eventId'] as string);
      byCategory.set(attempt.category, (byCategory.get(attempt.category) ?? 0) + 1);
      statuses.set(bad.status, (statuses.get(bad.status) ?? 0) + 1);
      if (bad.status < 400 || bad.status >= 500) throw new Error(`"${attempt.category}" got ${bad.status}: ${bad.text.slice(0, 300)}`);
      if (bad.text.includes(SIGNING_SECRET.slice(6))) throw new Error(`the answer to "${attempt.category}" quotes the secret`);
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true },
  );

  // Only the valid deliveries were written, each event once.
  await eventually(`all ${validEvents.length} valid events recorded`, async () => (await rows(stack.api, 'pfb_fieldevents?$select=pfb_eventid')).length >= validEvents.length || undefined, 60_000);
  const recorded = (await rows(stack.api, 'pfb_fieldevents?$select=pfb_eventid')).map((r) => r['pfb_eventid'] as string);
  expect(recorded.length).toBe(validEvents.length);
  expect(new Set(recorded)).toEqual(new Set(validEvents));
  expect(await peekQueue(stack, 'field-event-poison')).toEqual([]);
  expect((await fetch(`${stack.host.url}/api/health`)).status).toBe(200);

  // The log never holds the secret or a signature, and nothing crashed.
  const logged = JSON.stringify(stack.lines);
  expect(logged.includes(SIGNING_SECRET.slice(6))).toBe(false);
  expect([...signatures].filter((s) => s.length > 8 && logged.includes(s))).toEqual([]);
  expect(stack.exceptions()).toEqual([]);

  const total = [...byCategory.values()].reduce((a, b) => a + b, 0);
  log.push(`${total} hostile requests next to ${validEvents.length} valid deliveries; answers ${JSON.stringify(Object.fromEntries(statuses))}`);
  log.push(...[...byCategory].sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => `  ${c}: ${n}`));
  expect(total).toBeGreaterThanOrEqual(Math.min(RUNS, 50));
}, TIME_LIMIT_MS + 120_000);
