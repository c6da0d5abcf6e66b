/**
 * Dataverse throttling the bridge in storms (429 with Retry-After, then every request of the user held back until it
 * elapses, as the service protection limits do) and failing in bursts of 500, 502, 503 and 504 — before a request
 * runs, and after it ran with the answer lost — while the bridge syncs tasks, books are made and field events
 * applied. All work completes: the work orders equal an undisturbed sync, each event is recorded once, the figures
 * equal one in-order delivery; and no request of the bridge reached Dataverse before its Retry-After elapsed.
 */
import { BRIDGE_APP_USER_ID } from '@pfb/sandbox';
import { dayOf, deliver, syncAndBook, type SyncedTask } from '../bridge/fieldSupport';
import { eventually, noMobility, peekQueue, registerTaskSyncWebhook, startBridgeStack, type BridgeStack } from '../bridge/support';
import { FULL, sized } from './faultMode';
import { figureDifferences, rows, undisturbedWorkOrders, workOrdersByKey, type Booked, type StageEvent } from './fieldRig';

const TASKS = sized(4, 12);
let stack: BridgeStack;
const log: string[] = [];

beforeAll(async () => {
  // Retries every 2 s instead of 30, a budget of 30 attempts: faults slow the work down, they must not poison it.
  stack = await startBridgeStack({ env: { QUEUE_RETRY_SECONDS: '2', QUEUE_MAX_DEQUEUE_COUNT: '30' }, compose: () => ({ factories: { mobility: () => noMobility } }) });
  await registerTaskSyncWebhook(stack.api, stack.host.url);
}, 120_000);
afterAll(async () => {
  console.log(`dataverseThrottling (${FULL ? 'full' : 'reduced'}):\n  ${log.join('\n  ')}`);
  await stack?.stop();
});

/** Storms and bursts on the bridge's own user, with calm seconds between them (as real weather has), until stopped. */
function weather(): { stop: () => Promise<void> } {
  const faults = stack.dv.server.faults;
  const statuses = [500, 502, 503, 504] as const;
  let turn = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      // A storm, a calm second and a half, a burst, a calm second and a half: the bridge's own retries (and the queue's every 2 s)
      // must get the work through between them.
      const cycle = Math.floor(turn / 6);
      if (turn % 6 === 0) faults.throttle({ userId: BRIDGE_APP_USER_ID, probability: 0.7, retryAfterSeconds: 1 + (cycle % 2), durationMs: 1400 });
      else if (turn % 6 === 3) faults.fail({ userId: BRIDGE_APP_USER_ID, status: statuses[cycle % 4] as (typeof statuses)[number], count: 2, durationMs: 700, phase: cycle % 2 === 0 ? 'before' : 'after' });
      turn += 1;
      await new Promise((r) => setTimeout(r, 700));
    }
    faults.clear();
  })();
  return {
    stop: async () => {
      running = false;
      await done;
    },
  };
}

it('completes all work through storms of 429 and bursts of 5xx, never sending before Retry-After', async () => {
  const faults = stack.dv.server.faults;
  const storm = weather();
  let tasks: SyncedTask[];
  let events: StageEvent[];
  try {
    const started = Date.now();
    tasks = await syncAndBook(stack, TASKS).catch((e: unknown) => {
      const id = /task sync ([0-9a-f-]{36})/.exec((e as Error).message)?.[1] ?? '';
      const about = stack.lines.filter((l) => l.message.includes(id) || l.level !== 'info').slice(-25);
      throw new Error(`${(e as Error).message}; bridge: ${about.map((l) => `${String(l['timestamp'] ?? '')} ${l.level} ${l.message.slice(0, 260)}`).join('\n')}`);
    });
    log.push(`sync: ${TASKS} tasks synced and booked in ${((Date.now() - started) / 1000).toFixed(1)} s of weather`);
    events = tasks.flatMap((t, ti) => t.workOrders.flatMap((w, wi) => dayOf(w.bookingId, `2027-06-${String(1 + ((ti + wi) % 27)).padStart(2, '0')}T21:00:00Z`, { travel: 10, onsite: 40 + wi, inProgress: 50 + wi, end: 170 + 13 * ti }, (ti + wi) % 5 === 3 ? 'Incomplete' : 'Complete')));
    for (let i = 0; i < events.length; i += 10) {
      // The endpoint itself never touches Dataverse for known bookings; a refused delivery would be a failure here.
      const res = await deliver(stack, events.slice(i, i + 10));
      expect(res.status).toBe(202);
    }
    await eventually(`all ${events.length} events recorded`, async () => (await rows(stack.api, 'pfb_fieldevents?$select=pfb_eventid')).length >= events.length || undefined, sized(60_000, 180_000));
  } finally {
    await storm.stop();
  }
  const booked: Booked[] = tasks.flatMap((t) => t.workOrders.map((w) => ({ bookingId: w.bookingId, workOrderId: w.id, taskSyncId: t.taskSyncId, plannedEffortHours: w.plannedEffortHours })));
  const recorded = (await rows(stack.api, 'pfb_fieldevents?$select=pfb_eventid')).map((r) => r['pfb_eventid'] as string);
  expect(recorded.length).toBe(events.length);
  expect(new Set(recorded)).toEqual(new Set(events.map((e) => e.eventId)));
  await eventually('figures equal to the in-order delivery', async () => (await figureDifferences(stack.api, booked, events)).length === 0 || undefined, 60_000).catch(async (e: unknown) => {
    throw new Error(`${(e as Error).message}: ${(await figureDifferences(stack.api, booked, events)).slice(0, 5).join('; ')}`);
  });

  const actual = await workOrdersByKey(stack.api);
  const expected = await undisturbedWorkOrders('telecom', new Set(tasks.map((t) => t.taskId)));
  expect([...actual.entries()].sort()).toEqual([...expected.entries()].sort());

  const c = faults.counts;
  log.push(`weather: ${c.throttled} requests answered 429, ${c.failedBefore} failed before running, ${c.failedAfter} failed after running (answer lost)`);
  log.push(`events: ${events.length} recorded once each; ${actual.size} work orders equal to the undisturbed sync; Retry-After violations: ${faults.violations().length}`);
  expect(faults.violations()).toEqual([]);
  expect(c.throttled).toBeGreaterThan(0);
  expect(c.failedBefore).toBeGreaterThan(0);
  expect(c.failedAfter).toBeGreaterThan(0);
  for (const q of ['task-sync-poison', 'field-event-poison']) expect(await peekQueue(stack, q)).toEqual([]);
  const throttleLines = stack.lines.filter((l) => l.message.startsWith('Dataverse throttled the bridge'));
  log.push(`the bridge logged ${throttleLines.length} throttling episode(s)`);
  expect(throttleLines.length).toBeGreaterThan(0);
}, sized(180_000, 480_000));
