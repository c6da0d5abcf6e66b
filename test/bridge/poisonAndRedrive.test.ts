/**
 * A persistent failure, the way production meets it: the task-sync worker fails (Dataverse answering 503 while
 * writing work orders), the queue retries it every QUEUE_RETRY_SECONDS (1 s here, 30 s in Azure), after
 * QUEUE_MAX_DEQUEUE_COUNT attempts the message goes to the poison queue, the poison handler sets the row Failed with
 * the step and Dataverse's code, an exception with the fixed dimensions is tracked (the alert rule's input), and the
 * message is parked. Once the cause is gone, the admin re-drive puts it back and it syncs.
 */
import { SyncStatus, msdyn_projecttask, msdyn_workorder, pfb_tasksync } from '@pfb/domain';
import { TELECOM_INVALID_TASKS } from '../../sandbox/dataverse/src/seed/telecom';
import { createTaskSyncWorker, syncTasks, TaskSyncError } from '../../functions-bridge/src/services/taskSync';
import { DataverseRequestError } from '../../functions-bridge/src/services/dataverse/dataverseError';
import type { MobilityAdapter } from '../../functions-bridge/src/services/mobility';
import { eventually, FUNCTION_KEY, peekQueue, registerTaskSyncWebhook, startBridgeStack, WEBHOOK_KEY, type BridgeStack } from './support';

const RETRY_SECONDS = 1;
const MAX_DEQUEUE = 3;

let stack: BridgeStack;
let failing = true;
const attempts: number[] = [];

const quietMobility: MobilityAdapter = {
  upsertTicket: () => Promise.reject(new Error('not used here')),
  cancelTicket: () => Promise.reject(new Error('not used here')),
  health: () => Promise.resolve({ ok: true, detail: 'not used here' }),
};

beforeAll(async () => {
  stack = await startBridgeStack({
    env: { QUEUE_RETRY_SECONDS: String(RETRY_SECONDS), QUEUE_MAX_DEQUEUE_COUNT: String(MAX_DEQUEUE) },
    compose: () => ({
      factories: {
        mobility: () => quietMobility,
        // The real worker and poison handler; only the batch call fails while `failing` is set.
        taskSync: ({ dataverse, settings, log }) =>
          createTaskSyncWorker({
            dataverse,
            settings,
            log,
            batchWindowMs: 20,
            sync: (ids, deps) => {
              if (!failing) return syncTasks(ids, deps);
              attempts.push(Date.now());
              return Promise.reject(
                new TaskSyncError('upsertWorkOrders', new DataverseRequestError('UpsertMultiple msdyn_workorders', 503, '0x80072321', 'The service is temporarily unavailable.', 6)),
              );
            },
          }),
      },
    }),
  });
  await registerTaskSyncWebhook(stack.api, stack.host.url);
});
afterAll(() => stack?.stop());

type Row = Record<string, unknown>;
const S = pfb_tasksync.columns;

