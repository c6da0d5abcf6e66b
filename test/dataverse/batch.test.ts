/**
 * `$batch` over HTTP, checked against Microsoft's published batch samples (execute-batch-operations-using-web-api):
 * each sample request is sent as printed (its Content-Type and boundary, its body with `[Organization URI]` made
 * this server's origin) and the multipart answer is compared with the printed response — status lines, Content-IDs,
 * header names, entity URLs with the GUIDs blanked, JSON shapes — and then the rows are read back over plain
 * requests, so a batch that answers well but writes the wrong thing still fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { account, contact, msdyn_workorder, task } from '@pfb/domain';
import type { LimitSettings, RunningDataverse } from '@pfb/sandbox';
import { parseBatchResponse, type InnerResponse, type ResponsePart } from '../../sandbox/dataverse/src/protocol/batch';
import { SAMPLES_DIR, client, readRequestSample, readResponseSample, shapeOf, startTestDataverse, type Client, type HttpResult } from '../support/sandbox';

/** The account the samples create their tasks regarding. */
const SAMPLE_ACCOUNT = '00000000-0000-0000-0000-000000000001';
const ORGANIZATION_PLACEHOLDER = /\[Organization U(?:ri|RI)\]/g;
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

let dv: RunningDataverse;
let api: Client;
let origin: string;

beforeEach(async () => {
  dv = await startTestDataverse();
  api = client(dv.url);
  origin = new URL(dv.url).origin;
  const seeded = await api.post(account.entitySetName, { [account.primaryIdAttribute]: SAMPLE_ACCOUNT, name: 'Sample account' });
  expect(seeded.status).toBe(204);
});
afterEach(() => dv.close());

// ---- sending and reading batches ------------------------------------------------------------------------------

interface BatchResult {
  http: HttpResult;
  parts: ResponsePart[];
}

function withOrigin(text: string): string {
  return text.replace(ORGANIZATION_PLACEHOLDER, origin);
}

async function postBatch(body: string, headers: Record<string, string>, target: Client = api): Promise<BatchResult> {
  const http = await target.request('POST', '$batch', { headers, body });
  const contentType = http.headers.get('content-type') ?? '';
  return { http, parts: contentType.startsWith('multipart/') ? parseBatchResponse(http.text, contentType) : [] };
}

/** Sends a `.request.http` sample as printed; Content-Length is left to fetch (Microsoft's printed values are wrong). */
async function sendSample(name: string, edit: (body: string) => string = (body) => body): Promise<BatchResult> {
  const sample = readRequestSample(name);
  // The request line is read here: readRequestSample stops the URL at the space inside `[Organization Uri]`.
  const requestLine = fs.readFileSync(path.join(SAMPLES_DIR, name), 'utf8').split(/\r?\n/)[0] ?? '';
  expect(withOrigin(requestLine)).toBe(`POST ${origin}/api/data/v9.2/$batch HTTP/1.1`);
  const headers = Object.fromEntries(Object.entries(sample.headers).filter(([header]) => header.toLowerCase() !== 'content-length'));
  return postBatch(withOrigin(edit(sample.body)), headers);
}

interface PrintedResponse {
  status: number;
  topHeaders: Record<string, string>;
  body: string;
  parts: ResponsePart[];
}

/** A `.response.http` sample; its Content-Type isn't printed, so the boundary is read from the first delimiter. */
function printedResponse(name: string, edit: (body: string) => string = (body) => body): PrintedResponse {
  const sample = readResponseSample(name);
  const body = edit(sample.body);
  const boundary = /^--(\S+)/.exec(body.trimStart())?.[1];
  if (!boundary) throw new Error(`${name}: no multipart boundary`);
  return { status: sample.status, topHeaders: sample.headers, body, parts: parseBatchResponse(body, `multipart/mixed; boundary=${boundary}`) };
}

/**
 * What a response part must agree on with the printed one: status, Content-ID, header names, and header values
 * with the organization and GUIDs blanked. Content-Type is compared by media type only: the local server doesn't
 * add `odata.streaming=true`, which clients ignore.
 */
function partView(response: InnerResponse, organization: string | RegExp): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    const key = name.toLowerCase();
    headers[key] = key === 'content-type' ? (value.split(';')[0] ?? '').trim() : value.replace(organization, '{org}').replace(GUID, '{guid}');
  }
  return { status: response.status, contentId: response.contentId, headers };
}

