/**
 * The inbound endpoint refuses what it must, with 4xx and nothing written: forged, missing and stale signatures,
 * a replayed delivery id, oversize, malformed and invalid bodies, unknown bookings. The signing secret never reaches
 * the logs. Nothing is queued for a refusal (the field-event queue stays empty) and no pfb_fieldevent row appears.
 */
import { pfb_fieldevent } from '@pfb/domain';
import { randomUUID } from 'node:crypto';
import { QUEUES } from '../../functions-bridge/src/services/queueMessages';
import { dayOf, deliver, syncAndBook, type SyncedTask } from './fieldSupport';
import { eventually, noMobility, peekQueue, registerTaskSyncWebhook, SIGNING_SECRET, startBridgeStack, type BridgeStack } from './support';

let stack: BridgeStack;
let task: SyncedTask;


beforeAll(async () => {
  stack = await startBridgeStack({ compose: () => ({ factories: { mobility: () => noMobility }, fieldEvent: { batchWindowMs: 20, rollupIntervalMs: 100 } }) });
  await registerTaskSyncWebhook(stack.api, stack.host.url);
  [task] = (await syncAndBook(stack, 1)) as [SyncedTask];
}, 120_000);
afterAll(() => stack?.stop());

async function fieldEventRows(): Promise<number> {
  return (await stack.api.get(`${pfb_fieldevent.entitySetName}?$select=pfb_eventid`)).json<{ value: unknown[] }>().value.length;
}

const OTHER_SECRET = `whsec_${Buffer.from('a-different-secret-of-32-bytes!!').toString('base64')}`;
const events = (): ReturnType<typeof dayOf> => dayOf(task.workOrders[0]!.bookingId, '2027-05-03T22:00:00Z', { travel: 10, onsite: 40, inProgress: 45, end: 200 });

describe('refusals: 4xx, a problem that says what to fix, nothing written', () => {
  const cases: Array<[string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, RegExp]> = [
    ['a signature made with another secret', () => deliver(stack, events(), { secret: OTHER_SECRET }), 401, /signature/i],
    ['a body changed after signing', () => deliver(stack, events(), { tamper: (b) => b.replace('"Travel"', '"Onsite"') }), 401, /signature/i],
    ['no signature headers', () => deliver(stack, events(), { headers: { 'webhook-signature': '' } }), 401, /webhook-signature/],
    ['a timestamp 6 minutes old', () => deliver(stack, events(), { timestamp: new Date(Date.now() - 6 * 60_000) }), 401, /5 minutes/],
    ['a timestamp 6 minutes ahead', () => deliver(stack, events(), { timestamp: new Date(Date.now() + 6 * 60_000) }), 401, /5 minutes/],
    ['malformed JSON', () => deliver(stack, '{"eventId": '), 400, /not JSON/],
    ['an empty array', () => deliver(stack, []), 400, /at least one/],
    ['101 events', () => deliver(stack, Array.from({ length: 101 }, () => events()[0])), 413, /at most 100/],
    ['a body over 256 KiB', () => deliver(stack, [{ ...events()[0], reason: 'x'.repeat(300 * 1024) }]), 413, /at most/],
    ['an unknown stage', () => deliver(stack, [{ ...events()[0], stage: 'Lunch' }]), 400, /not a field stage/],
    ['a reason on a Travel event', () => deliver(stack, [{ ...events()[1], reason: 'late' }]), 400, /only for Incomplete/],
    ['a booking that does not exist', () => deliver(stack, [{ ...events()[0], bookingId: randomUUID() }]), 400, /not bookings the bridge dispatched/],
    ['one bad event among good ones', () => deliver(stack, [...events().slice(0, 3), { ...events()[3], occurredAt: 'yesterday' }]), 400, /\/3/],
  ];

  it.each(cases)('%s', async (_name, send, status, detail) => {
    const before = await fieldEventRows();
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.body['status']).toBe(status);
    expect(String(answer.body['detail'])).toMatch(detail);
    expect(await peekQueue(stack, QUEUES.fieldEvent)).toEqual([]);
    expect(await fieldEventRows()).toBe(before);
  });
});

it('accepts a delivery once; the same webhook-id again is 409 and changes nothing', async () => {
  const day = events();
  const first = await deliver(stack, day);
  expect(first.status).toBe(202);
  expect(first.body).toMatchObject({ accepted: day.length });
  await eventually('the events recorded', async () => ((await fieldEventRows()) >= day.length ? true : undefined));
  const rows = await fieldEventRows();
  const replay = await deliver(stack, day, { id: first.id });
  expect(replay.status).toBe(409);
  expect(await peekQueue(stack, QUEUES.fieldEvent)).toEqual([]);
  // The same events under a new delivery id: accepted, and recorded no second time (the event ids).
  expect((await deliver(stack, day)).status).toBe(202);
  await stack.host.bridge.flush();
  await eventually('the queue drained', async () => ((await peekQueue(stack, QUEUES.fieldEvent)).length === 0 ? true : undefined));
  await stack.host.bridge.flush();
  expect(await fieldEventRows()).toBe(rows);
});

it('keeps the signing secret and the signatures out of every log line', async () => {
  await deliver(stack, events(), { secret: OTHER_SECRET });
  await deliver(stack, events());
  const text = stack.lines.map((l) => JSON.stringify(l)).join('\n');
  const secretBytes = SIGNING_SECRET.slice('whsec_'.length);
  expect(text).not.toContain(secretBytes);
  expect(text).not.toContain(OTHER_SECRET.slice('whsec_'.length));
  expect(text).not.toMatch(/v1,[A-Za-z0-9+/=]{40,}/);
  expect(stack.lines.some((l) => /refused with 401/.test(l.message))).toBe(true);
});
