/**
 * The sandbox's Xrm.WebApi against a real local Dataverse, driven by Microsoft's own client API samples
 * (reference/microsoft-docs-samples/xrm-*.js), run unchanged in a script context whose `Xrm` is ours: the request
 * objects the docs build reach Dataverse as the docs say, one HTTP request per call, change sets where asked.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { account } from '@pfb/domain';
import { SAMPLES_DIR, useTestDataverse } from '../../../test/support/sandbox';
import { createWebApi, type SandboxWebApi } from '../src/webApi/webApi';
import type { FetchLike } from '../src/webApi/transport';

const sample = (name: string): string => fs.readFileSync(path.join(SAMPLES_DIR, name), 'utf8');
const SAMPLE_ACCOUNT = 'd2b6c3f8-b0fa-e911-a812-000d3a59fa22';

describe('Xrm.WebApi over the local Dataverse', () => {
  const ctx = useTestDataverse();
  let api: SandboxWebApi;
  const sent: { method: string; url: string; body?: string }[] = [];
  beforeAll(async () => {
    const fetchFn: FetchLike = (url, init) => {
      sent.push({ method: init.method, url, body: init.body });
      return fetch(url, init);
    };
    api = await createWebApi({ serviceRoot: ctx.dv.url, fetch: fetchFn, headers: { Authorization: 'Bearer test' } });
  });
  beforeEach(() => void sent.splice(0));

  /** Runs a sample file in a context with window, Xrm and console; resolves with what it logged. */
  async function runSample(code: string, extra: Record<string, unknown> = {}): Promise<string[]> {
    const logs: string[] = [];
    let settle: () => void = () => undefined;
    const done = new Promise<void>((r) => (settle = r));
    const format = (f: unknown, ...args: unknown[]): string => String(f).replace(/%s/g, () => String(args.shift()));
    const context = vm.createContext({
      window: {},
      Xrm: { WebApi: api },
      console: {
        log: (f: unknown, ...args: unknown[]) => {
          logs.push(format(f, ...args));
          settle();
        },
      },
      ...extra,
    });
    vm.runInContext(code, context);
    await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
    await new Promise((r) => setTimeout(r, 50));
    return logs;
  }

  it('xrm-execute-crud-create.js: CreateRequest { etn, payload } → one POST, and the account exists', async () => {
    const logs = await runSample(sample('xrm-execute-crud-create.js'));
    expect(logs).toEqual(['Status: 204 No Content']);
    expect(sent.map((r) => `${r.method} ${r.url.replace(ctx.dv.url, '')}`)).toEqual(['POST /accounts']);
    const found = await api.retrieveMultipleRecords(account.logicalName, "?$select=name&$filter=name eq 'Fabrikam Inc.'");
    expect(found.entities).toHaveLength(1);
  });

  it('xrm-execute-crud-retrieve.js and -update.js: by entity reference, with columns; update only (If-Match: *)', async () => {
    await api.createRecord(account.logicalName, { accountid: SAMPLE_ACCOUNT, name: 'Sample Account' });
    sent.splice(0);
    expect(await runSample(sample('xrm-execute-crud-retrieve.js'))).toEqual(['Status: 200 OK', 'Name: Sample Account']);
    expect(sent.map((r) => r.url.replace(ctx.dv.url, ''))).toEqual([`/accounts(${SAMPLE_ACCOUNT})?$select=name`]);
    expect(await runSample(sample('xrm-execute-crud-update.js'))).toEqual(['Status: 204 No Content']);
    expect(((await api.retrieveRecord(account.logicalName, SAMPLE_ACCOUNT, '?$select=name')) as { name: string }).name).toBe('Updated Sample Account');
    // Update never creates: the same request for a missing account is refused (404), not an upsert.
    const missing = sample('xrm-execute-crud-update.js').replace(SAMPLE_ACCOUNT, 'd2b6c3f8-b0fa-e911-a812-000000000000');
    expect((await runSample(missing))[0]).toMatch(/Does Not Exist/);
  });

  it('xrm-execute-function-whoami.js: an unbound function → GET WhoAmI()', async () => {
    const logs = await runSample(sample('xrm-execute-function-whoami.js'));
    expect(logs[0]).toBe('Status: 200 OK');
    expect(logs[1]).toMatch(/^User Id: [0-9a-f-]{36}$/);
    expect(sent.map((r) => r.url.replace(ctx.dv.url, ''))).toEqual(['/WhoAmI()']);
  });

  /** The create sample's Sdk.CreateRequest, for the executeMultiple samples' req1…req5. */
  const createRequests = (names: string[]): string =>
    `${sample('xrm-execute-crud-create.js').split('// Construct a request object from the metadata')[0]}\n` +
    names.map((n, i) => `var req${i + 1} = new Sdk.CreateRequest("account", { name: "${n}" });`).join('\n') +
    // The samples' callbacks, left to the reader in the docs: report statuses or the error.
    "\nvar successCallback = function (responses) { console.log('ok ' + responses.map(function (r) { return r.status; }).join(',')); };" +
    "\nvar errorCallback = function (e) { console.log('error ' + e.message); };\n";

  it('xrm-executemultiple-syntax-1-requests.js: [req1, req2, req3] → one $batch, no change set', async () => {
    const logs = await runSample(`${createRequests(['Batch A', 'Batch B', 'Batch C'])}\n${sample('xrm-executemultiple-syntax-1-requests.js')}`);
    expect(logs).toEqual(['ok 204,204,204']);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe(`${ctx.dv.url}/$batch`);
    expect(sent[0]?.body).not.toMatch(/changeset_/);
    expect(sent[0]?.body?.match(/^POST \/api\/data\/v9\.2\/accounts HTTP\/1\.1$/gm)).toHaveLength(3);
    expect((await api.retrieveMultipleRecords(account.logicalName, "?$select=name&$filter=startswith(name,'Batch ')")).entities).toHaveLength(3);
  });

  it('xrm-executemultiple-syntax-2-changeset.js: [[req1, req2, req3]] → one $batch with one atomic change set', async () => {
    const logs = await runSample(`${createRequests(['Set A', 'Set B', 'Set C'])}\n${sample('xrm-executemultiple-syntax-2-changeset.js')}`);
    expect(logs).toEqual(['ok 204,204,204']);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body?.match(/Content-Type: multipart\/mixed; boundary="changeset_/g)).toHaveLength(1);
    expect(sent[0]?.body?.match(/^Content-ID: \d+$/gm)).toEqual(['Content-ID: 1', 'Content-ID: 2', 'Content-ID: 3']);
  });

  it('a change set is all or nothing: one refused create rolls back the others, and the error is the refused one', async () => {
    class Create {
      constructor(readonly etn: string, readonly payload: Record<string, unknown>) {}
      getMetadata() {
        return { boundParameter: null, parameterTypes: {}, operationType: 2, operationName: 'Create' };
      }
    }
    const tooLong = 'x'.repeat(500);
    const failure = await api.online.executeMultiple([[new Create('account', { name: 'Atomic A' }), new Create('account', { name: tooLong })]]).then(
      () => null,
      (e: unknown) => e as { errorCode: number; message: string; httpStatusCode: number },
    );
    expect(failure?.httpStatusCode).toBe(400);
    expect(failure?.errorCode).toBeGreaterThan(0x80000000);
    expect((await api.retrieveMultipleRecords(account.logicalName, "?$select=name&$filter=name eq 'Atomic A'")).entities).toHaveLength(0);
  });

  it('retrieveMultipleRecords pages with maxPageSize and continues from nextLink', async () => {
    const first = await api.retrieveMultipleRecords(account.logicalName, '?$select=name&$orderby=name', 2);
    expect(first.entities).toHaveLength(2);
    expect(first.nextLink).toMatch(/\$skiptoken=/);
    const second = await api.retrieveMultipleRecords(account.logicalName, first.nextLink, 2);
    expect(second.entities.map((e: { name: string }) => e.name)).not.toEqual(first.entities.map((e: { name: string }) => e.name));
  });

  it('rejects unknown tables before sending anything', async () => {
    await expect(api.retrieveMultipleRecords('nosuchtable', '?$select=name')).rejects.toMatchObject({ message: expect.stringMatching(/'nosuchtable' does not exist/) });
    expect(sent).toEqual([]);
  });
});
