/**
 * Task sync end to end on one machine: a coordinator's pfb_tasksync rows written through the Web API → the webhook
 * step posts the RemoteExecutionContext to the bridge → task-sync queue (Azurite) → the real task-sync worker →
 * work orders in Dataverse. Plus the edges: 401 without the key, health per part, refusals that queue nothing.
 */
import { SyncStatus, msdyn_projecttask, msdyn_workorder, pfb_tasksync } from '@pfb/domain';
import { TELECOM_INVALID_TASKS } from '../../sandbox/dataverse/src/seed/telecom';
import type { MobilityAdapter } from '../../functions-bridge/src/services/mobility';
import { eventually, peekQueue, registerTaskSyncWebhook, startBridgeStack, WEBHOOK_KEY, type BridgeStack } from './support';

let stack: BridgeStack;
let mobilityHealthy = false;

const fakeMobility: MobilityAdapter = {
  upsertTicket: () => Promise.reject(new Error('not used here')),
  cancelTicket: () => Promise.reject(new Error('not used here')),
  health: () => Promise.resolve(mobilityHealthy ? { ok: true, detail: 'HTTP 200' } : { ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:9' }),
};

beforeAll(async () => {
  stack = await startBridgeStack({ compose: () => ({ factories: { mobility: () => fakeMobility } }) });
  await registerTaskSyncWebhook(stack.api, stack.host.url);
});
afterAll(() => stack?.stop());

type Row = Record<string, unknown>;
const TASK_SYNCS = pfb_tasksync.entitySetName;
const S = pfb_tasksync.columns;

/** Leaf tasks of the seed that validate (the four deliberately invalid ones left out). */
async function validLeafTasks(count: number): Promise<{ id: string; name: string; projectId: string }[]> {
  const invalid = new Set<string>(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));
  const res = await stack.api.get(`${msdyn_projecttask.entitySetName}?$select=msdyn_subject,_msdyn_project_value&$filter=msdyn_summary eq false&$orderby=msdyn_displaysequence`);
  return res
    .json<{ value: Row[] }>()
    .value.filter((t) => !invalid.has(t['msdyn_projecttaskid'] as string))
    .slice(0, count)
    .map((t) => ({ id: t['msdyn_projecttaskid'] as string, name: t['msdyn_subject'] as string, projectId: t['_msdyn_project_value'] as string }));
}

/** What the ribbon does for one task: a pfb_tasksync row, Ready to Sync. */
async function markReadyToSync(task: { id: string; name: string; projectId: string }): Promise<string> {
  const res = await stack.api.post(TASK_SYNCS, {
    [S.pfb_name.logicalName]: task.name,
    [`${S.pfb_projecttask.logicalName}@odata.bind`]: `/${msdyn_projecttask.entitySetName}(${task.id})`,
    [`${S.pfb_project.logicalName}@odata.bind`]: `/msdyn_projects(${task.projectId})`,
    [S.pfb_syncstatus.logicalName]: SyncStatus.ReadyToSync,
    [S.pfb_requestedon.logicalName]: new Date().toISOString(),
  });
  expect(res.status).toBe(204);
  return /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('odata-entityid') ?? '')?.[1] as string;
}

async function row(id: string): Promise<Row> {
  return (await stack.api.get(`${TASK_SYNCS}(${id})?$select=pfb_syncstatus,pfb_plannedworkorders,pfb_lastsyncedon,pfb_lasterror`)).json();
}

async function workOrdersOf(rowId: string): Promise<Row[]> {
  const res = await stack.api.get(`${msdyn_workorder.entitySetName}?$select=pfb_sourcekey,msdyn_name&$filter=_pfb_tasksync_value eq ${rowId}&$orderby=pfb_sourcekey`);
  return res.json<{ value: Row[] }>().value;
}

const synced = async (id: string): Promise<Row | undefined> => {
  const r = await row(id);
  return r[S.pfb_syncstatus.logicalName] === SyncStatus.Synced ? r : undefined;
};

