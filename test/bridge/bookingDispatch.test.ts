/**
 * Booking dispatch end to end: a dispatcher's booking written through the Web API → the booking webhook steps
 * (Create/Update with a post image, Delete with a pre-image) → booking-dispatch queue → the real worker → the mobility
 * simulator over mutual TLS, with the client certificate read by the real SecretClient from the Key Vault stand-in.
 */
import { DispatchStatus, account, bookableresource, bookableresourcebooking, msdyn_projecttask, msdyn_resourcerequirement, msdyn_workorder } from '@pfb/domain';
import { BOOKING_STATUS_IDS } from '@pfb/sandbox';
import { startKeyVault, type KeyVaultStandIn } from '@pfb/sandbox/keyvault';
import { startMobilitySimulator, type MobilitySimulator } from '@pfb/sandbox/mobility';
import { createTestPki, type TestPki } from '@pfb/sandbox/pki';
import { createMobilityAdapter } from '../../functions-bridge/src/services/mobility';
import { eventually, FUNCTION_KEY, peekQueue, registerBookingWebhooks, startBridgeStack, type BridgeStack } from './support';

const CERT = 'mobility-client';

let pki: TestPki;
let sim: MobilitySimulator;
let vault: KeyVaultStandIn;
let stack: BridgeStack;

type Row = Record<string, unknown>;
const BOOKINGS = bookableresourcebooking.entitySetName;

beforeAll(async () => {
  pki = createTestPki({ validDays: 1 });
  [sim, vault] = await Promise.all([startMobilitySimulator({ pki }), startKeyVault({ pki })]);
  vault.setCertificateSecret(CERT, pki.client, 'pfx');
  stack = await startBridgeStack({
    env: {
      MOBILITY_BASE_URL: sim.url,
      KEY_VAULT_URL: vault.url,
      MOBILITY_CERTIFICATE_NAME: CERT,
      MOBILITY_CA_PEM: pki.ca.certPem,
      // Retries every second, two attempts: the poison path in seconds instead of minutes.
      QUEUE_RETRY_SECONDS: '1',
      QUEUE_MAX_DEQUEUE_COUNT: '2',
    },
    // The real adapter; only the Key Vault client is pointed at the stand-in (its token and its test CA).
    compose: () => ({
      factories: { mobility: (settings) => createMobilityAdapter(settings, { credential: vault.credential(), secretClientOptions: vault.clientOptions(), timeoutMs: 5000 }) },
    }),
  });
  await registerBookingWebhooks(stack.api, stack.host.url);
});
afterAll(async () => {
  await stack?.stop();
  await Promise.all([sim?.close(), vault?.close()]);
});

async function create(entitySet: string, body: Row): Promise<Row> {
  const res = await stack.api.post(entitySet, body, { Prefer: 'return=representation' });
  if (res.status !== 201) throw new Error(`POST ${entitySet}: ${res.status} ${res.text}`);
  return res.json();
}

let slot = 90;

async function newBooking(): Promise<{ bookingId: string; workOrderId: string }> {
  slot += 1;
  const get = async (path: string): Promise<Row> => ((await stack.api.get(path)).json<{ value: Row[] }>().value[0] ?? {}) as Row;
  const task = await get(`${msdyn_projecttask.entitySetName}?$select=msdyn_subject,_msdyn_project_value&$filter=msdyn_summary eq false&$top=1`);
  const technician = await get(`${bookableresource.entitySetName}?$select=name&$filter=pfb_mobilityuserid ne null&$top=1`);
  const site = await create(account.entitySetName, { name: 'Cell site VIC-0107', address1_line1: '7 Ridge Rd', address1_city: 'Ballarat', address1_country: 'Australia' });
  const workOrder = await create(msdyn_workorder.entitySetName, {
    'msdyn_serviceaccount@odata.bind': `/${account.entitySetName}(${site['accountid'] as string})`,
    msdyn_workordersummary: 'Swap the remote radio unit',
    pfb_plannedeffort: 6,
    pfb_sourcekey: `${task['msdyn_projecttaskid'] as string}:${slot}`,
    'pfb_project@odata.bind': `/msdyn_projects(${task['_msdyn_project_value'] as string})`,
    'pfb_projecttask@odata.bind': `/${msdyn_projecttask.entitySetName}(${task['msdyn_projecttaskid'] as string})`,
  });
  const workOrderId = workOrder['msdyn_workorderid'] as string;
  const requirement = await get(`${msdyn_resourcerequirement.entitySetName}?$select=msdyn_name&$filter=_msdyn_workorder_value eq ${workOrderId}`);
  const booking = await create(BOOKINGS, {
    name: 'Swap the remote radio unit',
    starttime: '2027-04-05T22:00:00Z',
    endtime: '2027-04-06T04:00:00Z',
    'Resource@odata.bind': `/${bookableresource.entitySetName}(${technician['bookableresourceid'] as string})`,
    'BookingStatus@odata.bind': `/bookingstatuses(${BOOKING_STATUS_IDS.Scheduled})`,
    'msdyn_workorder@odata.bind': `/${msdyn_workorder.entitySetName}(${workOrderId})`,
    'msdyn_resourcerequirement@odata.bind': `/${msdyn_resourcerequirement.entitySetName}(${requirement['msdyn_resourcerequirementid'] as string})`,
  });
  return { bookingId: booking['bookableresourcebookingid'] as string, workOrderId };
}

