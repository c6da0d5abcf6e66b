/**
 * Booking dispatch end to end on this machine: the local Dataverse (site, work order and booking created through the
 * Web API, on a project task of the telecom seed), the mobility simulator over mutual TLS, and the client certificate
 * read by the real SecretClient from the Key Vault stand-in.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import {
  DispatchStatus,
  ServiceEndpointAuthType,
  ServiceEndpointContract,
  StepMode,
  StepStage,
  account,
  bookableresource,
  bookableresourcebooking,
  msdyn_project,
  msdyn_projecttask,
  msdyn_resourcerequirement,
  msdyn_workorder,
  sdkmessage,
  sdkmessagefilter,
  sdkmessageprocessingstep,
  serviceendpoint,
} from '@pfb/domain';
import { BOOKING_STATUS_IDS, startDataverse, type RunningDataverse } from '@pfb/sandbox';
import { startKeyVault, type KeyVaultStandIn } from '@pfb/sandbox/keyvault';
import { startMobilitySimulator, type MobilitySimulator } from '@pfb/sandbox/mobility';
import { createTestPki, type TestPki } from '@pfb/sandbox/pki';
import type { Settings } from '../../config/settings';
import { DataverseClient } from '../dataverse/dataverseClient';
import { DataverseRequestError } from '../dataverse/dataverseError';
import { createMobilityAdapter, MobilityError, type HttpsMobilityAdapter, type MobilityAdapter } from '../mobility';
import type { BookingDispatchMessage } from '../queueMessages';
import type { WorkerContext } from '../workerContract';
import { createBookingDispatchWorker } from './bookingDispatchWorker';
import { BOOKING_DISPATCH_FILTERING_ATTRIBUTES, BOOKING_DISPATCH_WRITTEN_COLUMNS, BookingDispatchError, dispatchBooking, type DispatchDeps } from './dispatchBooking';

const CERT = 'mobility-client';
const NOW = new Date('2026-11-23T09:30:00Z');
const credential: TokenCredential = { getToken: (): Promise<AccessToken> => Promise.resolve({ token: 'local', expiresOnTimestamp: Date.now() + 3600_000 }) };

let pki: TestPki;
let sim: MobilitySimulator;
let vault: KeyVaultStandIn;
let dv: RunningDataverse;
let dataverse: DataverseClient;
let mobility: HttpsMobilityAdapter;
const adapters: HttpsMobilityAdapter[] = [];
let logs: string[];

/** The seed's project task, its project, and a technician with a mobility user id. */
let task: { id: string; name: string; projectId: string };
let project: { name: string; timeZone: string | null };
let technician: { id: string; name: string; mobilityUserId: string };
let site: string;
let slot = 0;

// ---- the local Dataverse through its Web API ---------------------------------------------------------------------

type Row = Record<string, unknown>;

