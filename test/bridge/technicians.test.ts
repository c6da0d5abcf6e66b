/**
 * The whole inbound loop with the simulator's technicians: bookings dispatched by the real bridge over mutual TLS
 * reach the mobility simulator; its technicians work them on an accelerated clock and their app — duplicating,
 * reordering, holding back and replaying deliveries — posts signed stage events back; the bridge records each event
 * once and the figures in Dataverse add up.
 */
import { FieldStatus, fieldStageChoice, pfb_fieldevent } from '@pfb/domain';
import { startKeyVault, type KeyVaultStandIn } from '@pfb/sandbox/keyvault';
import { SimulatedTechnicians, startMobilitySimulator, type MobilitySimulator } from '@pfb/sandbox/mobility';
import { createTestPki, type TestPki } from '@pfb/sandbox/pki';
import { createMobilityAdapter } from '../../functions-bridge/src/services/mobility';
import { syncAndBook, type SyncedTask } from './fieldSupport';
import { eventually, registerBookingWebhooks, registerTaskSyncWebhook, SIGNING_SECRET, startBridgeStack, type BridgeStack } from './support';

type Row = Record<string, unknown>;
let pki: TestPki;
let sim: MobilitySimulator;
let vault: KeyVaultStandIn;
let stack: BridgeStack;
let technicians: SimulatedTechnicians;

beforeAll(async () => {
  pki = createTestPki({ validDays: 1 });
  [sim, vault] = await Promise.all([startMobilitySimulator({ pki }), startKeyVault({ pki })]);
  vault.setCertificateSecret('mobility-client', pki.client, 'pfx');
  stack = await startBridgeStack({
    env: { QUEUE_RETRY_SECONDS: '2', MOBILITY_BASE_URL: sim.url, KEY_VAULT_URL: vault.url, MOBILITY_CERTIFICATE_NAME: 'mobility-client', MOBILITY_CA_PEM: pki.ca.certPem },
    compose: () => ({
      factories: { mobility: (settings) => createMobilityAdapter(settings, { credential: vault.credential(), secretClientOptions: vault.clientOptions(), timeoutMs: 5000 }) },
      fieldEvent: { batchWindowMs: 50, rollupIntervalMs: 200 },
    }),
  });
  await registerTaskSyncWebhook(stack.api, stack.host.url);
  await registerBookingWebhooks(stack.api, stack.host.url);
}, 60_000);
afterAll(async () => {
  await technicians?.stop();
  await stack?.stop();
  await Promise.all([sim?.close(), vault?.close()]);
});

it('technicians work every dispatched booking; every event is recorded once and the figures add up', async () => {
  technicians = new SimulatedTechnicians(sim, {
    eventsUrl: `${stack.host.url}/api/mobility/events`,
    signingSecret: SIGNING_SECRET,
    minutesPerSecond: 20_000,
    incompleteRate: 0.25,
    flushMs: 100,
    pollMs: 50,
    seed: 7,
    faults: { duplicate: 0.3, reorder: 0.5, late: 0.2, replay: 0.5 },
  }).start();
  const tasks: SyncedTask[] = await syncAndBook(stack, 3);
  const bookings = tasks.flatMap((t) => t.workOrders.map((w) => w.bookingId));

  // Every booking ends Complete or Incomplete in Dataverse.
  const ended = [fieldStageChoice('Complete'), fieldStageChoice('Incomplete')];
  const rows = await eventually(
    'every booking worked to its end',
    async () => {
      await technicians.drain();
      const r = (await stack.api.get(`bookableresourcebookings?$select=pfb_fieldstage,pfb_actualeffort,_msdyn_workorder_value&$filter=Microsoft.Dynamics.CRM.In(PropertyName='bookableresourcebookingid',PropertyValues=[${bookings.map((b) => `'${b}'`).join(',')}])`)).json<{ value: Row[] }>().value;
      return r.length === bookings.length && r.every((b) => ended.includes(b['pfb_fieldstage'] as number)) ? r : undefined;
    },
    60_000,
  );
  expect(technicians.stats.ticketsWorked).toBe(bookings.length);
  expect(technicians.stats.replaysRefused + technicians.stats.accepted).toBeGreaterThan(0);

  // Five events per booking, each recorded once despite duplicates and replays.
  // (Late events the app held back may still be on their way once every booking has ended: wait for them.)
  const recordedEvents = async (): Promise<Row[]> =>
    (await stack.api.get(`${pfb_fieldevent.entitySetName}?$select=pfb_eventid&$filter=Microsoft.Dynamics.CRM.In(PropertyName='pfb_booking',PropertyValues=[${bookings.map((b) => `'${b}'`).join(',')}])`)).json<{ value: Row[] }>().value;
  await eventually('every event recorded', async () => {
    await technicians.drain();
    return (await recordedEvents()).length >= bookings.length * 5 ? true : undefined;
  });
  const recorded = await recordedEvents();
  expect(recorded).toHaveLength(bookings.length * 5);
  expect(new Set(recorded.map((r) => r['pfb_eventid'])).size).toBe(recorded.length);

  // Each task's actual effort is the sum of its bookings'; its status follows them.
  for (const task of tasks) {
    const mine = rows.filter((b) => task.workOrders.some((w) => w.id === b['_msdyn_workorder_value']));
    const effort = mine.reduce((a, b) => a + (b['pfb_actualeffort'] as number), 0);
    const incomplete = mine.filter((b) => b['pfb_fieldstage'] === fieldStageChoice('Incomplete')).length;
    await eventually(`task ${task.taskSyncId} rolled up`, async () => {
      const t = (await stack.api.get(`pfb_tasksyncs(${task.taskSyncId})?$select=pfb_actualeffort,pfb_workordersincomplete,pfb_fieldstatus`)).json<Row>();
      const status = incomplete > 0 ? FieldStatus.Incomplete : FieldStatus.Completed;
      return Math.abs((t['pfb_actualeffort'] as number) - effort) < 0.011 && t['pfb_workordersincomplete'] === incomplete && t['pfb_fieldstatus'] === status ? t : undefined;
    });
  }
  // The bridge's own stage writes were not dispatched back to the app: one ticket version per booking.
  for (const b of bookings) expect(sim.ticket(b)?.version).toBe(1);
  expect(stack.exceptions()).toEqual([]);
}, 120_000);