const bookingRow = async (id: string): Promise<Row> => (await stack.api.get(`${BOOKINGS}(${id})?$select=versionnumber,pfb_dispatchstatus,pfb_mobilityref`)).json();

it('sends a new booking to the mobility app over mutual TLS, updates it when moved and cancels it when deleted', async () => {
  const { bookingId } = await newBooking();

  const sent = await eventually('the ticket in the mobility app', () => sim.ticket(bookingId));
  expect(sent).toMatchObject({ ticketId: bookingId, status: 'Scheduled', window: { start: '2027-04-05T22:00:00Z', end: '2027-04-06T04:00:00Z' } });
  const first = sim.requests().find((r) => r.path === `/v1/tickets/${bookingId}`);
  expect(first?.clientSubject).toBe(pki.client.subject);
  // The version came with the webhook's post image: the idempotency key names it.
  expect(first?.idempotencyKey).toMatch(new RegExp(`^${bookingId}:\\d+$`));
  const recorded = await eventually('Dispatch Status Sent', async () => {
    const r = await bookingRow(bookingId);
    return r['pfb_dispatchstatus'] === DispatchStatus.Sent ? r : undefined;
  });
  expect(recorded['pfb_mobilityref']).toBe(sent.mobilityRef);

  // Moved by the dispatcher: the Update step (filtered on the window) sends the new window.
  const moved = await stack.api.patch(`${BOOKINGS}(${bookingId})`, { starttime: '2027-04-06T22:00:00Z', endtime: '2027-04-07T04:00:00Z' }, { 'If-Match': '*' });
  expect(moved.status).toBe(204);
  await eventually('the moved window in the app', () => sim.ticket(bookingId)?.window.start === '2027-04-06T22:00:00Z');

  // Deleted: the Delete step's pre-image carries the mobility reference; the app cancels the ticket.
  expect((await stack.api.delete(`${BOOKINGS}(${bookingId})`)).status).toBe(204);
  await eventually('the ticket cancelled', () => sim.ticket(bookingId)?.status === 'Cancelled');
  expect(sim.requests().some((r) => r.path === `/v1/tickets/${bookingId}/cancel`)).toBe(true);
  expect(stack.lines.some((l) => l.message.startsWith(`queued booking dispatch ${bookingId} (Delete`))).toBe(true);
  expect(stack.exceptions()).toEqual([]);
});

it('while the app is down: retries, then Dispatch Status Failed and BookingDispatchPoisoned; re-driven once it is back', async () => {
  sim.setFault({ mode: 'fail', status: 503 });
  let bookingId = '';
  try {
    ({ bookingId } = await newBooking());
    await eventually('Dispatch Status Failed', async () => (await bookingRow(bookingId))['pfb_dispatchstatus'] === DispatchStatus.Failed);
    const poisoned = await eventually('the poison exception', () => stack.exceptions().find((e) => e['failure'] === 'BookingDispatchPoisoned' && e['recordId'] === bookingId));
    expect(poisoned).toMatchObject({ queue: 'booking-dispatch', recordId: bookingId, step: expect.any(String) });
    expect(stack.exceptions().filter((e) => e['recordId'] === bookingId)).toHaveLength(1);
    expect(sim.requests().filter((r) => r.path === `/v1/tickets/${bookingId}`).length).toBe(2);
    await eventually('parked', async () => (await peekQueue(stack, 'booking-dispatch-parked')).length === 1);
  } finally {
    sim.setFault({ mode: 'none' });
  }
  const redrive = await fetch(`${stack.host.url}/api/admin/redrive?queue=booking-dispatch`, { method: 'POST', headers: { 'x-functions-key': FUNCTION_KEY } });
  expect(await redrive.json()).toMatchObject({ moved: 1, fromParked: 1 });
  await eventually('the ticket after the re-drive', () => sim.ticket(bookingId));
  await eventually('Dispatch Status Sent', async () => (await bookingRow(bookingId))['pfb_dispatchstatus'] === DispatchStatus.Sent);
});

it('health reports Dataverse, the queues and the mobility app; 503 while the app fails', async () => {
  const up = await fetch(`${stack.host.url}/api/health`);
  const body = (await up.json()) as { status: string; checks: Record<string, { ok: boolean; detail: string }> };
  expect(up.status).toBe(200);
  expect(Object.fromEntries(Object.entries(body.checks).map(([k, v]) => [k, v.ok]))).toEqual({ dataverse: true, queues: true, mobility: true });

  sim.setFault({ mode: 'fail', status: 503 });
  try {
    const down = await fetch(`${stack.host.url}/api/health`);
    expect(down.status).toBe(503);
    const text = await down.text();
    expect(JSON.parse(text)).toMatchObject({ status: 'unhealthy', checks: { dataverse: { ok: true }, queues: { ok: true }, mobility: { ok: false } } });
    expect(text).not.toMatch(/-----BEGIN|PRIVATE KEY/);
  } finally {
    sim.setFault({ mode: 'none' });
  }
});
