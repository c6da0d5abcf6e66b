/**
 * The mobility app down for longer than several retry periods — refusing (503 with Retry-After), dropping
 * connections, hanging past the bridge's timeout, and answering only after the bridge gave up (the ticket stored, the
 * answer lost) — while a dispatcher books a project's work orders; then it recovers. Every booking reaches the app
 * exactly once (one ticket each, version 1, created once: retries carry the same Idempotency-Key), each booking row
 * says Sent with the app's reference, and nothing is poisoned: the outage stays inside the retry budget.
 */
import { bookableresourcebooking, DispatchStatus, pfb_tasksync, SyncStatus } from '@pfb/domain';
import type { Fault } from '@pfb/sandbox/mobility';
import { eventually } from '../support/eventually';
import { FULL, sized } from './faultMode';
import { bookAll, leafTasks, markReady, rows, useFieldRig } from './fieldRig';

const RETRY_SECONDS = 2;
/** The outage, phase by phase (ms): several retry periods in all. */
const OUTAGE: ReadonlyArray<[Fault, number]> = sized<ReadonlyArray<[Fault, number]>>(
  [
    [{ mode: 'fail', status: 503, retryAfterSeconds: 1 }, 3000],
    [{ mode: 'drop' }, 2000],
    [{ mode: 'hang' }, 3000],
  ],
  [
    [{ mode: 'fail', status: 503, retryAfterSeconds: 1 }, 8000],
    [{ mode: 'drop' }, 6000],
    [{ mode: 'hang' }, 8000],
    [{ mode: 'slow', delayMs: 6000 }, 8000],
    [{ mode: 'fail', status: 500 }, 6000],
  ],
);
const TASKS = sized(12, 60);

// A budget of 30 attempts 2 s apart: the outage (≤ 36 s) stays inside it.
const setup = useFieldRig(`mobilityOutage (${FULL ? 'full' : 'reduced'})`, { seed: `scale:${TASKS}`, env: { QUEUE_RETRY_SECONDS: String(RETRY_SECONDS), QUEUE_MAX_DEQUEUE_COUNT: '30' } });
const log = setup.log;

beforeAll(async () => {
  const { rig } = setup;
  await markReady(rig.api, leafTasks(rig.dv));
  await eventually(
    'all tasks synced',
    async () => (await rows(rig.api, `${pfb_tasksync.entitySetName}?$select=pfb_syncstatus&$filter=pfb_syncstatus eq ${SyncStatus.Synced}`)).length === TASKS || undefined,
    60_000,
  );
}, 120_000);

it('every booking reaches the app once after an outage of several retry periods', async () => {
  const { rig } = setup;
  const outageMs = OUTAGE.reduce((a, [, ms]) => a + ms, 0);
  rig.mobility.setFault(OUTAGE[0]![0]);
  const taskSyncs = await rows(rig.api, `${pfb_tasksync.entitySetName}?$select=pfb_name`);
  const booked = await bookAll(rig.api, taskSyncs.map((t) => t['pfb_tasksyncid'] as string));
  const started = Date.now();
  for (const [i, [fault, ms]] of OUTAGE.entries()) {
    if (i > 0) rig.mobility.setFault(fault);
    await new Promise((r) => setTimeout(r, ms));
    log.push(`outage: ${fault.mode}${fault.mode === 'fail' ? ` ${fault.status}` : ''} for ${ms} ms; ${rig.mobility.requests().length} ticket requests so far`);
  }
  // Still down at this point: nothing is Sent, nothing Failed (the budget is not spent).
  const during = await rows(rig.api, `${bookableresourcebooking.entitySetName}?$select=pfb_dispatchstatus`);
  expect(during.filter((b) => b['pfb_dispatchstatus'] === DispatchStatus.Failed)).toEqual([]);
  rig.mobility.setFault({ mode: 'none' });
  log.push(`outage: ${outageMs} ms (${(outageMs / 1000 / RETRY_SECONDS).toFixed(0)} retry periods) over ${booked.length} bookings; recovered`);

  const sent = await eventually(
    `all ${booked.length} bookings Sent`,
    async () => {
      const list = await rows(rig.api, `${bookableresourcebooking.entitySetName}?$select=pfb_dispatchstatus,pfb_mobilityref&$filter=pfb_dispatchstatus eq ${DispatchStatus.Sent}`);
      return list.length === booked.length ? list : undefined;
    },
    sized(60_000, 120_000),
  );
  log.push(`recovery: all ${booked.length} bookings Sent ${((Date.now() - started - outageMs) / 1000).toFixed(1)} s after the app came back`);

  const tickets = rig.mobility.tickets();
  expect(tickets.length).toBe(booked.length);
  expect(tickets.filter((t) => t.version !== 1)).toEqual([]);
  const refs = new Map(tickets.map((t) => [t.ticketId.toLowerCase(), t.mobilityRef]));
  expect(sent.map((b) => [b['bookableresourcebookingid'], b['pfb_mobilityref']]).sort()).toEqual(sent.map((b) => [b['bookableresourcebookingid'], refs.get((b['bookableresourcebookingid'] as string).toLowerCase())]).sort());
  const requests = rig.mobility.requests();
  // Created once each: a retry with the same Idempotency-Key after a lost answer gets the stored 201 again (replayed).
  const created = requests.filter((r) => r.status === 201 && !r.replayed);
  expect(created.length).toBe(booked.length);
  const byFault = new Map<string, number>();
  for (const r of requests) byFault.set(r.fault ?? (r.replayed ? 'replayed' : String(r.status)), (byFault.get(r.fault ?? (r.replayed ? 'replayed' : String(r.status))) ?? 0) + 1);
  log.push(`requests: ${requests.length} in all — ${[...byFault].map(([k, n]) => `${k} ${n}`).join(', ')}; ${created.length} created, one per booking`);
  expect(rig.bridge.crashes).toEqual([]);
  await eventually('the queues empty (nothing poisoned)', async () => Object.keys(await rig.azurite.depths()).length === 0 || undefined, 30_000).catch(async (e: unknown) => {
    throw new Error(`${(e as Error).message}: ${JSON.stringify(await rig.azurite.depths())}`);
  });
}, sized(120_000, 300_000));