function batchView(parts: ResponsePart[], organization: string | RegExp): unknown[] {
  return parts.map((part) =>
    part.kind === 'response'
      ? { response: partView(part.response, organization) }
      : { changeset: part.responses.map((response) => partView(response, organization)) },
  );
}

function statusLines(body: string): string[] {
  return body.split(/\r?\n/).filter((line) => /^HTTP\/1\.1 \d{3}\b/.test(line));
}

/** Compares an answer with the printed response: batch status, part layout, status lines, headers. */
function expectLikePrinted(result: BatchResult, printed: PrintedResponse): void {
  expect(result.http.status).toBe(printed.status);
  expect(result.http.headers.get('odata-version')).toBe(printed.topHeaders['OData-Version']);
  expect(batchView(result.parts, origin)).toEqual(batchView(printed.parts, new RegExp(ORGANIZATION_PLACEHOLDER.source, 'g')));
  expect(statusLines(result.http.text)).toEqual(statusLines(printed.body));
}

function responses(parts: ResponsePart[]): InnerResponse[] {
  return parts.flatMap((part) => (part.kind === 'response' ? [part.response] : part.responses));
}

/** The id in an OData-EntityId header (`…/tasks(<id>)`). */
function entityIdOf(response: InnerResponse | undefined): string {
  const header = Object.entries(response?.headers ?? {}).find(([name]) => name.toLowerCase() === 'odata-entityid')?.[1] ?? '';
  const id = /\(([0-9a-f-]{36})\)$/i.exec(header)?.[1];
  if (!id) throw new Error(`no entity id in '${header}'`);
  return id;
}

function errorOf(response: InnerResponse | undefined): { code: string; message: string } {
  return (JSON.parse(response?.body ?? '{}') as { error: { code: string; message: string } }).error;
}

// ---- reading rows back over plain requests --------------------------------------------------------------------

interface TaskRow {
  activityid: string;
  subject: string;
  _regardingobjectid_value: string | null;
}

async function allTasks(): Promise<TaskRow[]> {
  const res = await api.get(`${task.entitySetName}?$select=subject,_regardingobjectid_value`);
  expect(res.status).toBe(200);
  return res.json<{ value: TaskRow[] }>().value;
}

async function accountNames(): Promise<string[]> {
  const res = await api.get(`${account.entitySetName}?$select=name`);
  expect(res.status).toBe(200);
  return res.json<{ value: { name: string }[] }>().value.map((row) => row.name);
}

async function readRow(entitySet: string, id: string, select: string): Promise<Record<string, unknown>> {
  const res = await api.get(`${entitySet}(${id})?$select=${select}`);
  expect(res.status).toBe(200);
  return res.json();
}

// ---- building batches the samples don't cover -----------------------------------------------------------------

interface Operation {
  method: string;
  url: string;
  body?: unknown;
  contentId?: string;
}

function operationLines(op: Operation): string[] {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (op.contentId) lines.push(`Content-ID: ${op.contentId}`);
  lines.push('', `${op.method} /api/data/v9.2/${op.url} HTTP/1.1`);
  if (op.body === undefined) return [...lines, '', ''];
  return [...lines, 'Content-Type: application/json; type=entry', '', JSON.stringify(op.body)];
}

/** A batch body: a plain operation is a top-level request, an array is a change set. */
function batchOf(parts: readonly (Operation | readonly Operation[])[]): { body: string; headers: Record<string, string> } {
  const lines: string[] = [];
  parts.forEach((part, i) => {
    lines.push('--batch_pfb');
    if (!Array.isArray(part)) {
      lines.push(...operationLines(part as Operation));
      return;
    }
    lines.push(`Content-Type: multipart/mixed; boundary=changeset_pfb${i}`, '');
    for (const op of part) lines.push(`--changeset_pfb${i}`, ...operationLines(op));
    lines.push(`--changeset_pfb${i}--`);
  });
  lines.push('--batch_pfb--', '');
  return { body: lines.join('\r\n'), headers: { 'Content-Type': 'multipart/mixed; boundary="batch_pfb"' } };
}

const regardingAccount = task.columns.regardingobjectid?.perTarget?.[account.logicalName]?.navigationProperty ?? '';
const regardingSampleAccount = { [`${regardingAccount}@odata.bind`]: `${account.entitySetName}(${SAMPLE_ACCOUNT})` };

// ---- the samples ----------------------------------------------------------------------------------------------

