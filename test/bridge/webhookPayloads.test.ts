/**
 * The bridge's webhook parser and key check against what the local Dataverse really posts over HTTP (a recording
 * receiver stands where the bridge would): a pfb_tasksync Create, a booking Delete with its pre-image, and a body
 * over 256 KB, which arrives stripped with `x-ms-dynamics-msg-size-exceeded`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest } from '@azure/functions';
import { SyncStatus, account, msdyn_projecttask, msdyn_workorder, pfb_tasksync } from '@pfb/domain';
import { startDataverse, type RunningDataverse } from '@pfb/sandbox';
import { checkWebhookKey, parseRemoteExecutionContext, SIZE_EXCEEDED_HEADER } from '../../functions-bridge/src/webhooks';
import { client, type Client } from '../support/sandbox';
import { createBridgeEndpoint, registerBridgeStep, WEBHOOK_KEY } from './support';

interface Received {
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

let dv: RunningDataverse;
let api: Client;
let server: http.Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  dv = await startDataverse({ seed: 'telecom', limits: null, webhookTimeoutMs: 5000 });
  api = client(dv.url);
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/dataverse/hook`;
});
afterAll(async () => {
  await dv.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** The delivery as the bridge's HTTP trigger would see it. */
function asRequest(r: Received): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') headers[k] = v;
  return new HttpRequest({ method: 'POST', url: `http://127.0.0.1${r.url}`, headers, body: { string: r.body } });
}

async function deliveriesAfter(action: () => Promise<void>): Promise<Received[]> {
  const from = received.length;
  await action();
  await dv.idle();
  return received.slice(from);
}

it('reads a pfb_tasksync Create: the key, the choice, the lookups and the date', async () => {
  const endpointId = await createBridgeEndpoint(api, 'recorder (task sync)', receiverUrl);
  await registerBridgeStep(api, { message: 'Create', table: pfb_tasksync.logicalName, endpointId });
  const task = (await api.get(`${msdyn_projecttask.entitySetName}?$select=msdyn_subject,_msdyn_project_value&$filter=msdyn_summary eq false&$top=1`)).json<{ value: Record<string, string>[] }>()
    .value[0] as Record<string, string>;
  let rowId = '';
  const [delivery] = await deliveriesAfter(async () => {
    const res = await api.post(pfb_tasksync.entitySetName, {
      pfb_name: task['msdyn_subject'],
      'pfb_projecttask@odata.bind': `/${msdyn_projecttask.entitySetName}(${task['msdyn_projecttaskid']})`,
      'pfb_project@odata.bind': `/msdyn_projects(${task['_msdyn_project_value']})`,
      pfb_syncstatus: SyncStatus.ReadyToSync,
      pfb_requestedon: '2026-11-23T08:15:00Z',
    });
    rowId = /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('odata-entityid') ?? '')?.[1] as string;
  });
  expect(delivery).toBeDefined();
  const request = asRequest(delivery as Received);
  expect(checkWebhookKey(request, WEBHOOK_KEY)).toEqual({ ok: true });
  expect(checkWebhookKey(request, `${WEBHOOK_KEY}-rotated`).ok).toBe(false);

  const ctx = parseRemoteExecutionContext((delivery as Received).body, request.headers);
  expect(ctx).toMatchObject({ messageName: 'Create', primaryEntityName: 'pfb_tasksync', primaryEntityId: rowId, depth: 1, stage: 40, mode: 1, sizeExceeded: false });
  expect(ctx.correlationId).toBe((delivery as Received).headers['x-ms-correlation-request-id']);
  expect(ctx.target).toMatchObject({
    pfb_syncstatus: SyncStatus.ReadyToSync,
    pfb_projecttask: { logicalName: 'msdyn_projecttask', id: task['msdyn_projecttaskid'] },
    pfb_project: { logicalName: 'msdyn_project', id: task['_msdyn_project_value'] },
    pfb_requestedon: '2026-11-23T08:15:00.000Z',
  });
  expect(ctx.postImages['AsynchronousStepPrimaryName']).toEqual({ pfb_name: task['msdyn_subject'], pfb_tasksyncid: rowId });
});

it('marks a body over 256 KB sizeExceeded, keeping the ids the worker re-reads by', async () => {
  const endpointId = await createBridgeEndpoint(api, 'recorder (work orders)', receiverUrl);
  const stepId = await registerBridgeStep(api, { message: 'Create', table: msdyn_workorder.logicalName, endpointId, image: { type: 'PostImage', attributes: '' } });
  expect(stepId).toMatch(/^[0-9a-f-]{36}$/);
  const site = (await api.post(account.entitySetName, { name: 'Cell site QLD-0001' }, { Prefer: 'return=representation' })).json()['accountid'] as string;
  // Surrogate pairs: the DataContract writer escapes each half as \uXXXX, six bytes a unit, in the Target, the
  // parent context's Target and the post image.
  const text = '\u{1F4E1}'.repeat(4000);
  let workOrderId = '';
  const [delivery] = await deliveriesAfter(async () => {
    const res = await api.post(
      msdyn_workorder.entitySetName,
      { 'msdyn_serviceaccount@odata.bind': `/${account.entitySetName}(${site})`, msdyn_workordersummary: text, msdyn_instructions: text },
      { Prefer: 'return=representation' },
    );
    expect(res.status).toBe(201);
    workOrderId = res.json()['msdyn_workorderid'] as string;
  });
  expect(delivery?.headers[SIZE_EXCEEDED_HEADER]).toBeDefined();
  const ctx = parseRemoteExecutionContext((delivery as Received).body, asRequest(delivery as Received).headers);
  expect(ctx).toMatchObject({ sizeExceeded: true, messageName: 'Create', primaryEntityName: 'msdyn_workorder', primaryEntityId: workOrderId, target: {} });
  expect(ctx.postImage).toBeUndefined();
});
