/**
 * Webhooks registered the way an admin registers them — serviceendpoint + sdkmessageprocessingstep rows written
 * through the Web API only — and delivered to a real HTTP receiver on 127.0.0.1. Checked against the published
 * "Use webhooks" samples (RemoteExecutionContext body, header table) and dataverse-facts §4 (auth, retry, system
 * jobs) and §5.3 (bulk messages fire per-record steps).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  AsyncOperationStatus,
  ServiceEndpointAuthType,
  StepImageType,
  StepMode,
  StepStage,
  asyncoperation,
  contact,
  msdyn_workorder,
  sdkmessageprocessingstep,
  sdkmessageprocessingstepimage,
  serviceendpoint,
} from '@pfb/domain';
import type { RunningDataverse } from '@pfb/sandbox';
import { SAMPLES_DIR, client, startTestDataverse, type Client } from '../support/sandbox';
import { createWebhookEndpoint, idFrom, messageAndFilter, registerStep, stepBody, type StepSpec } from '../support/webhookRegistration';

// ---- a receiver: a real HTTP server that records what Dataverse posts ------------------------------------------

interface Received {
  readonly method: string;
  /** Path and query as sent, e.g. `/hooks/pfb?code=…`. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The raw body text (the `\/` escapes are only visible here). */
  readonly body: string;
}