describe('batch requests without change sets (batch-no-changeset)', () => {
  it('creates the three tasks, answers as printed and lists them in the GET part', async () => {
    const result = await sendSample('batch-no-changeset.request.http');
    const printed = printedResponse('batch-no-changeset.response.http');
    expectLikePrinted(result, printed);

    const [first, second, third, get] = responses(result.parts);
    const createdIds = [first, second, third].map(entityIdOf);
    const listed = JSON.parse(get?.body ?? '{}') as { '@odata.context': string; value: { subject: string; activityid: string }[] };
    expect(shapeOf(listed)).toEqual(shapeOf(JSON.parse(responses(printed.parts)[3]?.body ?? '{}')));
    expect(listed['@odata.context']).toBe(`${dv.url}/$metadata#${task.entitySetName}(subject)`);
    expect(listed.value.map((row) => [row.subject, row.activityid]).sort()).toEqual([
      ['Task 1 in batch', createdIds[0]],
      ['Task 2 in batch', createdIds[1]],
      ['Task 3 in batch', createdIds[2]],
    ]);

    const rows = await allTasks();
    expect(rows.map((row) => [row.subject, row._regardingobjectid_value]).sort()).toEqual([
      ['Task 1 in batch', SAMPLE_ACCOUNT],
      ['Task 2 in batch', SAMPLE_ACCOUNT],
      ['Task 3 in batch', SAMPLE_ACCOUNT],
    ]);
  });
});

describe('change sets (batch-changeset)', () => {
  it('echoes the Content-IDs with 204 and the new entity URLs, then the GET part sees the committed tasks', async () => {
    const result = await sendSample('batch-changeset.request.http');
    const printed = printedResponse('batch-changeset.response.http');
    expectLikePrinted(result, printed);

    const changeSet = result.parts[0];
    if (changeSet?.kind !== 'changeset') throw new Error('the first part is not a change set response');
    expect(changeSet.responses.map((r) => r.contentId)).toEqual(['1', '2', '3']);
    const get = result.parts[1];
    if (get?.kind !== 'response') throw new Error('the second part is not a response');
    const printedGet = printed.parts[1];
    if (printedGet?.kind !== 'response') throw new Error('the printed second part is not a response');
    const listed = JSON.parse(get.response.body ?? '{}') as { value: { activityid: string }[] };
    expect(shapeOf(listed)).toEqual(shapeOf(JSON.parse(printedGet.response.body ?? '{}')));
    expect(listed.value.map((row) => row.activityid).sort()).toEqual(changeSet.responses.map(entityIdOf).sort());
    expect(await allTasks()).toHaveLength(3);
  });
});

