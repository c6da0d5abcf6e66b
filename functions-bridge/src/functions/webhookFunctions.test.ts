/**
 * The two webhook functions called as the Functions host calls them (HttpRequest and InvocationContext built with
 * their public constructors), with bodies written by the local Dataverse's RemoteExecutionContext serializer, and a
 * Bridge whose queue records what is sent.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { SyncStatus, bookableresourcebooking, pfb_tasksync, schema, type TableDef } from '@pfb/domain';
import {
  buildRemoteExecutionContext,
  payloadForSize,
  serializeRemoteExecutionContext,
  type ExecutionContextInput,
} from '../../../sandbox/dataverse/src/webhooks/remoteExecutionContext';
import { createBridge, type Bridge } from '../app/bridge';
import type { QueueStore } from '../app/queueStore';
import { readSettings } from '../config/settings';
import { createTelemetry } from '../telemetry';
import { bookingWebhookFunction } from './bookingWebhook';
import { taskSyncWebhookFunction } from './taskSyncWebhook';

const KEY = 'function-test-webhook-key-123456';
const sent: { queue: string; message: unknown }[] = [];

function bridge(): Bridge {
  const settings = readSettings({
    DATAVERSE_URL: 'http://127.0.0.1:9/api/data/v9.2',
    DATAVERSE_AUTH: 'static',
    DATAVERSE_STATIC_TOKEN: 'token',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    DATAVERSE_WEBHOOK_KEY: KEY,
    MOBILITY_BASE_URL: 'https://127.0.0.1:9/',
    KEY_VAULT_URL: 'https://127.0.0.1:9/',
  });
  const queues = { send: (queue: string, message: unknown) => Promise.resolve(void sent.push({ queue, message })) } as unknown as QueueStore;
  const unused = (): never => {
    throw new Error('not used');
  };
  return createBridge(settings, {
    queues,
    telemetry: createTelemetry({ write: () => undefined }),
    now: () => new Date('2026-11-23T10:00:00Z'),
    factories: {
      taskSync: () => ({ worker: unused, onPoison: unused }),
      bookingDispatch: () => ({ worker: unused, onPoison: unused }),
      fieldEvent: () => ({ worker: unused, onPoison: unused }),
      mobility: () => ({ upsertTicket: unused, cancelTicket: unused, health: unused }),
    },
  });
}

const table = (name: string): TableDef => schema.table(name) as TableDef;
const ID = '5a1f0c8e-2b7d-4e11-9c3a-0d4b6e8f1a22';

function context(over: Partial<ExecutionContextInput> & Pick<ExecutionContextInput, 'table' | 'messageName'>): ExecutionContextInput {
  return {
    primaryEntityId: ID,
    userId: '00000000-0000-4000-8000-000000000010',
    initiatingUserId: '00000000-0000-4000-8000-000000000010',
    businessUnitId: '00000000-0000-4000-8000-000000000011',
    organizationId: '00000000-0000-4000-8000-000000000012',
    organizationName: 'pfb',
    correlationId: '00000000-0000-4000-8000-000000000013',
    operationId: '00000000-0000-4000-8000-000000000014',
    depth: 1,
    mode: 1,
    stage: 40,
    owningStepId: '00000000-0000-4000-8000-000000000015',
    operationCreatedOn: new Date('2026-11-23T09:59:59Z'),
    ...over,
  };
}

function post(route: string, body: string, headers: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({ method: 'POST', url: `http://127.0.0.1:7071/api/${route}?code=${KEY}`, headers: { 'content-type': 'application/json', ...headers }, body: { string: body } });
}

const invocation = (name: string): InvocationContext => new InvocationContext({ functionName: name, logHandler: () => undefined });

beforeEach(() => void sent.splice(0));

describe('taskSyncWebhook', () => {
  const call = (input: ExecutionContextInput, headers?: Record<string, string>) =>
    taskSyncWebhookFunction.handle(bridge(), post('dataverse/task-sync', serializeRemoteExecutionContext(buildRemoteExecutionContext(input)), headers), invocation('taskSyncWebhook'));

  it.each([
    ['Ready to Sync', SyncStatus.ReadyToSync],
    ['Cancelled', SyncStatus.Cancelled],
  ])('queues a TaskSyncMessage and answers 202 when the row is %s', async (_label, status) => {
    const res = await call(context({ table: pfb_tasksync, messageName: 'Update', target: { pfb_syncstatus: status } }));
    expect(res.status).toBe(202);
    expect(sent).toEqual([
      { queue: 'task-sync', message: { kind: 'taskSync', taskSyncId: ID, trigger: 'Update', correlationId: '00000000-0000-4000-8000-000000000013', receivedOn: '2026-11-23T10:00:00.000Z' } },
    ]);
  });

  it('queues nothing for the bridge\'s own status writes (Syncing, Synced, Failed) and answers 200', async () => {
    for (const status of [SyncStatus.Syncing, SyncStatus.Synced, SyncStatus.Failed]) {
      const res = await call(context({ table: pfb_tasksync, messageName: 'Update', target: { pfb_syncstatus: status } }));
      expect(res.status).toBe(200);
    }
    expect(sent).toEqual([]);
  });

  it('queues when the payload was stripped over 256 KB: the worker re-reads the row', async () => {
    const { body, sizeExceeded } = payloadForSize(
      buildRemoteExecutionContext(context({ table: pfb_tasksync, messageName: 'Update', target: { pfb_syncstatus: SyncStatus.Synced, pfb_lasterror: 'x'.repeat(300 * 1024) } })),
    );
    expect(sizeExceeded).toBe(true);
    const res = await taskSyncWebhookFunction.handle(bridge(), post('dataverse/task-sync', body, { 'x-ms-dynamics-msg-size-exceeded': 'true' }), invocation('taskSyncWebhook'));
    expect(res.status).toBe(202);
    expect(sent.map((s) => (s.message as { taskSyncId: string }).taskSyncId)).toEqual([ID]);
  });

  it('refuses another table\'s event with 400, naming both tables', async () => {
    const res = await call(context({ table: table('contact'), messageName: 'Update', target: { firstname: 'Jo' } }));
    expect(res.status).toBe(400);
    expect(JSON.parse(String(res.body))).toMatchObject({ detail: expect.stringMatching(/pfb_tasksync.*contact/) });
    expect(sent).toEqual([]);
  });
});

describe('bookingWebhook', () => {
  const call = (input: ExecutionContextInput) =>
    bookingWebhookFunction.handle(bridge(), post('dataverse/bookings', serializeRemoteExecutionContext(buildRemoteExecutionContext(input))), invocation('bookingWebhook'));

  it('queues an Update with the version number from the post image', async () => {
    const res = await call(
      context({ table: bookableresourcebooking, messageName: 'Update', target: { starttime: '2027-01-01T08:00:00Z' }, postImages: [{ alias: 'PostImage', attributes: { versionnumber: 90210 } }] }),
    );
    expect(res.status).toBe(202);
    expect(sent[0]).toEqual({
      queue: 'booking-dispatch',
      message: { kind: 'bookingDispatch', bookingId: ID, trigger: 'Update', versionNumber: '90210', deleted: null, correlationId: '00000000-0000-4000-8000-000000000013', receivedOn: '2026-11-23T10:00:00.000Z' },
    });
  });

  it('queues a Delete with the mobility reference and work order from the pre-image', async () => {
    const workOrder = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const res = await call(
      context({
        table: bookableresourcebooking,
        messageName: 'Delete',
        target: { logicalName: 'bookableresourcebooking', id: ID },
        preImages: [{ alias: 'PreImage', attributes: { pfb_mobilityref: 'MOB-77', msdyn_workorder: { logicalName: 'msdyn_workorder', id: workOrder }, versionnumber: 12 } }],
      }),
    );
    expect(res.status).toBe(202);
    expect(sent[0]?.message).toMatchObject({ trigger: 'Delete', versionNumber: '12', deleted: { mobilityRef: 'MOB-77', workOrderId: workOrder } });
  });

  it('queues a Create without a version when no image carries one (the worker reads it)', async () => {
    await call(context({ table: bookableresourcebooking, messageName: 'Create', target: { name: 'Booking' } }));
    expect(sent[0]?.message).toMatchObject({ trigger: 'Create', versionNumber: null, deleted: null });
  });

  it('refuses a message it does not dispatch', async () => {
    const res = await call(context({ table: bookableresourcebooking, messageName: 'Assign', target: { name: 'Booking' } }));
    expect(res.status).toBe(400);
    expect(sent).toEqual([]);
  });
});