describe('Ready to Sync → work orders, through webhook, queue and worker', () => {
  it('creates the planned work orders of each row, linked by source key, and sets the rows Synced', async () => {
    const tasks = await validLeafTasks(3);
    const rowIds = await Promise.all(tasks.map(markReadyToSync));

    for (const [i, id] of rowIds.entries()) {
      const done = await eventually(`row of ${tasks[i]?.name} Synced`, () => synced(id));
      const planned = done[S.pfb_plannedworkorders.logicalName] as number;
      expect(planned).toBeGreaterThan(0);
      const workOrders = await workOrdersOf(id);
      expect(workOrders).toHaveLength(planned);
      for (const wo of workOrders) expect(wo['pfb_sourcekey']).toMatch(new RegExp(`^${tasks[i]?.id}:\\d+$`));
    }
    // Each went the whole way: the webhook queued it, the queue worker synced it.
    for (const id of rowIds) {
      expect(stack.lines.some((l) => l.message.startsWith(`queued task sync ${id}`) && l['function'] === 'taskSyncWebhook')).toBe(true);
      expect(stack.lines.some((l) => l.message.startsWith(`task sync ${id}: synced`) && l['function'] === 'taskSyncWorker')).toBe(true);
    }
    // Nothing left behind on the queues.
    await eventually('empty task-sync queues', async () => (await peekQueue(stack, 'task-sync')).length === 0 && (await peekQueue(stack, 'task-sync-poison')).length === 0);
  });

  it('marking a synced task Ready to Sync again creates nothing new', async () => {
    const [task] = await validLeafTasks(4).then((t) => t.slice(3));
    const id = await markReadyToSync(task as { id: string; name: string; projectId: string });
    await eventually('first sync', () => synced(id));
    const before = await workOrdersOf(id);
    const total = (await stack.api.get(`${msdyn_workorder.entitySetName}?$select=msdyn_workorderid&$count=true`)).json()['@odata.count'];

    const again = await stack.api.patch(`${TASK_SYNCS}(${id})`, { [S.pfb_syncstatus.logicalName]: SyncStatus.ReadyToSync }, { 'If-Match': '*' });
    expect(again.status).toBe(204);
    // The PATCH has committed Ready to Sync, so Synced from now on is the second sync's.
    await eventually('second sync', () => synced(id));
    expect(stack.lines.filter((l) => l.message.startsWith(`task sync ${id}: synced`))).toHaveLength(2);

    expect(await workOrdersOf(id)).toEqual(before);
    expect((await stack.api.get(`${msdyn_workorder.entitySetName}?$select=msdyn_workorderid&$count=true`)).json()['@odata.count']).toBe(total);
  });
});

describe('the webhook endpoint', () => {
  const post = (query: string, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<Response> =>
    fetch(`${stack.host.url}/api/dataverse/task-sync${query}`, { method: 'POST', headers, body });

  it('answers 401 without the key and with a wrong one, queues nothing and never logs the key', async () => {
    const before = (await peekQueue(stack, 'task-sync')).length;
    for (const query of ['', '?code=', '?code=not-the-key']) {
      const res = await post(query, '{}');
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(WEBHOOK_KEY);
    }
    expect((await peekQueue(stack, 'task-sync')).length).toBe(before);
    for (const line of stack.lines) expect(JSON.stringify(line)).not.toContain(WEBHOOK_KEY);
  });

  it('answers 400 with a problem for a malformed body, 415 for another media type, 413 when oversize', async () => {
    const bad = await post(`?code=${WEBHOOK_KEY}`, '{"MessageName":"Update"}');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await bad.json()) as Record<string, unknown>).toMatchObject({ status: 400, detail: expect.stringContaining('PrimaryEntityName') });
    expect((await post(`?code=${WEBHOOK_KEY}`, '{}', { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await post(`?code=${WEBHOOK_KEY}`, JSON.stringify({ pad: 'x'.repeat(600 * 1024) }))).status).toBe(413);
    expect((await fetch(`${stack.host.url}/api/dataverse/task-sync?code=${WEBHOOK_KEY}`)).status).toBe(405);
  });
});

describe('health', () => {
  it('reports each part, 503 while one is down and 200 when all answer, without secrets', async () => {
    mobilityHealthy = false;
    const down = await fetch(`${stack.host.url}/api/health`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { status: string; checks: Record<string, { ok: boolean; detail: string }> };
    expect(body.status).toBe('unhealthy');
    expect(body.checks['dataverse']).toMatchObject({ ok: true, detail: expect.stringMatching(/^WhoAmI answered/) });
    expect(body.checks['queues']).toMatchObject({ ok: true });
    expect(body.checks['mobility']).toMatchObject({ ok: false, detail: expect.stringContaining('ECONNREFUSED') });

    mobilityHealthy = true;
    const up = await fetch(`${stack.host.url}/api/health`);
    expect(up.status).toBe(200);
    const text = await up.text();
    expect(JSON.parse(text)).toMatchObject({ status: 'healthy' });
    for (const secret of [WEBHOOK_KEY, 'bridge-local-token', 'AccountKey']) expect(text).not.toContain(secret);
  });
});