describe('Content-ID references ($n)', () => {
  it('resolves $1 and $2 in @odata.bind values of a later request body (batch-changeset-ref-uris-in-body)', async () => {
    // The sample's first request creates a lead and binds it as the account's originating lead; leads aren't
    // modelled, so that request creates an account bound as the parent account instead. All else is as printed.
    const asAccount = (text: string): string =>
      text
        .replace('/api/data/v9.2/leads', `/api/data/v9.2/${account.entitySetName}`)
        .replace(/"firstname":"first name",\s*"lastname":"last name"/, '"name":"first name last name"')
        .replace('"originatingleadid@odata.bind"', '"parentaccountid@odata.bind"');
    const sample = readRequestSample('batch-changeset-ref-uris-in-body.request.http');
    expect(asAccount(sample.body)).not.toMatch(/lead/);
    const result = await sendSample('batch-changeset-ref-uris-in-body.request.http', asAccount);
    const printed = printedResponse('batch-changeset-ref-uris-in-body.response.http', (body) => body.replace(/\/leads\(/g, `/${account.entitySetName}(`));
    expectLikePrinted(result, printed);

    const [parent, primary, created] = responses(result.parts).map(entityIdOf);
    const row = await readRow(account.entitySetName, created as string, 'name,_parentaccountid_value,_primarycontactid_value');
    expect(row).toMatchObject({ name: 'IcM Account', _parentaccountid_value: parent, _primarycontactid_value: primary });
    expect(await readRow(contact.entitySetName, primary as string, 'firstname')).toMatchObject({ firstname: 'first name' });
  });

  it('resolves $1 at the start of a request URL: PUT $1/lastname (batch-changeset-ref-uri-in-url)', async () => {
    const result = await sendSample('batch-changeset-ref-uri-in-url.request.http');
    expectLikePrinted(result, printedResponse('batch-changeset-ref-uri-in-url.response.http'));
    const id = entityIdOf(responses(result.parts)[0]);
    expect(await readRow(contact.entitySetName, id, 'firstname,lastname')).toMatchObject({ firstname: 'First Name', lastname: 'BBBBB' });
  });

  it('resolves $1 in the URL and $2 in @odata.id: PUT $1/primarycontactid/$ref (batch-changeset-ref-odata-id)', async () => {
    const result = await sendSample('batch-changeset-ref-odata-id.request.http');
    expectLikePrinted(result, printedResponse('batch-changeset-ref-odata-id.response.http'));
    const [accountId, contactId] = responses(result.parts).slice(0, 2).map(entityIdOf);
    expect(await readRow(account.entitySetName, accountId as string, 'name,_primarycontactid_value')).toMatchObject({
      name: 'Account Name',
      _primarycontactid_value: contactId,
    });
  });

  it('resolves PATCH $1 with primarycontactid@odata.bind $2 (batch-changeset-ref-navprop-patch)', async () => {
    const result = await sendSample('batch-changeset-ref-navprop-patch.request.http');
    expectLikePrinted(result, printedResponse('batch-changeset-ref-navprop-patch.response.http'));
    const [accountId, contactId, patched] = responses(result.parts).map(entityIdOf);
    expect(patched).toBe(accountId);
    expect(await readRow(account.entitySetName, accountId as string, 'name,_primarycontactid_value')).toMatchObject({
      name: 'Account name',
      _primarycontactid_value: contactId,
    });
    expect(await readRow(contact.entitySetName, contactId as string, 'firstname')).toMatchObject({ firstname: 'Contact first name' });
  });

  it('refuses a reference to a Content-ID not declared earlier in the change set (batch-content-id-undeclared)', async () => {
    // Microsoft prints only the body and a two-line answer: "HTTP 400 Bad Request" and the message.
    const body = fs.readFileSync(path.join(SAMPLES_DIR, 'batch-content-id-undeclared.request-body.http'), 'utf8');
    const [statusLine = '', message = ''] = fs.readFileSync(path.join(SAMPLES_DIR, 'batch-content-id-undeclared.response.http'), 'utf8').split(/\r?\n/);
    const boundary = /^--(\S+)/.exec(body)?.[1] ?? '';
    const before = await accountNames();

    const result = await postBatch(withOrigin(body), { 'Content-Type': `multipart/mixed;boundary=${boundary}` });
    const status = Number(/\b(\d{3})\b/.exec(statusLine)?.[1]);
    expect(result.http.status).toBe(status);
    const only = responses(result.parts);
    expect(only).toHaveLength(1);
    expect(only[0]?.status).toBe(status);
    expect(only[0]?.contentId).toBe('2');
    expect(errorOf(only[0]).message).toBe(message);
    // The request declaring Content-ID 1 comes later in the change set and never runs.
    expect(await accountNames()).toEqual(before);
  });
});

describe('errors', () => {
  it('stops at the first failure without odata.continue-on-error: 400, the printed message, nothing else ran (batch-error-stop)', async () => {
    const result = await sendSample('batch-error-stop.request.http');
    const printed = printedResponse('batch-error-stop.response.http');
    expectLikePrinted(result, printed);
    expect(errorOf(responses(result.parts)[0])).toEqual(errorOf(responses(printed.parts)[0]));
    // Neither the too-long task nor the two after it exist.
    expect(await allTasks()).toEqual([]);
  });

  it('goes on after a failure with odata.continue-on-error: 200, a 400 part and two 204s (batch-error-continue-on-error)', async () => {
    const result = await sendSample('batch-error-continue-on-error.request.http');
    const printed = printedResponse('batch-error-continue-on-error.response.http');
    expectLikePrinted(result, printed);
    expect(errorOf(responses(result.parts)[0])).toEqual(errorOf(responses(printed.parts)[0]));
    const rows = await allTasks();
    expect(rows.map((row) => row.subject).sort()).toEqual(['Task 2 in batch', 'Task 3 in batch']);
    expect(rows.map((row) => row.activityid).sort()).toEqual(responses(result.parts).slice(1).map(entityIdOf).sort());
  });
});

// ---- what the samples don't show ------------------------------------------------------------------------------

describe('a change set is one transaction', () => {
  const WORK_ORDER_KEY = 'batch-test:0';

  it.each([
    ['an unknown column', { method: 'POST', url: task.entitySetName, body: { subject: 'never', nosuchcolumn: 1 } }, 400],
    ['a duplicate alternate key', { method: 'POST', url: msdyn_workorder.entitySetName, body: { pfb_sourcekey: WORK_ORDER_KEY } }, 412],
  ])('rolls back the earlier requests when a later one fails on %s', async (_what, failing, status) => {
    expect((await api.post(msdyn_workorder.entitySetName, { pfb_sourcekey: WORK_ORDER_KEY })).status).toBe(204);
    const namesBefore = await accountNames();
    const batch = batchOf([
      [
        { method: 'POST', url: account.entitySetName, body: { name: 'Created then rolled back' }, contentId: '1' },
        { method: 'PATCH', url: `${account.entitySetName}(${SAMPLE_ACCOUNT})`, body: { name: 'Renamed then rolled back' }, contentId: '2' },
        { method: 'POST', url: task.entitySetName, body: { subject: 'Task then rolled back', ...regardingSampleAccount }, contentId: '3' },
        { ...failing, contentId: '4' },
      ],
      { method: 'POST', url: account.entitySetName, body: { name: 'After the change set' } },
    ]);

    const result = await postBatch(batch.body, batch.headers);
    expect(result.http.status).toBe(status);
    // The change set answers with the failing request alone; the batch stopped there.
    expect(result.parts).toHaveLength(1);
    expect(result.parts[0]?.kind).toBe('changeset');
    expect(responses(result.parts).map((r) => [r.status, r.contentId])).toEqual([[status, '4']]);

    expect(await accountNames()).toEqual(namesBefore);
    expect(await allTasks()).toEqual([]);
    const workOrders = await api.get(`${msdyn_workorder.entitySetName}?$select=pfb_sourcekey`);
    expect(workOrders.json<{ value: unknown[] }>().value).toHaveLength(1);
  });

  it('keeps the change sets before a failed one', async () => {
    const batch = batchOf([
      [{ method: 'POST', url: task.entitySetName, body: { subject: 'Committed', ...regardingSampleAccount }, contentId: '1' }],
      [
        { method: 'POST', url: task.entitySetName, body: { subject: 'Rolled back', ...regardingSampleAccount }, contentId: '1' },
        { method: 'POST', url: task.entitySetName, body: { subject: 'x'.repeat(201) }, contentId: '2' },
      ],
    ]);
    const result = await postBatch(batch.body, batch.headers);
    expect(result.http.status).toBe(400);
    expect(responses(result.parts).map((r) => [r.status, r.contentId])).toEqual([
      [204, '1'],
      [400, '2'],
    ]);
    expect((await allTasks()).map((row) => row.subject)).toEqual(['Committed']);
  });
});

describe('limits', () => {
  it('counts a batch as one request for service protection, whatever it carries', async () => {
    const limits: LimitSettings = { requests: 3, executionMs: 1e9, windowMs: 60000, concurrent: 52 };
    const limited = await startTestDataverse({ limits });
    try {
      const limitedApi = client(limited.url);
      const creates = Array.from({ length: 10 }, (_, i): Operation => ({ method: 'POST', url: account.entitySetName, body: { name: `Throttle ${i}` } }));
      const batch = batchOf(creates);
      const first = await postBatch(batch.body, batch.headers, limitedApi);
      expect(first.http.status).toBe(200);
      expect(responses(first.parts).map((r) => r.status)).toEqual(Array(10).fill(204));

      const second = await limitedApi.get(`${account.entitySetName}?$select=name`);
      expect(second.status).toBe(200);
      expect(second.json<{ value: unknown[] }>().value).toHaveLength(10);
      expect((await limitedApi.get('WhoAmI')).status).toBe(200);

      const refused = await limitedApi.get('WhoAmI');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(limits.windowMs / 1000);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('0x80072322');
    } finally {
      await limited.close();
    }
  });

  it('accepts 1,000 requests in one batch and refuses 1,001 before running any', async () => {
    const thousand = batchOf(Array.from({ length: 1000 }, (): Operation => ({ method: 'GET', url: 'WhoAmI' })));
    const accepted = await postBatch(thousand.body, thousand.headers);
    expect(accepted.http.status).toBe(200);
    expect(responses(accepted.parts).filter((r) => r.status === 200)).toHaveLength(1000);

    const before = await accountNames();
    const creates = Array.from({ length: 1001 }, (_, i): Operation => ({ method: 'POST', url: account.entitySetName, body: { name: `Over the limit ${i}` } }));
    const tooMany = batchOf([creates.slice(0, 500), ...creates.slice(500)]);
    const refused = await postBatch(tooMany.body, tooMany.headers);
    expect(refused.http.status).toBe(400);
    expect(refused.http.json<{ error: { message: string } }>().error.message).toContain("maximum number of '1000'");
    expect(await accountNames()).toEqual(before);
  });
});
