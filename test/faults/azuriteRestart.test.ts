/**
 * The queue storage restarted mid-run (Azurite stopped and started again on its folder, as a storage failover or a
 * host update does) while the bridge syncs tasks, dispatches bookings and applies field events: nothing is lost.
 * While the queues are away the bridge's pollers keep trying, the inbound endpoint answers 503 and the mobility app's
 * outbox tries again with the same webhook-id; messages being handled at the restart come back after their visibility
 * timeout. Afterwards every task is synced as an undisturbed sync plans it, every booking reached the app once, and
 * every event is recorded once with the figures of one in-order delivery.
 */
import { pfb_tasksync, SyncStatus } from '@pfb/domain';
import { eventually } from '../support/eventually';
import { FULL, sized } from './faultMode';
import { bookAll, dayFor, figureDifferences, leafTasks, markReady, rows, sendUntilAccepted, undisturbedWorkOrders, workOrdersByKey, type StageEvent, chunks, useFieldRig } from './fieldRig';

const TASKS = sized(30, 200);
const RESTARTS = sized(1, 3);
const DOWN_MS = sized(1500, 4000);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// The reconcile timer every 2 s for rows untouched for 3 s: it finds the rows whose webhook met the storage away.
const setup = useFieldRig(`azuriteRestart (${FULL ? 'full' : 'reduced'})`, {
  seed: `scale:${TASKS}`,
  env: { QUEUE_RETRY_SECONDS: '2', QUEUE_MAX_DEQUEUE_COUNT: '30', RECONCILE_SCHEDULE: '*/2 * * * * *', RECONCILE_AFTER_SECONDS: '3' },
});
const log = setup.log;


