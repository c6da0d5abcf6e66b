/**
 * The bridge killed (SIGKILL: no shutdown, no flush) at random points, many times, while it syncs a large project and
 * while it dispatches bookings and applies field events — then started again, as a Functions host replaces a crashed
 * worker. Nothing may be lost and nothing done twice:
 * - work orders: each planned work order exactly once (by its source key) with what an undisturbed sync of the same
 *   tasks plans, each with its one resource requirement, every task sync row Synced;
 * - bookings: each one in the mobility app exactly once, at version 1 (never sent twice with other content);
 * - field events: each one recorded once; task and project figures equal those of one in-order delivery.
 * Kill points come from a seeded generator; the seed is printed so a failing run can be repeated (PFB_FAULT_SEED).
 */
import { pfb_tasksync, SyncStatus } from '@pfb/domain';
import { eventually } from '../support/eventually';
import { sized, FULL } from './faultMode';
import { bookAll, dayFor, figureDifferences, leafTasks, markReady, rows, seededRandom, sendUntilAccepted, undisturbedWorkOrders, workOrdersByKey, type Booked, type StageEvent, chunks, useFieldRig } from './fieldRig';

const TASKS = sized(40, 400);
const KILLS = sized(3, 20);
const SEED = Number(process.env['PFB_FAULT_SEED'] ?? Date.now() % 100_000);
const random = seededRandom(SEED);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  // Killed messages come back after the visibility timeout: 2 s instead of 30 keeps the test short.
const setup = useFieldRig(`bridgeKilled (${FULL ? 'full' : 'reduced'}, PFB_FAULT_SEED=${SEED})`, { seed: `scale:${TASKS}`, env: { QUEUE_RETRY_SECONDS: '2', QUEUE_MAX_DEQUEUE_COUNT: '30' } });
const log = setup.log;

/** Kills that found work on the queues (the test is only worth something if most do). */
let midWork = 0;

/** SIGKILL, then what was on the queues at that moment (messages being handled included). */
async function killAndLook(): Promise<string> {
  await setup.rig.bridge.kill();
  const depths = await setup.rig.azurite.depths();
  if (Object.keys(depths).length > 0) midWork += 1;
  return Object.keys(depths).length > 0 ? `queues then: ${JSON.stringify(depths)}` : 'queues empty then';
}


let booked: Booked[] = [];

it(`syncing a ${TASKS}-task program: killed ${KILLS} times, no work order lost or made twice`, async () => {
  const tasks = leafTasks(setup.rig.dv);
  const started = performance.now();
  for (const [i, chunk] of chunks(tasks, KILLS).entries()) {
    if (!setup.rig.bridge.alive) await setup.rig.bridge.start();
    await markReady(setup.rig.api, chunk);
    // The Create steps have reached the bridge (queued); now it works on them — kill it somewhere in that work.
    await setup.rig.dv.idle();
    const delay = Math.round(random() * 1500);
    await sleep(delay);
    log.push(`sync kill ${i + 1}: ${chunk.length} tasks marked, killed ${delay} ms after their webhooks were queued; ${await killAndLook()}`);
  }
  await setup.rig.bridge.start();
  await eventually(
    `all ${tasks.length} task sync rows Synced`,
    async () => {
      const synced = await rows(setup.rig.api, `${pfb_tasksync.entitySetName}?$select=pfb_syncstatus&$filter=pfb_syncstatus eq ${SyncStatus.Synced}`);
      return synced.length === tasks.length ? true : undefined;
    },
    sized(90_000, 300_000),
  );
  log.push(`sync: ${tasks.length} tasks Synced ${((performance.now() - started) / 1000).toFixed(1)} s after the first mark, across ${setup.rig.bridge.kills} kills`);

  const actual = await workOrdersByKey(setup.rig.api);
  const expected = await undisturbedWorkOrders(`scale:${TASKS}`);
  expect(actual.size).toBe(expected.size);
  expect([...actual.entries()].sort()).toEqual([...expected.entries()].sort());
  const requirements = await rows(setup.rig.api, 'msdyn_resourcerequirements?$select=_msdyn_workorder_value&$filter=_msdyn_workorder_value ne null');
  expect(new Set(requirements.map((r) => r['_msdyn_workorder_value'])).size).toBe(requirements.length);
  expect(requirements.length).toBe(actual.size);
  log.push(`sync: ${actual.size} work orders, each source key once, equal to the undisturbed sync; ${requirements.length} requirements`);
  expect(setup.rig.bridge.crashes).toEqual([]);
}, sized(180_000, 600_000));