interface Receiver {
  /** The endpoint URL to register (no query string). */
  readonly url: string;
  readonly requests: Received[];
  /** Status codes for the next requests, in order; afterwards every request gets 200. */
  answer(...statuses: number[]): void;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statuses.shift() ?? 200, { 'Content-Type': 'text/plain' });
      // Dataverse ignores the body; a receiver that says something proves it is not parsed.
      res.end('not json');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/pfb`,
    requests,
    answer: (...s) => void statuses.push(...s),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- registration through the Web API ---------------------------------------------------------------------------

/** sdkmessageprocessingstep.supporteddeployment 0 = Server Only (the only choice for webhooks). */
const WEBHOOK_KEY = 'k3y-Th4t-Must-N0t-Leak';

/** Dataverse's webhook registration, with the receiver's URL as the endpoint. */
const createEndpoint = (api: Client, url: string, auth: { authtype: number; authvalue: string }): Promise<string> =>
  createWebhookEndpoint(api, { name: 'Field Bridge webhook', url, ...auth });

/** A WebhookKey endpoint on the receiver and one asynchronous post-operation step on it. */
async function registerWebhook(api: Client, receiver: Receiver, spec: Omit<StepSpec, 'endpointId'>): Promise<{ endpointId: string; stepId: string }> {
  const endpointId = await createEndpoint(api, receiver.url, { authtype: ServiceEndpointAuthType.WebhookKey, authvalue: WEBHOOK_KEY });
  return { endpointId, stepId: await registerStep(api, { ...spec, endpointId }) };
}

// ---- the posted body --------------------------------------------------------------------------------------------

type KeyValue = { key: string; value: unknown };
interface EntityJson {
  Attributes: KeyValue[];
  Id: string;
  LogicalName: string;
  [member: string]: unknown;
}
interface PostedContext {
  MessageName: string;
  PrimaryEntityName: string;
  PrimaryEntityId: string;
  Stage: number;
  Mode: number;
  CorrelationId: string;
  InputParameters: KeyValue[];
  OutputParameters: KeyValue[];
  PreEntityImages: { key: string; value: EntityJson }[];
  PostEntityImages: { key: string; value: EntityJson }[];
  OwningExtension: { Id: string; LogicalName: string };
  ParentContext: PostedContext | null;
  [member: string]: unknown;
}

const posted = (r: Received): PostedContext => JSON.parse(r.body) as PostedContext;
const attributesOf = (e: EntityJson): Record<string, unknown> => Object.fromEntries(e.Attributes.map((a) => [a.key, a.value]));
const target = (ctx: PostedContext): EntityJson => ctx.InputParameters.find((p) => p.key === 'Target')?.value as EntityJson;

function readSample(name: string): PostedContext {
  return JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, name), 'utf8')) as PostedContext;
}

/** The header names of the "Header data" tables (2021 and current docs). */
function sampleHeaderNames(): string[] {
  const names = new Set<string>();
  for (const file of ['webhook-http-headers-table.2021-docs.md', 'webhook-http-headers-table.current-docs.md']) {
    for (const m of fs.readFileSync(path.join(SAMPLES_DIR, file), 'utf8').matchAll(/^\|`([a-z-]+)`\|/gm)) names.add(m[1] as string);
  }
  return [...names];
}

// ---- fixtures ---------------------------------------------------------------------------------------------------

let dv: RunningDataverse;
let api: Client;
let receiver: Receiver;

beforeEach(async () => {
  dv = await startTestDataverse();
  api = client(dv.url);
  receiver = await startReceiver();
});
afterEach(async () => {
  await dv.close();
  await receiver.close();
  jest.restoreAllMocks();
});

async function createContact(firstname: string, lastname: string): Promise<string> {
  const res = await api.post(contact.entitySetName, { firstname, lastname, jobtitle: 'Rigger' });
  expect(res.status).toBe(204);
  return idFrom(res);
}

async function update(set: string, id: string, changes: Record<string, unknown>): Promise<void> {
  expect((await api.patch(`${set}(${id})`, changes, { 'If-Match': '*' })).status).toBe(204);
}

async function jobsOf(stepId: string, statuscode: number): Promise<Record<string, unknown>[]> {
  const res = await api.get(
    `${asyncoperation.entitySetName}?$select=message,statuscode,retrycount,_regardingobjectid_value,_owningbusinessunit_value&$filter=statuscode eq ${statuscode} and _owningextensionid_value eq ${stepId}`,
  );
  expect(res.status).toBe(200);
  return res.json<{ value: Record<string, unknown>[] }>().value;
}

// ---- tests ------------------------------------------------------------------------------------------------------

describe('the posted RemoteExecutionContext', () => {
  it('has the shape of the published Update-of-contact sample, with the values the update changed', async () => {
    const sample = readSample('webhook-remote-execution-context-update-contact.2021-docs.json');
    const id = await createContact('James', 'Glynn');
    const { stepId } = await registerWebhook(api, receiver, { message: 'Update', table: contact.logicalName });
    const me = (await api.get('WhoAmI')).json<{ UserId: string; OrganizationId: string }>();

    await update(contact.entitySetName, id, { firstname: 'Jim' });
    await dv.idle();

    expect(receiver.requests).toHaveLength(1);
    const raw = (receiver.requests[0] as Received).body;
    const body = JSON.parse(raw) as PostedContext;
    // Members in the contract's order, exactly as the sample lists them.
    expect(Object.keys(body)).toEqual(Object.keys(sample));
    expect(Object.keys(body.ParentContext ?? {})).toEqual(Object.keys(sample.ParentContext ?? {}));
    // DataContractJsonSerializer text: `\/` escapes and \/Date(ms)\/ dates.
    expect(raw).toContain('\\/Date(');
    expect(raw).toContain('"Entity:http:\\/\\/schemas.microsoft.com\\/xrm\\/2011\\/Contracts"');

    expect(body).toMatchObject({ MessageName: 'Update', PrimaryEntityName: 'contact', PrimaryEntityId: id, Stage: 40, Mode: 1, SecondaryEntityName: 'none', Depth: 1 });
    expect(body.UserId).toBe(me.UserId);
    expect(body.OrganizationId).toBe(me.OrganizationId);
    expect(body.OperationCreatedOn).toMatch(/^\/Date\(\d+[+-]\d{4}\)\/$/);
    expect(body.OwningExtension).toEqual({ Id: stepId, KeyAttributes: [], LogicalName: 'sdkmessageprocessingstep', Name: null, RowVersion: null });

    // Target: an Entity in an object-typed slot, so it carries __type; its attributes are {key,value} pairs.
    expect((body.InputParameters[0] as KeyValue).key).toBe('Target');
    const sampleTarget = target(sample);
    const t = target(body);
    expect(Object.keys(t)).toEqual(Object.keys(sampleTarget));
    expect(t['__type']).toBe(sampleTarget['__type']);
    expect(t).toMatchObject({ Id: id, LogicalName: 'contact', EntityState: null, RowVersion: null });
    const attrs = attributesOf(t);
    expect(attrs).toMatchObject({ firstname: 'Jim', contactid: id, fullname: 'Jim Glynn' });
    expect(attrs['lastname']).toBeUndefined(); // not part of the update
    expect(attrs['modifiedon']).toMatch(/^\/Date\(\d+\)\/$/);
    const sampleModifiedBy = attributesOf(sampleTarget)['modifiedby'] as Record<string, unknown>;
    const modifiedBy = attrs['modifiedby'] as Record<string, unknown>;
    expect(Object.keys(modifiedBy)).toEqual(Object.keys(sampleModifiedBy));
    expect(modifiedBy).toMatchObject({ __type: sampleModifiedBy['__type'], Id: me.UserId, LogicalName: 'systemuser' });

    // The async step's default post image: the primary name, no __type (declared as Entity).
    expect(body.PostEntityImages.map((i) => i.key)).toEqual(['AsynchronousStepPrimaryName']);
    const image = (body.PostEntityImages[0] as { value: EntityJson }).value;
    expect(Object.keys(image)).toEqual(Object.keys((sample.PostEntityImages[0] as { value: EntityJson }).value));
    expect(attributesOf(image)).toEqual({ fullname: 'Jim Glynn', contactid: id });
    expect(body.PreEntityImages).toEqual([]);

    // The core operation nested as ParentContext: stage 30, same message and record.
    expect(body.ParentContext).toMatchObject({ Stage: 30, MessageName: 'Update', PrimaryEntityId: id, CorrelationId: body.CorrelationId, ParentContext: null });
    expect(attributesOf(target(body.ParentContext as PostedContext))).toMatchObject({ firstname: 'Jim' });
  });

  it('posts the headers of the docs\' header table and the key as ?code=', async () => {
    const id = await createContact('Rosa', 'Diaz');
    await registerWebhook(api, receiver, { message: 'Update', table: contact.logicalName });
    await update(contact.entitySetName, id, { telephone1: '555-0100' });
    await dv.idle();

    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0] as Received;
    expect(req.method).toBe('POST');
    const url = new URL(req.url, receiver.url);
    expect(url.pathname).toBe('/hooks/pfb');
    expect(url.searchParams.get('code')).toBe(WEBHOOK_KEY);
    expect(req.headers['content-type']).toMatch(/^application\/json/);

    const expected = sampleHeaderNames();
    expect(expected).toEqual(expect.arrayContaining(['x-ms-dynamics-organization', 'x-ms-dynamics-entity-name', 'x-ms-dynamics-request-name', 'x-ms-correlation-request-id']));
    // msg-size-exceeded is "sent only when the HTTP payload size exceeds 256 KB": not for this small body.
    for (const name of expected.filter((n) => n !== 'x-ms-dynamics-msg-size-exceeded')) expect(req.headers[name]).toBeTruthy();
    expect(req.headers['x-ms-dynamics-msg-size-exceeded']).toBeUndefined();
    expect(req.headers['x-ms-dynamics-entity-name']).toBe('contact');
    expect(req.headers['x-ms-dynamics-request-name']).toBe('Update');
    expect(req.headers['x-ms-dynamics-organization']).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i);
    expect(req.headers['x-ms-correlation-request-id']).toBe(posted(req).CorrelationId);
    // Not in the stored tables; listed in the current localized docs (dataverse-facts §4).
    expect(req.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the pairs of an HttpHeader endpoint as headers, and no ?code=', async () => {
    const id = await createContact('Sam', 'Patel');
    const endpointId = await createEndpoint(api, receiver.url, {
      authtype: ServiceEndpointAuthType.HttpHeader,
      authvalue: '<settings><setting name="x-api-key" value="s3cret" /></settings>',
    });
    await registerStep(api, { message: 'Update', table: contact.logicalName, endpointId });
    await update(contact.entitySetName, id, { jobtitle: 'Lead rigger' });
    await dv.idle();

    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0] as Received;
    expect(req.headers['x-api-key']).toBe('s3cret');
    expect(new URL(req.url, receiver.url).search).toBe('');
  });
});

describe('which changes post', () => {
  it('honours filteringattributes: a column outside the list posts nothing, one in the list posts once', async () => {
    const id = await createContact('Alex', 'Nguyen');
    await registerWebhook(api, receiver, { message: 'Update', table: contact.logicalName, filteringattributes: 'telephone1,emailaddress1' });

    await update(contact.entitySetName, id, { jobtitle: 'Supervisor' });
    await dv.idle();
    expect(receiver.requests).toHaveLength(0);

    await update(contact.entitySetName, id, { telephone1: '555-0199' });
    await dv.idle();
    expect(receiver.requests).toHaveLength(1);
    expect(attributesOf(target(posted(receiver.requests[0] as Received)))).toMatchObject({ telephone1: '555-0199' });
  });

  it('fires a Create step on create, with the new id as output parameter', async () => {
    await registerWebhook(api, receiver, { message: 'Create', table: contact.logicalName });
    const id = await createContact('Kim', 'Lee');
    await dv.idle();

    expect(receiver.requests).toHaveLength(1);
    const ctx = posted(receiver.requests[0] as Received);
    expect(ctx).toMatchObject({ MessageName: 'Create', PrimaryEntityName: 'contact', PrimaryEntityId: id, Stage: 40 });
    expect(attributesOf(target(ctx))).toMatchObject({ firstname: 'Kim', lastname: 'Lee', jobtitle: 'Rigger' });
    expect(ctx.OutputParameters).toEqual([{ key: 'id', value: id }]);
    expect(receiver.requests[0]?.headers['x-ms-dynamics-request-name']).toBe('Create');
  });

  it('fires the Create step once per record for a CreateMultiple of 5 (bulk messages keep per-record steps)', async () => {
    await registerWebhook(api, receiver, { message: 'Create', table: msdyn_workorder.logicalName });
    const targets = [1, 2, 3, 4, 5].map((n) => ({ '@odata.type': `Microsoft.Dynamics.CRM.${msdyn_workorder.logicalName}`, pfb_sourcekey: `bulk-${n}`, msdyn_name: `WO-BULK-${n}` }));
    const res = await api.post(`${msdyn_workorder.entitySetName}/Microsoft.Dynamics.CRM.CreateMultiple`, { Targets: targets });
    expect(res.status).toBe(200);
    const ids = res.json<{ Ids: string[] }>().Ids;
    expect(ids).toHaveLength(5);
    await dv.idle();

    const contexts = receiver.requests.map(posted);
    expect(contexts).toHaveLength(5);
    expect(contexts.map((c) => c.MessageName)).toEqual(['Create', 'Create', 'Create', 'Create', 'Create']);
    expect(contexts.map((c) => c.PrimaryEntityId).sort()).toEqual([...ids].sort());
    expect(contexts.map((c) => attributesOf(target(c))['pfb_sourcekey']).sort()).toEqual(['bulk-1', 'bulk-2', 'bulk-3', 'bulk-4', 'bulk-5']);
  });

  it('posts nothing for a change set that rolled back, and once per record for one that committed', async () => {
    await registerWebhook(api, receiver, { message: 'Create', table: msdyn_workorder.logicalName });
    const changeSet = (keys: string[]): { contentType: string; body: string } => {
      const cs = 'changeset_pfb';
      const lines = ['--batch_pfb', `Content-Type: multipart/mixed; boundary=${cs}`, ''];
      keys.forEach((key, i) => {
        lines.push(
          `--${cs}`,
          'Content-Type: application/http',
          'Content-Transfer-Encoding: binary',
          `Content-ID: ${i + 1}`,
          '',
          `POST ${dv.url}/${msdyn_workorder.entitySetName} HTTP/1.1`,
          'Content-Type: application/json; type=entry',
          '',
          JSON.stringify({ pfb_sourcekey: key, msdyn_name: `WO ${key}` }),
        );
      });
      lines.push(`--${cs}--`, '--batch_pfb--', '');
      return { contentType: 'multipart/mixed; boundary=batch_pfb', body: lines.join('\r\n') };
    };

    // The second create repeats the alternate key: it fails, and the first one is rolled back with it.
    const failing = changeSet(['cs-dup', 'cs-dup']);
    const rolledBack = await api.post('$batch', failing.body, { 'Content-Type': failing.contentType });
    expect(rolledBack.status).toBe(412);
    await dv.idle();
    expect(receiver.requests).toHaveLength(0);
    expect((await api.get(`${msdyn_workorder.entitySetName}?$filter=pfb_sourcekey eq 'cs-dup'&$count=true`)).json()['@odata.count']).toBe(0);

    const ok = changeSet(['cs-1', 'cs-2']);
    expect((await api.post('$batch', ok.body, { 'Content-Type': ok.contentType })).status).toBe(200);
    await dv.idle();
    expect(receiver.requests.map((r) => attributesOf(target(posted(r)))['pfb_sourcekey']).sort()).toEqual(['cs-1', 'cs-2']);
  });

  it('fires a Delete step with the registered pre-image', async () => {
    const id = await createContact('Jo', 'Brown');
    const { stepId } = await registerWebhook(api, receiver, { message: 'Delete', table: contact.logicalName });
    const image = await api.post(sdkmessageprocessingstepimage.entitySetName, {
      name: 'PreImage',
      entityalias: 'PreImage',
      imagetype: StepImageType.PreImage,
      messagepropertyname: 'Target',
      attributes: 'firstname,lastname,jobtitle',
      'sdkmessageprocessingstepid@odata.bind': `/${sdkmessageprocessingstep.entitySetName}(${stepId})`,
    });
    expect(image.status).toBe(204);

    expect((await api.delete(`${contact.entitySetName}(${id})`)).status).toBe(204);
    await dv.idle();

    expect(receiver.requests).toHaveLength(1);
    const ctx = posted(receiver.requests[0] as Received);
    expect(ctx).toMatchObject({ MessageName: 'Delete', PrimaryEntityName: 'contact', PrimaryEntityId: id });
    // Delete's Target is an EntityReference, not an Entity.
    expect((ctx.InputParameters[0] as KeyValue).value).toMatchObject({ __type: expect.stringMatching(/^EntityReference:/), Id: id, LogicalName: 'contact' });
    expect(ctx.PreEntityImages.map((i) => i.key)).toEqual(['PreImage']);
    expect(attributesOf((ctx.PreEntityImages[0] as { value: EntityJson }).value)).toEqual({ firstname: 'Jo', lastname: 'Brown', jobtitle: 'Rigger', contactid: id });
    expect(ctx.PostEntityImages).toEqual([]);
  });
});

describe('delivery, retry and system jobs', () => {
  it('retries a 503 once; success leaves no failed job', async () => {
    const id = await createContact('Ana', 'Silva');
    const { stepId } = await registerWebhook(api, receiver, { message: 'Update', table: contact.logicalName });
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    receiver.answer(503, 200);
    await update(contact.entitySetName, id, { jobtitle: 'Climber' });
    await dv.idle();

    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]?.body).toBe(receiver.requests[0]?.body);
    expect(await jobsOf(stepId, AsyncOperationStatus.Failed)).toEqual([]);
    expect(await jobsOf(stepId, AsyncOperationStatus.Succeeded)).toHaveLength(1);
  });

  it('does not retry a 500: one attempt and a failed system job naming the URL but never the key', async () => {
    const id = await createContact('Ben', 'Cole');
    const { stepId } = await registerWebhook(api, receiver, { message: 'Update', table: contact.logicalName });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    receiver.answer(500);
    await update(contact.entitySetName, id, { jobtitle: 'Climber' });
    await dv.idle();

    expect(receiver.requests).toHaveLength(1);
    const failed = await jobsOf(stepId, AsyncOperationStatus.Failed);
    expect(failed).toHaveLength(1);
    const job = failed[0] as Record<string, unknown>;
    expect(job['_regardingobjectid_value']).toBe(id);
    expect(job['_owningbusinessunit_value']).toBe((await api.get('WhoAmI')).json()['BusinessUnitId']);
    expect(job['message']).toContain(receiver.url);
    expect(job['message']).toContain('500');
    expect(job['message']).not.toContain(WEBHOOK_KEY);
    for (const call of warn.mock.calls) expect(String(call[0])).not.toContain(WEBHOOK_KEY);
    expect(await jobsOf(stepId, AsyncOperationStatus.Succeeded)).toEqual([]);
  });

  it('gives up after the one retry of a 502: two attempts, then a failed job', async () => {
    const id = await createContact('Cy', 'Dunn');
    const { stepId } = await registerWebhook(api, receiver, { message: 'Update', table: contact.logicalName });
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    receiver.answer(502, 502);
    await update(contact.entitySetName, id, { jobtitle: 'Climber' });
    await dv.idle();

    expect(receiver.requests).toHaveLength(2);
    const failed = await jobsOf(stepId, AsyncOperationStatus.Failed);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ retrycount: 1, message: expect.stringContaining('502') });
  });

  it('leaves no system job behind on success when asyncautodelete is set', async () => {
    const id = await createContact('Di', 'Evans');
    const { stepId } = await registerWebhook(api, receiver, { message: 'Update', table: contact.logicalName, asyncautodelete: true });
    await update(contact.entitySetName, id, { jobtitle: 'Climber' });
    await dv.idle();

    expect(receiver.requests).toHaveLength(1);
    expect(await jobsOf(stepId, AsyncOperationStatus.Succeeded)).toEqual([]);
  });
});

describe('registration', () => {
  it('refuses a synchronous webhook step with a clear error (documented difference: async only here)', async () => {
    const endpointId = await createEndpoint(api, receiver.url, { authtype: ServiceEndpointAuthType.WebhookKey, authvalue: WEBHOOK_KEY });
    const spec: StepSpec = { message: 'Update', table: contact.logicalName, endpointId, mode: StepMode.Synchronous };
    const res = await api.post(sdkmessageprocessingstep.entitySetName, stepBody(spec, await messageAndFilter(api, 'Update', contact.logicalName)));

    expect(res.status).toBe(400);
    expect((res.json()['error'] as { message: string }).message).toMatch(/synchronous webhook steps are not supported/i);
    const steps = (await api.get(`${serviceendpoint.entitySetName}(${endpointId})/serviceendpoint_sdkmessageprocessingstep?$select=name`)).json<{ value: unknown[] }>();
    expect(steps.value).toEqual([]);

    // And an update then posts nothing.
    const id = await createContact('Ed', 'Fox');
    await update(contact.entitySetName, id, { jobtitle: 'Climber' });
    await dv.idle();
    expect(receiver.requests).toHaveLength(0);
  });

  it('lists the steps of an endpoint through serviceendpoint_sdkmessageprocessingstep', async () => {
    const { endpointId, stepId } = await registerWebhook(api, receiver, { message: 'Update', table: contact.logicalName, filteringattributes: 'telephone1' });
    const res = await api.get(`${serviceendpoint.entitySetName}(${endpointId})/serviceendpoint_sdkmessageprocessingstep?$select=name,stage,mode,filteringattributes`);
    expect(res.status).toBe(200);
    expect(res.json<{ value: unknown[] }>().value).toEqual([
      expect.objectContaining({ sdkmessageprocessingstepid: stepId, stage: StepStage.PostOperation, mode: StepMode.Asynchronous, filteringattributes: 'telephone1' }),
    ]);
  });

  it('never returns authvalue when the endpoint is read back (IsValidForRead false)', async () => {
    const endpointId = await createEndpoint(api, receiver.url, { authtype: ServiceEndpointAuthType.WebhookKey, authvalue: WEBHOOK_KEY });
    const one = await api.get(`${serviceendpoint.entitySetName}(${endpointId})`);
    expect(one.status).toBe(200);
    expect(one.json()).toMatchObject({ url: receiver.url, authtype: ServiceEndpointAuthType.WebhookKey });
    expect(one.json()).not.toHaveProperty('authvalue');
    expect(one.text).not.toContain(WEBHOOK_KEY);
    const list = await api.get(serviceendpoint.entitySetName);
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(WEBHOOK_KEY);
  });
});