it('retries every QUEUE_RETRY_SECONDS, poisons after the budget with the row Failed and the alert telemetry, and re-drives', async () => {
  const invalid = new Set<string>(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));
  const tasks = (await stack.api.get(`${msdyn_projecttask.entitySetName}?$select=msdyn_subject,_msdyn_project_value&$filter=msdyn_summary eq false&$orderby=msdyn_displaysequence`)).json<{
    value: Row[];
  }>().value;
  const task = tasks.find((t) => !invalid.has(t['msdyn_projecttaskid'] as string)) as Row;
  const created = await stack.api.post(pfb_tasksync.entitySetName, {
    [S.pfb_name.logicalName]: task['msdyn_subject'],
    [`${S.pfb_projecttask.logicalName}@odata.bind`]: `/${msdyn_projecttask.entitySetName}(${task['msdyn_projecttaskid'] as string})`,
    [`${S.pfb_project.logicalName}@odata.bind`]: `/msdyn_projects(${task['_msdyn_project_value'] as string})`,
    [S.pfb_syncstatus.logicalName]: SyncStatus.ReadyToSync,
  });
  expect(created.status).toBe(204);
  const rowId = /\(([0-9a-f-]{36})\)$/.exec(created.headers.get('odata-entityid') ?? '')?.[1] as string;
  const row = async (): Promise<Row> => (await stack.api.get(`${pfb_tasksync.entitySetName}(${rowId})?$select=pfb_syncstatus,pfb_lasterror`)).json();

  // Poisoned: the row is Failed with the step, Dataverse's code and what to do next.
  const failed = await eventually('row Failed by the poison handler', async () => {
    const r = await row();
    return r[S.pfb_syncstatus.logicalName] === SyncStatus.Failed ? r : undefined;
  });
  expect(failed[S.pfb_lasterror.logicalName]).toMatch(/upsertWorkOrders.*0x80072321.*after 3 attempt\(s\).*re-drive/);

  // Exactly the budget, each retry after the visibility timeout.
  expect(attempts).toHaveLength(MAX_DEQUEUE);
  for (let i = 1; i < attempts.length; i += 1) expect((attempts[i] as number) - (attempts[i - 1] as number)).toBeGreaterThanOrEqual(RETRY_SECONDS * 1000 - 100);

  // One exception with the fixed dimensions for the alert rule.
  const poisoned = await eventually('the poison exception', () => stack.exceptions().find((e) => e['failure'] === 'TaskSyncPoisoned'));
  expect(poisoned).toMatchObject({ queue: 'task-sync', recordId: rowId, step: 'upsertWorkOrders', attempts: String(MAX_DEQUEUE) });
  expect(stack.exceptions().filter((e) => e['failure'] === 'TaskSyncPoisoned')).toHaveLength(1);

  // Parked for a re-drive, the poison queue emptied, the work queue empty.
  const parked = await eventually('the parked message', async () => {
    const p = await peekQueue(stack, 'task-sync-parked');
    return p.length === 1 ? (p[0] as Row) : undefined;
  });
  expect(parked).toMatchObject({ kind: 'poison', queue: 'task-sync', attempts: MAX_DEQUEUE, recorded: true, message: { kind: 'taskSync', taskSyncId: rowId } });
  expect(parked['lastError']).toMatch(/^task-sync failed at step 'upsertWorkOrders'/);
  expect(await peekQueue(stack, 'task-sync-poison')).toEqual([]);
  expect(await peekQueue(stack, 'task-sync')).toEqual([]);
  expect(await stack.api.get(`${msdyn_workorder.entitySetName}?$select=msdyn_workorderid&$filter=_pfb_tasksync_value eq ${rowId}`).then((r) => r.json<{ value: Row[] }>().value)).toEqual([]);

  // Health says failed messages are waiting.
  const health = (await (await fetch(`${stack.host.url}/api/health`)).json()) as { checks: { queues: { detail: string } } };
  expect(health.checks.queues.detail).toMatch(/waiting for a re-drive: task-sync 1/);

  // The re-drive is function-key protected; the webhook key is not the function key.
  expect((await fetch(`${stack.host.url}/api/admin/redrive?queue=task-sync`, { method: 'POST' })).status).toBe(401);
  expect((await fetch(`${stack.host.url}/api/admin/redrive?queue=task-sync&code=${WEBHOOK_KEY}`, { method: 'POST' })).status).toBe(401);
  expect((await fetch(`${stack.host.url}/api/admin/redrive?queue=nope`, { method: 'POST', headers: { 'x-functions-key': FUNCTION_KEY } })).status).toBe(400);

  // The cause is fixed; re-drive: back on the queue as the original message, with a fresh budget, and it syncs.
  failing = false;
  const redrive = await fetch(`${stack.host.url}/api/admin/redrive?queue=task-sync`, { method: 'POST', headers: { 'x-functions-key': FUNCTION_KEY } });
  expect(redrive.status).toBe(200);
  expect(await redrive.json()).toEqual({ queue: 'task-sync', moved: 1, fromParked: 1, fromPoison: 0, more: false });
  await eventually('row Synced after the re-drive', async () => (await row())[S.pfb_syncstatus.logicalName] === SyncStatus.Synced);
  const workOrders = (await stack.api.get(`${msdyn_workorder.entitySetName}?$select=msdyn_workorderid&$filter=_pfb_tasksync_value eq ${rowId}`)).json<{ value: Row[] }>().value;
  expect(workOrders.length).toBeGreaterThan(0);
  expect(await peekQueue(stack, 'task-sync-parked')).toEqual([]);
  // No secret in anything the bridge wrote.
  for (const line of stack.lines) expect(JSON.stringify(line)).not.toMatch(new RegExp(`${WEBHOOK_KEY}|${FUNCTION_KEY}|bridge-local-token|AccountKey=[^*]`));
});

it('drops a malformed message without retrying it, tracking MalformedMessage', async () => {
  const before = stack.exceptions().length;
  await stack.host.bridge.queues.send('task-sync', { kind: 'taskSync', taskSyncId: 'not-a-guid' });
  const tracked = await eventually('the MalformedMessage exception', () => stack.exceptions().slice(before).find((e) => e['failure'] === 'MalformedMessage'));
  expect(tracked).toMatchObject({ queue: 'task-sync', step: 'validate-message', recordId: 'not-a-guid' });
  await eventually('the queue empty', async () => (await peekQueue(stack, 'task-sync')).length === 0);
  expect(await peekQueue(stack, 'task-sync-poison')).toEqual([]);
});