it(`dispatching bookings and applying field events: killed ${KILLS} times, nothing lost, nothing twice`, async () => {
  if (!setup.rig.bridge.alive) await setup.rig.bridge.start();
  // A dispatcher books the work orders of the first tasks (the Create steps reach the bridge while it runs).
  const taskSyncs = await rows(setup.rig.api, `${pfb_tasksync.entitySetName}?$select=pfb_plannedeffort,_pfb_project_value&$orderby=pfb_name`);
  const bookedTasks = taskSyncs.slice(0, sized(TASKS, 120));
  booked = await bookAll(setup.rig.api, bookedTasks.map((t) => t['pfb_tasksyncid'] as string));
  await setup.rig.dv.idle();

  const events: StageEvent[] = booked.flatMap((b, i) => dayFor(b.bookingId, i));
  // Each technician's outbox sends its day in order, in deliveries of up to 10 events across technicians.
  const deliveries = chunks(events.sort((a, b) => a.sequence - b.sequence || a.bookingId.localeCompare(b.bookingId)), Math.ceil(events.length / 10));
  const waves = chunks(deliveries, KILLS);
  const sends: ReturnType<typeof sendUntilAccepted>[] = [];
  for (const [i, wave] of waves.entries()) {
    if (!setup.rig.bridge.alive) await setup.rig.bridge.start();
    // The outbox keeps retrying (same webhook-id) until the bridge accepts, across kills.
    // Deliveries 60 ms apart, so a kill can land between a POST's arrival and its answer, or before some are sent.
    for (const [k, d] of wave.entries()) sends.push(sleep(k * 60).then(() => sendUntilAccepted(setup.rig.bridge.url, d, { deadlineMs: sized(120_000, 400_000) })));
    const delay = Math.round(100 + random() * 800);
    await sleep(delay);
    log.push(`events kill ${i + 1}: ${wave.length} deliveries going out 60 ms apart, killed after ${delay} ms; ${await killAndLook()}`);
  }
  await setup.rig.bridge.start();
  const sent = await Promise.all(sends);
  log.push(`events: ${events.length} events in ${sends.length} deliveries accepted after ${sent.reduce((a, s) => a + s.attempts, 0)} POSTs (${sent.filter((s) => s.attempts > 1).length} deliveries met a dead bridge and were sent again)`);

  // Every event recorded exactly once.
  await eventually(
    `all ${events.length} field events recorded`,
    async () => (await rows(setup.rig.api, 'pfb_fieldevents?$select=pfb_eventid')).length >= events.length || undefined,
    sized(90_000, 300_000),
  );
  const recorded = (await rows(setup.rig.api, 'pfb_fieldevents?$select=pfb_eventid')).map((r) => r['pfb_eventid'] as string);
  expect(recorded.length).toBe(events.length);
  expect(new Set(recorded)).toEqual(new Set(events.map((e) => e.eventId)));

  // Figures equal to one in-order delivery, worked out by the domain over the same program shape.
  const differences = await eventually('task and project figures equal to the in-order delivery', async () => {
    const found = await figureDifferences(setup.rig.api, booked, events);
    return found.length === 0 ? found : undefined;
  }, 60_000).catch(async (e: unknown) => {
    throw new Error(`${(e as Error).message}: ${(await figureDifferences(setup.rig.api, booked, events)).slice(0, 5).join('; ')}; bridge warnings: ${JSON.stringify(setup.rig.bridge.lines.filter((l) => l.level !== 'info').slice(-8).map((l) => l.message))}`);
  });
  expect(differences).toEqual([]);

  // Every booking reached the mobility app exactly once, and was never sent again with other content.
  await eventually(`all ${booked.length} bookings in the mobility app`, () => setup.rig.mobility.tickets().length >= booked.length || undefined, 60_000);
  const tickets = setup.rig.mobility.tickets();
  expect(tickets.length).toBe(booked.length);
  expect(new Set(tickets.map((t) => t.ticketId.toLowerCase()))).toEqual(new Set(booked.map((b) => b.bookingId.toLowerCase())));
  expect(tickets.filter((t) => t.version !== 1).map((t) => `${t.ticketId} v${t.version}`)).toEqual([]);
  const created = setup.rig.mobility.requests().filter((r) => r.status === 201 && !r.replayed);
  expect(created.length).toBe(booked.length);
  log.push(`dispatch: ${booked.length} bookings, ${tickets.length} tickets, all version 1; ${setup.rig.mobility.requests().length} ticket requests (replays and retries included)`);
  const failedSteps = new Map<string, number>();
  for (const m of setup.rig.webhookFailures) {
    const step = /could not deliver (\w+ of \w+)/.exec(m)?.[1] ?? 'other';
    failedSteps.set(step, (failedSteps.get(step) ?? 0) + 1);
  }
  log.push(`webhook deliveries that met a dead bridge (system jobs Failed): ${JSON.stringify(Object.fromEntries(failedSteps))} — the bridge's own updates, which it ignores anyway`);
  log.push(`bridge: ${setup.rig.bridge.starts} starts, ${setup.rig.bridge.kills} kills (${midWork} with work on the queues), ${setup.rig.bridge.exceptions().length} tracked exceptions`);
  // The kills must have hit work in progress, or this test proves nothing.
  expect(midWork).toBeGreaterThanOrEqual(Math.ceil(KILLS / 2));
  // And nothing is left behind: every message completed (the redelivered ones found their work done).
  const drained = performance.now();
  await eventually('the queues empty', async () => Object.keys(await setup.rig.azurite.depths()).length === 0 || undefined, 60_000).catch(async (e: unknown) => {
    throw new Error(`${(e as Error).message}: ${JSON.stringify(await setup.rig.azurite.depths())}`);
  });
  log.push(`queues empty ${((performance.now() - drained) / 1000).toFixed(1)} s after the figures were right`);
  expect(setup.rig.bridge.crashes).toEqual([]);
}, sized(240_000, 900_000));