async function web(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Row }> {
  const res = await fetch(`${dv.url}/${path}`, {
    method,
    headers: { Authorization: 'Bearer test', Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Row) : {} };
}

async function create(entitySet: string, body: Row): Promise<Row> {
  const res = await web('POST', entitySet, body, { Prefer: 'return=representation' });
  if (res.status !== 201) throw new Error(`POST ${entitySet}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

async function patch(entitySet: string, id: string, body: Row): Promise<void> {
  const res = await web('PATCH', `${entitySet}(${id})`, body, { 'If-Match': '*' });
  if (res.status !== 204) throw new Error(`PATCH ${entitySet}: ${res.status} ${JSON.stringify(res.json)}`);
}

const BOOKINGS = bookableresourcebooking.entitySetName;

async function bookingRow(id: string): Promise<Row> {
  return (await web('GET', `${BOOKINGS}(${id})?$select=versionnumber,pfb_dispatchstatus,pfb_mobilityref,pfb_lastdispatchedon`)).json;
}

async function newWorkOrder(bridgeOwned = true): Promise<string> {
  slot += 1;
  const wo = await create(msdyn_workorder.entitySetName, {
    'msdyn_serviceaccount@odata.bind': `/${account.entitySetName}(${site})`,
    msdyn_workordersummary: `Install antenna, slot ${slot}`,
    msdyn_instructions: 'Key at the gate box',
    pfb_plannedeffort: 7,
    ...(bridgeOwned
      ? {
          pfb_sourcekey: `${task.id}:${slot}`,
          'pfb_project@odata.bind': `/${msdyn_project.entitySetName}(${task.projectId})`,
          'pfb_projecttask@odata.bind': `/${msdyn_projecttask.entitySetName}(${task.id})`,
        }
      : {}),
  });
  return wo['msdyn_workorderid'] as string;
}

async function newBooking(options: { bridgeOwned?: boolean; start?: string; end?: string } = {}): Promise<string> {
  const workOrderId = await newWorkOrder(options.bridgeOwned ?? true);
  const requirement = (await web('GET', `${msdyn_resourcerequirement.entitySetName}?$select=msdyn_name&$filter=_msdyn_workorder_value eq ${workOrderId}`)).json['value'] as Row[];
  const booking = await create(BOOKINGS, {
    name: `Install antenna — slot ${slot}`,
    starttime: options.start ?? '2027-03-01T22:00:00Z',
    endtime: options.end ?? '2027-03-02T05:00:00Z',
    'Resource@odata.bind': `/${bookableresource.entitySetName}(${technician.id})`,
    'BookingStatus@odata.bind': `/bookingstatuses(${BOOKING_STATUS_IDS.Scheduled})`,
    'msdyn_workorder@odata.bind': `/${msdyn_workorder.entitySetName}(${workOrderId})`,
    'msdyn_resourcerequirement@odata.bind': `/${msdyn_resourcerequirement.entitySetName}(${requirement[0]?.['msdyn_resourcerequirementid'] as string})`,
  });
  return booking['bookableresourcebookingid'] as string;
}

/** The message the webhook receiver queues: ids, the trigger and the row version the webhook saw. */
async function messageFor(bookingId: string, trigger: BookingDispatchMessage['trigger'] = 'Update'): Promise<BookingDispatchMessage> {
  const version = (await bookingRow(bookingId))['versionnumber'];
  return { kind: 'bookingDispatch', bookingId, trigger, versionNumber: String(version), deleted: null, correlationId: `test-${bookingId}`, receivedOn: NOW.toISOString() };
}

// ---- the bridge's side ---------------------------------------------------------------------------------------------

function adapterWith(secretName: string): HttpsMobilityAdapter {
  const settings: Pick<Settings, 'MOBILITY_BASE_URL' | 'KEY_VAULT_URL' | 'MOBILITY_CERTIFICATE_NAME' | 'MOBILITY_CA_PEM'> = {
    MOBILITY_BASE_URL: sim.url,
    KEY_VAULT_URL: vault.url,
    MOBILITY_CERTIFICATE_NAME: secretName,
    MOBILITY_CA_PEM: pki.ca.certPem,
  };
  // The real SecretClient against the stand-in: its credential and an agent trusting the test CA.
  const a = createMobilityAdapter(settings, { credential: vault.credential(), secretClientOptions: vault.clientOptions(), timeoutMs: 5000 });
  adapters.push(a);
  return a;
}

const log: DispatchDeps['log'] = (level, message, properties) => {
  logs.push(`${level} ${message} ${JSON.stringify(properties ?? {})}`);
};

const deps = (m: MobilityAdapter = mobility): DispatchDeps => ({ dataverse, mobility: m, log, now: () => NOW });

const ticketRequests = (bookingId: string): ReturnType<MobilitySimulator['requests']> => sim.requests().filter((r) => r.path.startsWith(`/v1/tickets/${bookingId}`));

function expectNoKeyMaterial(text: string): void {
  expect(text).not.toMatch(/-----BEGIN|PRIVATE KEY|[A-Za-z0-9+/]{64,}/);
  for (const pem of [pki.client.keyPem, pki.intruder.keyPem]) expect(text).not.toContain(pem.split('\n')[1]);
}

beforeAll(async () => {
  pki = createTestPki({ validDays: 1 });
  [sim, vault, dv] = await Promise.all([startMobilitySimulator({ pki }), startKeyVault({ pki }), startDataverse({ seed: 'telecom', limits: null })]);
  dataverse = new DataverseClient({ serviceRoot: dv.url, credential });
  vault.setCertificateSecret(CERT, pki.client, 'pfx');
  mobility = adapterWith(CERT);

  const leaf = ((await web('GET', `${msdyn_projecttask.entitySetName}?$select=msdyn_subject,_msdyn_project_value&$filter=msdyn_summary eq false&$top=1`)).json['value'] as Row[])[0] as Row;
  task = { id: leaf['msdyn_projecttaskid'] as string, name: leaf['msdyn_subject'] as string, projectId: leaf['_msdyn_project_value'] as string };
  const p = (await web('GET', `${msdyn_project.entitySetName}(${task.projectId})?$select=msdyn_subject,pfb_timezone`)).json;
  project = { name: p['msdyn_subject'] as string, timeZone: (p['pfb_timezone'] as string | null) ?? null };
  const r = ((await web('GET', `${bookableresource.entitySetName}?$select=name,pfb_mobilityuserid&$filter=pfb_mobilityuserid ne null&$top=1`)).json['value'] as Row[])[0] as Row;
  technician = { id: r['bookableresourceid'] as string, name: r['name'] as string, mobilityUserId: r['pfb_mobilityuserid'] as string };
  site = (
    await create(account.entitySetName, {
      name: 'Cell site NSW-0042',
      address1_line1: '1 Tower Rd',
      address1_city: 'Gosford',
      address1_stateorprovince: 'NSW',
      address1_postalcode: '2250',
      address1_country: 'Australia',
      address1_latitude: -33.42,
      address1_longitude: 151.34,
    })
  )['accountid'] as string;
});

afterAll(async () => {
  await Promise.all(adapters.map((a) => a.close()));
  await Promise.all([sim.close(), vault.close(), dv.close()]);
});

beforeEach(() => {
  logs = [];
  sim.setFault({ mode: 'none' });
});

// ---- delivery ------------------------------------------------------------------------------------------------------

describe('delivery', () => {
  it('sends a booking as a ticket and records Sent, the mobility reference and the time — one Dataverse read, one write', async () => {
    const bookingId = await newBooking();
    const message = await messageFor(bookingId, 'Create');
    const before = dataverse.stats.requests;

    const outcome = await dispatchBooking(message, deps());

    expect(dataverse.stats.requests - before).toBe(2);
    const ticket = sim.ticket(bookingId);
    expect(outcome).toEqual({
      result: 'Sent',
      bookingId,
      action: 'upsert',
      idempotencyKey: `${bookingId}:${message.versionNumber}`,
      mobilityRef: ticket?.mobilityRef,
      version: 1,
      found: true,
      recorded: true,
    });
    expect(ticket).toMatchObject({
      ticketId: bookingId,
      sourceKey: `${task.id}:${slot}`,
      workOrder: { number: expect.stringMatching(/^\d{5}$/), summary: `Install antenna, slot ${slot}`, instructions: 'Key at the gate box' },
      project: { id: task.projectId, name: project.name },
      task: { id: task.id, name: task.name },
      technician: { resourceId: technician.id, name: technician.name, mobilityUserId: technician.mobilityUserId, email: expect.stringContaining('@') },
      site: {
        accountId: site,
        name: 'Cell site NSW-0042',
        address: { line1: '1 Tower Rd', city: 'Gosford', stateOrProvince: 'NSW', postalCode: '2250', country: 'Australia' },
        latitude: -33.42,
        longitude: 151.34,
        timeZone: project.timeZone,
      },
      window: { start: '2027-03-01T22:00:00Z', end: '2027-03-02T05:00:00Z' },
      plannedEffortHours: 7,
      status: 'Scheduled',
      version: 1,
    });
    expect(ticketRequests(bookingId)[0]?.clientSubject).toBe(pki.client.subject);
    expect(await bookingRow(bookingId)).toMatchObject({
      pfb_dispatchstatus: DispatchStatus.Sent,
      pfb_mobilityref: ticket?.mobilityRef,
      pfb_lastdispatchedon: '2026-11-23T09:30:00Z',
    });
  });

  it('delivering the same booking version twice creates no new ticket version', async () => {
    const bookingId = await newBooking();
    const message = await messageFor(bookingId, 'Create');
    const first = await dispatchBooking(message, deps());
    const again = await dispatchBooking(message, deps());
    expect(again).toMatchObject({ result: 'Sent', version: 1, mobilityRef: (first as { mobilityRef: string }).mobilityRef });
    expect(sim.ticket(bookingId)?.version).toBe(1);
    expect(ticketRequests(bookingId).map((r) => [r.idempotencyKey, r.replayed])).toEqual([
      [`${bookingId}:${message.versionNumber}`, false],
      [`${bookingId}:${message.versionNumber}`, true],
    ]);
  });

  it('a changed booking (new start time) updates the ticket; the older message arriving late changes nothing', async () => {
    const bookingId = await newBooking();
    const created = await messageFor(bookingId, 'Create');
    await dispatchBooking(created, deps());
    await patch(BOOKINGS, bookingId, { starttime: '2027-03-02T22:00:00Z', endtime: '2027-03-03T05:00:00Z' });
    const moved = await messageFor(bookingId);

    expect(await dispatchBooking(moved, deps())).toMatchObject({ result: 'Sent', version: 2, idempotencyKey: `${bookingId}:${moved.versionNumber}` });
    expect(sim.ticket(bookingId)).toMatchObject({ version: 2, window: { start: '2027-03-02T22:00:00Z', end: '2027-03-03T05:00:00Z' } });

    // The Create message redelivered after the move: its key was used with the old window → superseded.
    const late = await dispatchBooking(created, deps());
    expect(late).toMatchObject({ result: 'Skipped', reason: expect.stringMatching(/superseded by a later change/) });
    expect(sim.ticket(bookingId)).toMatchObject({ version: 2, window: { start: '2027-03-02T22:00:00Z' } });
    expect((await bookingRow(bookingId))['pfb_dispatchstatus']).toBe(DispatchStatus.Sent);
  });

  it('a cancelled booking cancels the ticket', async () => {
    const bookingId = await newBooking();
    await dispatchBooking(await messageFor(bookingId, 'Create'), deps());
    await patch(BOOKINGS, bookingId, { 'BookingStatus@odata.bind': `/bookingstatuses(${BOOKING_STATUS_IDS.Canceled})` });
    const message = await messageFor(bookingId);

    const outcome = await dispatchBooking(message, deps());

    expect(outcome).toMatchObject({ result: 'Sent', action: 'cancel', found: true, version: 2, idempotencyKey: `${bookingId}:${message.versionNumber}:cancel` });
    expect(sim.ticket(bookingId)).toMatchObject({ status: 'Cancelled', cancellationReason: 'Booking cancelled in Dynamics 365 (status Canceled)', version: 2 });
    expect((await bookingRow(bookingId))['pfb_dispatchstatus']).toBe(DispatchStatus.Sent);
  });

  it('a deleted booking cancels its ticket by the booking id (the row is gone: nothing to record)', async () => {
    const bookingId = await newBooking();
    const sent = await dispatchBooking(await messageFor(bookingId, 'Create'), deps());
    const mobilityRef = (sent as { mobilityRef: string }).mobilityRef;
    const message = { ...(await messageFor(bookingId, 'Delete')), deleted: { mobilityRef, workOrderId: null } };
    expect((await web('DELETE', `${BOOKINGS}(${bookingId})`)).status).toBe(204);

    const outcome = await dispatchBooking(message, deps());

    expect(outcome).toMatchObject({ result: 'Sent', action: 'cancel', found: true, mobilityRef, recorded: false, idempotencyKey: `${bookingId}:${message.versionNumber}:delete` });
    expect(sim.ticket(bookingId)).toMatchObject({ status: 'Cancelled', cancellationReason: 'Booking deleted in Dynamics 365' });
    // Deleting a booking that never reached the app is as good as cancelled.
    const never = await dispatchBooking({ ...message, bookingId: '6f0c8a52-0000-4000-8000-00000000dead' }, deps());
    expect(never).toMatchObject({ result: 'Sent', action: 'cancel', found: false });
  });

  it('skips a booking of a work order the bridge did not create (no ticket, no write)', async () => {
    const bookingId = await newBooking({ bridgeOwned: false });
    const before = dataverse.stats.requests;
    const outcome = await dispatchBooking(await messageFor(bookingId), deps());
    expect(outcome).toMatchObject({ result: 'Skipped', reason: expect.stringMatching(/which the bridge did not create from a project task/) });
    expect(dataverse.stats.requests - before).toBe(1);
    expect(sim.ticket(bookingId)).toBeUndefined();
    expect((await bookingRow(bookingId))['pfb_dispatchstatus']).toBeNull();
  });

  it('a booking changed while it was being sent ends with its current state in the app (If-Match on the record)', async () => {
    const bookingId = await newBooking();
    const message = await messageFor(bookingId, 'Create');
    let moved = false;
    // A dispatcher moves the booking while our PUT is in flight (another instance would send the move meanwhile).
    const racing: MobilityAdapter = {
      upsertTicket: async (ticket, key) => {
        const result = await mobility.upsertTicket(ticket, key);
        if (!moved) {
          moved = true;
          await patch(BOOKINGS, bookingId, { starttime: '2027-03-04T22:00:00Z', endtime: '2027-03-05T05:00:00Z' });
        }
        return result;
      },
      cancelTicket: (...args) => mobility.cancelTicket(...args),
      health: () => mobility.health(),
    };

    const outcome = await dispatchBooking(message, deps(racing));

    expect(outcome).toMatchObject({ result: 'Sent', version: 2 });
    expect(sim.ticket(bookingId)).toMatchObject({ version: 2, window: { start: '2027-03-04T22:00:00Z', end: '2027-03-05T05:00:00Z' } });
    expect(ticketRequests(bookingId)).toHaveLength(2);
    expect((await bookingRow(bookingId))['pfb_dispatchstatus']).toBe(DispatchStatus.Sent);
  });
});

// ---- failures ------------------------------------------------------------------------------------------------------

describe('failures', () => {
  it('without a valid client certificate (intruder in Key Vault) the app refuses: a retryable TLS failure, no key material', async () => {
    vault.setCertificateSecret('mobility-intruder', pki.intruder, 'pem');
    const bookingId = await newBooking();

    const e = (await dispatchBooking(await messageFor(bookingId), deps(adapterWith('mobility-intruder'))).catch((x: unknown) => x)) as BookingDispatchError;

    expect(e).toBeInstanceOf(BookingDispatchError);
    expect(e).toMatchObject({ step: 'send-ticket', retryable: true });
    expect(e.cause).toBeInstanceOf(MobilityError);
    expect(e.cause).toMatchObject({ kind: 'tls', retryable: true });
    expect(e.message).toMatch(new RegExp(`^Booking ${bookingId}: step "send-ticket" failed: PUT ticket ${bookingId} failed: .*TLS`));
    expectNoKeyMaterial(`${e.message}\n${e.stack ?? ''}\n${logs.join('\n')}`);
    expect(sim.ticket(bookingId)).toBeUndefined();
    expect(sim.handshakeFailures().length).toBeGreaterThan(0);
    expect((await bookingRow(bookingId))['pfb_dispatchstatus']).toBeNull();
  });

  it('after the certificate is rotated in Key Vault, the next attempt succeeds (invalidate, re-read, retry)', async () => {
    vault.setCertificateSecret('mobility-rotating', pki.intruder, 'pfx');
    const adapter = adapterWith('mobility-rotating');
    const bookingId = await newBooking();
    const message = await messageFor(bookingId);
    await expect(dispatchBooking(message, deps(adapter))).rejects.toMatchObject({ retryable: true, step: 'send-ticket' });

    const renewed = pki.ca.issueClient();
    vault.setCertificateSecret('mobility-rotating', renewed, 'pfx');
    // The queue's next attempt, same adapter (the intruder is still cached in memory).
    expect(await dispatchBooking(message, deps(adapter))).toMatchObject({ result: 'Sent', version: 1 });
    expect(ticketRequests(bookingId).map((r) => r.clientFingerprint256)).toEqual([renewed.fingerprint256]);
    // Key Vault reads: the first (intruder), the re-read after the refusal (still the intruder), the re-read that found the renewal.
    expect(vault.requests().filter((r) => r.method === 'GET' && r.path.startsWith('/secrets/mobility-rotating') && r.status === 200)).toHaveLength(3);
  });

  it('the app failing with 503 throws a retryable error (the queue retries); after recovery the booking goes once', async () => {
    const bookingId = await newBooking();
    const message = await messageFor(bookingId);
    sim.setFault({ mode: 'fail', status: 503, retryAfterSeconds: 30 });

    const e = (await dispatchBooking(message, deps()).catch((x: unknown) => x)) as BookingDispatchError;

    expect(e).toBeInstanceOf(BookingDispatchError);
    expect(e).toMatchObject({ retryable: true, step: 'send-ticket', cause: expect.objectContaining({ status: 503, retryAfterSeconds: 30 }) });
    expect((await bookingRow(bookingId))['pfb_dispatchstatus']).toBeNull();

    sim.setFault({ mode: 'none' });
    expect(await dispatchBooking(message, deps())).toMatchObject({ result: 'Sent', version: 1 });
    expect(sim.ticket(bookingId)?.version).toBe(1);
  });

  it('a 400 from the app is a permanent failure: recorded as Failed, logged with the reason, not retried', async () => {
    const bookingId = await newBooking();
    sim.setFault({ mode: 'fail', status: 400, count: 1 });

    const outcome = await dispatchBooking(await messageFor(bookingId), deps());

    expect(outcome).toMatchObject({ result: 'PermanentFailure', status: 400, recorded: true, reason: expect.stringMatching(/the mobility app refused the ticket — PUT ticket .* failed: HTTP 400/) });
    expect((await bookingRow(bookingId))['pfb_dispatchstatus']).toBe(DispatchStatus.Failed);
    expect(logs.some((l) => l.startsWith('error ') && l.includes('HTTP 400') && l.includes('Not retried'))).toBe(true);
  });
});

// ---- the queue worker and its poison handler -------------------------------------------------------------------------

describe('worker', () => {
  const context = (dequeueCount: number): WorkerContext => ({ dequeueCount, maxDequeueCount: 3, log });

  it('throws retryable failures for the queue, then on poison records Failed and tracks one exception with fixed dimensions', async () => {
    const tracked: { message: string; properties: Readonly<Record<string, string>> }[] = [];
    const { worker, onPoison } = createBookingDispatchWorker({ dataverse, mobility, now: () => NOW, trackException: (error, properties) => tracked.push({ message: error.message, properties }) });
    const bookingId = await newBooking();
    const message = await messageFor(bookingId);
    sim.setFault({ mode: 'fail', status: 503 });

    const thrown = (await worker(message, context(1)).catch((x: unknown) => x)) as Error;
    expect(thrown).toBeInstanceOf(BookingDispatchError);
    expect(logs.some((l) => l.startsWith('warn ') && l.includes('attempt 1 of 3, retry in 30 s'))).toBe(true);
    await expect(worker(message, context(3))).rejects.toBeInstanceOf(BookingDispatchError);
    expect(logs.some((l) => l.includes('attempt 3 of 3: the message goes to booking-dispatch-poison'))).toBe(true);

    await onPoison(message, thrown.message, context(3));

    expect((await bookingRow(bookingId))['pfb_dispatchstatus']).toBe(DispatchStatus.Failed);
    expect(tracked).toHaveLength(1);
    expect(tracked[0]?.properties).toEqual({
      failure: 'BookingDispatchPoisoned',
      bookingId,
      step: 'send-ticket',
      lastError: expect.stringMatching(/HTTP 503/),
      trigger: 'Update',
      versionNumber: message.versionNumber,
      correlationId: message.correlationId,
      attempts: '3',
      recorded: 'true',
    });
    expect(tracked[0]?.message).toMatch(new RegExp(`^Booking ${bookingId} was not sent to the mobility app after 3 attempts \\(step send-ticket\\): .*HTTP 503.*Its Dispatch Status is Failed\\. The message is in booking-dispatch-poison`));
  });

  it('tracks a refused ticket (4xx) as BookingDispatchRefused and does not throw', async () => {
    const tracked: Readonly<Record<string, string>>[] = [];
    const { worker } = createBookingDispatchWorker({ dataverse, mobility, trackException: (_, properties) => tracked.push(properties) });
    const bookingId = await newBooking();
    sim.setFault({ mode: 'fail', status: 422, count: 1 });
    await worker(await messageFor(bookingId), context(1));
    expect(tracked).toEqual([expect.objectContaining({ failure: 'BookingDispatchRefused', bookingId, step: 'send-ticket', recorded: 'true' })]);
    expect((await bookingRow(bookingId))['pfb_dispatchstatus']).toBe(DispatchStatus.Failed);
  });
});

describe('worker, Dataverse refusing our read', () => {
  it('a permanent Dataverse error (our query refused) is not retried: Failed, tracked as BookingDispatchFailed at step read-booking', async () => {
    const bookingId = await newBooking();
    // What a real environment answers if a navigation property name differs from the schema module's.
    class RefusingReads extends DataverseClient {
      override execute<T>(operation: string, run: Parameters<DataverseClient['execute']>[1]): Promise<T> {
        if (operation.startsWith('retrieve ')) {
          return Promise.reject(new DataverseRequestError(operation, 400, '0x80060888', "Could not find a property named 'msdyn_workorder' on type 'Microsoft.Dynamics.CRM.bookableresourcebooking'.", 1));
        }
        return super.execute(operation, run) as Promise<T>;
      }
    }
    const tracked: Readonly<Record<string, string>>[] = [];
    const { worker } = createBookingDispatchWorker({ dataverse: new RefusingReads({ serviceRoot: dv.url, credential }), mobility, trackException: (_, p) => tracked.push(p) });
    await worker(await messageFor(bookingId), { dequeueCount: 1, maxDequeueCount: 3, log });
    expect(tracked).toEqual([expect.objectContaining({ failure: 'BookingDispatchFailed', bookingId, step: 'read-booking', lastError: expect.stringMatching(/HTTP 400 \(0x80060888\)/) })]);
    expect((await bookingRow(bookingId))['pfb_dispatchstatus']).toBe(DispatchStatus.Failed);
    expect(sim.ticket(bookingId)).toBeUndefined();
  });
});

// ---- loop safety ---------------------------------------------------------------------------------------------------

describe('loop safety', () => {
  it('writes no column the webhook step filters on', () => {
    expect(BOOKING_DISPATCH_FILTERING_ATTRIBUTES).toEqual(['starttime', 'endtime', 'resource', 'bookingstatus']);
    for (const c of BOOKING_DISPATCH_WRITTEN_COLUMNS) expect(BOOKING_DISPATCH_FILTERING_ATTRIBUTES).not.toContain(c);
  });

  it("with the booking webhook step registered, the bridge's own write posts nothing; a dispatcher's move posts once", async () => {
    const posted: string[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posted.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    try {
      const endpoint = await web('POST', serviceendpoint.entitySetName, {
        name: 'Field Bridge webhook (test)',
        contract: ServiceEndpointContract.Webhook,
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/booking`,
        authtype: ServiceEndpointAuthType.WebhookKey,
        authvalue: 'test-webhook-key-0123456789',
      });
      expect(endpoint.status).toBe(204);
      const endpointRow = ((await web('GET', `${serviceendpoint.entitySetName}?$select=serviceendpointid&$filter=name eq 'Field Bridge webhook (test)'`)).json['value'] as Row[])[0] as Row;
      const update = ((await web('GET', `${sdkmessage.entitySetName}?$select=sdkmessageid&$filter=name eq 'Update'`)).json['value'] as Row[])[0] as Row;
      const filter = (
        (await web('GET', `${sdkmessagefilter.entitySetName}?$select=sdkmessagefilterid&$filter=_sdkmessageid_value eq ${update['sdkmessageid'] as string} and primaryobjecttypecode eq '${bookableresourcebooking.logicalName}'`)).json['value'] as Row[]
      )[0] as Row;
      const step = await web('POST', sdkmessageprocessingstep.entitySetName, {
        name: 'Field Bridge: Update of bookableresourcebooking',
        'sdkmessageid@odata.bind': `/${sdkmessage.entitySetName}(${update['sdkmessageid'] as string})`,
        'sdkmessagefilterid@odata.bind': `/${sdkmessagefilter.entitySetName}(${filter['sdkmessagefilterid'] as string})`,
        'eventhandler_serviceendpoint@odata.bind': `/${serviceendpoint.entitySetName}(${endpointRow['serviceendpointid'] as string})`,
        stage: StepStage.PostOperation,
        mode: StepMode.Asynchronous,
        rank: 1,
        supporteddeployment: 0,
        filteringattributes: BOOKING_DISPATCH_FILTERING_ATTRIBUTES.join(','),
        asyncautodelete: false,
      });
      expect(step.status).toBe(204);

      const bookingId = await newBooking();
      await dispatchBooking(await messageFor(bookingId, 'Create'), deps());
      await dv.idle();
      expect(posted.filter((body) => body.includes(bookingId))).toHaveLength(0);

      await patch(BOOKINGS, bookingId, { starttime: '2027-03-06T22:00:00Z', endtime: '2027-03-07T05:00:00Z' });
      await dv.idle();
      expect(posted.filter((body) => body.includes(bookingId))).toHaveLength(1);
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