it(`restarted ${RESTARTS} time(s) while syncing and ${RESTARTS} while dispatching and applying events: nothing lost`, async () => {
  // Sync: two thirds of each chunk's webhooks reach the bridge (queued), then the storage goes away under the
  // worker; the last third is marked while it is away — those webhooks get 503, Dataverse's one retry fails too,
  // and only the reconcile timer can find them.
  const tasks = leafTasks(setup.rig.dv);
  for (const [i, chunk] of chunks(tasks, RESTARTS).entries()) {
    const [before, during] = chunks(chunk, 3).length === 3 ? [chunk.slice(0, Math.ceil((chunk.length * 2) / 3)), chunk.slice(Math.ceil((chunk.length * 2) / 3))] : [chunk, []];
    await markReady(setup.rig.api, before);
    await setup.rig.dv.idle();
    const depths = await setup.rig.azurite.depths();
    const restarted = setup.rig.azurite.restart(DOWN_MS);
    await sleep(300);
    await markReady(setup.rig.api, during);
    await setup.rig.dv.idle();
    await restarted;
    log.push(`sync restart ${i + 1}: ${before.length} tasks queued (${JSON.stringify(depths)}), storage away ${DOWN_MS} ms, ${during.length} marked meanwhile`);
  }
  await eventually(
    `all ${tasks.length} task sync rows Synced`,
    async () => (await rows(setup.rig.api, `${pfb_tasksync.entitySetName}?$select=pfb_syncstatus&$filter=pfb_syncstatus eq ${SyncStatus.Synced}`)).length === tasks.length || undefined,
    sized(60_000, 180_000),
  );
  const actual = await workOrdersByKey(setup.rig.api);
  expect([...actual.entries()].sort()).toEqual([...(await undisturbedWorkOrders(`scale:${TASKS}`)).entries()].sort());
  const reconciled = setup.rig.bridge.lines.filter((l) => l.message.startsWith('reconcile: queued')).reduce((a, l) => a + Number(l['readyToSync'] ?? 0), 0);
  log.push(`sync: ${tasks.length} tasks Synced, ${actual.size} work orders equal to the undisturbed sync; ${reconciled} rows queued again by the reconcile timer`);
  expect(reconciled).toBeGreaterThan(0);

  // Bookings and field events, with the storage restarted while deliveries are arriving.
  const taskSyncs = await rows(setup.rig.api, `${pfb_tasksync.entitySetName}?$select=pfb_name&$orderby=pfb_name`);
  const booked = await bookAll(setup.rig.api, taskSyncs.map((t) => t['pfb_tasksyncid'] as string));
  await setup.rig.dv.idle();
  const events: StageEvent[] = booked.flatMap((b, i) => dayFor(b.bookingId, i));
  const deliveries = chunks(events.sort((a, b) => a.sequence - b.sequence || a.bookingId.localeCompare(b.bookingId)), Math.ceil(events.length / 10));
  const sends: ReturnType<typeof sendUntilAccepted>[] = [];
  for (const [i, wave] of chunks(deliveries, RESTARTS).entries()) {
    // Half the wave before the restart, half while the storage is away.
    const [before, during] = chunks(wave, 2) as [StageEvent[][], StageEvent[][]];
    for (const d of before) sends.push(sendUntilAccepted(setup.rig.bridge.url, d, { deadlineMs: 120_000 }));
    await sleep(200);
    const restarted = setup.rig.azurite.restart(DOWN_MS);
    await sleep(300);
    for (const d of during ?? []) sends.push(sendUntilAccepted(setup.rig.bridge.url, d, { deadlineMs: 120_000 }));
    await restarted;
    log.push(`events restart ${i + 1}: ${before.length} deliveries sent before, ${during?.length ?? 0} while the storage was away ${DOWN_MS} ms`);
  }
  const sent = await Promise.all(sends);
  const refusals = sent.flatMap((s) => s.refusals);
  log.push(`events: ${events.length} events in ${sends.length} deliveries, accepted after ${sent.reduce((a, s) => a + s.attempts, 0)} POSTs; refused while the storage was away: ${JSON.stringify(Object.fromEntries([...new Set(refusals)].map((r) => [r, refusals.filter((x) => x === r).length])))}`);
  // The bridge answered them 503 (Retry-After): the app and Dataverse both try again on 503, not on 500.
  expect(refusals.length).toBeGreaterThan(0);
  expect(refusals.filter((r) => r !== 503)).toEqual([]);

  await eventually(`all ${events.length} events recorded`, async () => (await rows(setup.rig.api, 'pfb_fieldevents?$select=pfb_eventid')).length >= events.length || undefined, sized(60_000, 180_000));
  const recorded = (await rows(setup.rig.api, 'pfb_fieldevents?$select=pfb_eventid')).map((r) => r['pfb_eventid'] as string);
  expect(recorded.length).toBe(events.length);
  expect(new Set(recorded)).toEqual(new Set(events.map((e) => e.eventId)));
  await eventually('figures equal to the in-order delivery', async () => (await figureDifferences(setup.rig.api, booked, events)).length === 0 || undefined, 60_000).catch(async (e: unknown) => {
    throw new Error(`${(e as Error).message}: ${(await figureDifferences(setup.rig.api, booked, events)).slice(0, 5).join('; ')}`);
  });

  await eventually(`all ${booked.length} bookings in the mobility app`, () => setup.rig.mobility.tickets().length >= booked.length || undefined, 60_000);
  const tickets = setup.rig.mobility.tickets();
  expect(new Set(tickets.map((t) => t.ticketId.toLowerCase()))).toEqual(new Set(booked.map((b) => b.bookingId.toLowerCase())));
  expect(tickets.filter((t) => t.version !== 1)).toEqual([]);
  await eventually('the queues empty', async () => Object.keys(await setup.rig.azurite.depths()).length === 0 || undefined, 60_000);
  const warnings = setup.rig.bridge.lines.filter((l) => l.level !== 'info');
  const kinds = new Map<string, number>();
  for (const w of warnings) {
    const kind = w.message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>').replace(/127\.0\.0\.1:\d+/g, '<azurite>').slice(0, 100);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  log.push(...[...kinds].map(([m, n]) => `  ${n} × ${m}`));
  expect(setup.rig.bridge.crashes).toEqual([]);
  log.push(`dispatch: ${booked.length} bookings, ${tickets.length} tickets at version 1; bridge warnings while the storage was away: ${warnings.length}; ${setup.rig.bridge.exceptions().length} tracked exceptions`);
}, sized(180_000, 600_000));
