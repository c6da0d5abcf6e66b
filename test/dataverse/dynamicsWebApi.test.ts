/**
 * A client nobody here wrote — `dynamics-web-api` 2.5.0, the bridge's Dataverse client (platform-notes) — drives
 * the local Dataverse over HTTP. If the sandbox only understood our own requests, these would fail: paging through
 * `@odata.nextLink`, `$expand`, If-Match on update, alternate-key upsert, `$batch` change sets with `$1`
 * references, bulk actions and error bodies are all shaped by the library. Outcomes are re-read with plain fetch.
 */
import { DynamicsWebApi, type RequestError } from 'dynamics-web-api';
import { account, contact, msdyn_workorder } from '@pfb/domain';
import type { RunningDataverse } from '@pfb/sandbox';
import { client, startTestDataverse, type Client } from '../support/sandbox';

const TOKEN = 'local-test-token';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MISSING = '7e1f0c55-0000-4000-8000-00000000dead';

/** The library configured as the bridge configures it: the environment's origin, Web API 9.2, a token callback. */
function dynamicsWebApi(dv: RunningDataverse): DynamicsWebApi {
  return new DynamicsWebApi({
    serverUrl: new URL(dv.url).origin,
    dataApi: { version: '9.2' },
    onTokenRefresh: async () => TOKEN,
  });
}

/** The error a call rejects with (the library rejects with its RequestError, or an array of them for a $batch). */
async function failure<T = RequestError>(call: Promise<unknown>): Promise<T> {
  try {
    await call;
  } catch (e) {
    return e as T;
  }
  throw new Error('Expected the request to fail, but it succeeded.');
}

let dv: RunningDataverse;
let dwa: DynamicsWebApi;
let webApi: Client;

beforeAll(async () => {
  dv = await startTestDataverse();
  dwa = dynamicsWebApi(dv);
  webApi = client(dv.url, TOKEN);
});
afterAll(() => dv.close());

async function rows<T = Record<string, unknown>>(path: string): Promise<T[]> {
  const res = await webApi.get(path);
  expect(res.status).toBe(200);
  return res.json<{ value: T[] }>().value;
}

describe('retrieveMultiple and paging', () => {
  const names = Array.from({ length: 25 }, (_, i) => `Paging ${String(i + 1).padStart(2, '0')}`);
  const request = { collection: account.entitySetName, select: ['name'], filter: "startswith(name,'Paging ')", maxPageSize: 10 };

  beforeAll(async () => {
    const res = await webApi.post(`${account.entitySetName}/Microsoft.Dynamics.CRM.CreateMultiple`, {
      Targets: names.map((name) => ({ '@odata.type': `Microsoft.Dynamics.CRM.${account.logicalName}`, name })),
    });
    expect(res.status).toBe(200);
  });

  it('pages by 10 through @odata.nextLink and sees all 25 exactly once', async () => {
    let page = await dwa.retrieveMultiple<{ accountid: string; name: string }>(request);
    const sizes = [page.value.length];
    const seen = [...page.value];
    while (page.oDataNextLink) {
      expect(page.oDataNextLink.startsWith(`${dv.url}/${account.entitySetName}?`)).toBe(true);
      page = await dwa.retrieveMultiple<{ accountid: string; name: string }>(request, page.oDataNextLink);
      sizes.push(page.value.length);
      seen.push(...page.value);
    }
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen.map((r) => r.name).sort()).toEqual(names);
    expect(new Set(seen.map((r) => r.accountid)).size).toBe(25);
  });

  it('retrieveAll follows the links itself', async () => {
    const all = await dwa.retrieveAll<{ accountid: string; name: string }>(request);
    expect(all.value.map((r) => r.name).sort()).toEqual(names);
    expect(new Set(all.value.map((r) => r.accountid)).size).toBe(25);
    expect(all.value.every((r) => GUID.test(r.accountid))).toBe(true);
  });
});

describe('create, retrieve, update, upsert', () => {
  it('create returns the new id, and the row is there', async () => {
    const id = await dwa.create<Record<string, unknown>, string>({ collection: account.entitySetName, data: { name: 'Created by DynamicsWebApi', accountnumber: 'DWA-1' } });
    expect(id).toMatch(GUID);
    const row = (await webApi.get(`${account.entitySetName}(${id})?$select=name,accountnumber`)).json();
    expect(row).toMatchObject({ name: 'Created by DynamicsWebApi', accountnumber: 'DWA-1', accountid: id });
  });

  it('retrieve with select, expand and formatted values', async () => {
    const contactId = await dwa.create<Record<string, unknown>, string>({ collection: contact.entitySetName, data: { firstname: 'Rosa', lastname: 'Diaz' } });
    const accountId = await dwa.create<Record<string, unknown>, string>({
      collection: account.entitySetName,
      // The library turns a relative bind into `/contacts(…)`.
      data: { name: 'Adventure Works', accountnumber: 'AW-1', 'primarycontactid@odata.bind': `${contact.entitySetName}(${contactId})` },
    });

    const row = await dwa.retrieve<Record<string, unknown>>({
      collection: account.entitySetName,
      key: accountId,
      select: ['name', '_primarycontactid_value'],
      expand: [{ property: 'primarycontactid', select: ['fullname', 'lastname'] }],
      includeAnnotations: 'OData.Community.Display.V1.FormattedValue',
    });
    expect(row).toMatchObject({ accountid: accountId, name: 'Adventure Works', _primarycontactid_value: contactId });
    // The library maps `x@OData.Community.Display.V1.FormattedValue` to `x_Formatted`.
    expect(row['_primarycontactid_value_Formatted']).toBe('Rosa Diaz');
    expect(row['primarycontactid']).toMatchObject({ contactid: contactId, fullname: 'Rosa Diaz', lastname: 'Diaz' });
    expect(row).not.toHaveProperty('accountnumber');
  });

  it('update changes the row; its default If-Match: * keeps it from creating a missing one', async () => {
    const id = await dwa.create<Record<string, unknown>, string>({ collection: account.entitySetName, data: { name: 'To update' } });
    await dwa.update({ collection: account.entitySetName, key: id, data: { telephone1: '555-0100', name: 'Updated' } });
    expect((await webApi.get(`${account.entitySetName}(${id})?$select=name,telephone1`)).json()).toMatchObject({ name: 'Updated', telephone1: '555-0100' });

    const err = await failure(dwa.update({ collection: account.entitySetName, key: MISSING, data: { name: 'ghost' } }));
    expect(err.status).toBe(404);
    expect((await webApi.get(`${account.entitySetName}(${MISSING})`)).status).toBe(404);
  });

  it('upserts a work order by its alternate key: creates, then updates the same row', async () => {
    const key = "pfb_sourcekey='dwa-task-1:0'";
    const byKey = `${msdyn_workorder.entitySetName}?$select=msdyn_workordersummary,pfb_sourcekey&$filter=pfb_sourcekey eq 'dwa-task-1:0'`;

    await dwa.upsert({ collection: msdyn_workorder.entitySetName, key, data: { msdyn_name: 'WO-DWA-1', msdyn_workordersummary: 'first' } });
    expect(await rows(byKey)).toEqual([expect.objectContaining({ pfb_sourcekey: 'dwa-task-1:0', msdyn_workordersummary: 'first' })]);

    await dwa.upsert({ collection: msdyn_workorder.entitySetName, key, data: { msdyn_workordersummary: 'second' } });
    expect(await rows(byKey)).toEqual([expect.objectContaining({ msdyn_workordersummary: 'second' })]);

    // Create-only (If-None-Match: *) on an existing row: 412, which the library reports as null; the row is unchanged.
    const createOnly = await dwa.upsert({ collection: msdyn_workorder.entitySetName, key, ifnonematch: '*', data: { msdyn_workordersummary: 'third' } });
    expect(createOnly).toBeNull();
    expect(await rows(byKey)).toEqual([expect.objectContaining({ msdyn_workordersummary: 'second' })]);
  });
});

describe('$batch', () => {
  it('runs a change set with a $1 reference, then a GET outside it', async () => {
    dwa.startBatch();
    void dwa.create({ collection: account.entitySetName, data: { name: 'Batch parent' }, contentId: '1' });
    void dwa.create({ collection: contact.entitySetName, data: { lastname: 'Batch child', 'parentcustomerid_account@odata.bind': '$1' }, inChangeSet: true });
    void dwa.retrieveMultiple({ collection: account.entitySetName, select: ['name'], filter: "name eq 'Batch parent'" });
    const [accountId, contactId, list] = (await dwa.executeBatch()) as [string, string, { value: { accountid: string }[] }];

    expect(accountId).toMatch(GUID);
    expect(contactId).toMatch(GUID);
    expect(list.value.map((r) => r.accountid)).toEqual([accountId]);
    const child = (await webApi.get(`${contact.entitySetName}(${contactId})?$select=lastname,_parentcustomerid_value`)).json();
    expect(child).toMatchObject({ lastname: 'Batch child', _parentcustomerid_value: accountId });
  });

  it('rolls the whole change set back when one request fails, and reports that request\'s error', async () => {
    dwa.startBatch();
    void dwa.create({ collection: account.entitySetName, data: { name: 'Rolled back' } });
    void dwa.update({ collection: account.entitySetName, key: MISSING, data: { name: 'ghost' } });
    const errs = await failure<RequestError[]>(dwa.executeBatch());

    expect(Array.isArray(errs)).toBe(true);
    expect(errs).toHaveLength(1);
    // Inside a batch the library keeps Dataverse's body as is: the message sits under `error`, not on the Error.
    expect(errs[0]).toMatchObject({ status: 404, error: { code: '0x80040217', message: `account With Id = ${MISSING} Does Not Exist` } });
    expect(await rows(`${account.entitySetName}?$select=name&$filter=name eq 'Rolled back'`)).toEqual([]);
  });
});

describe('bulk messages through callAction', () => {
  it('CreateMultiple on msdyn_workorders returns the Ids of rows that exist', async () => {
    const targets = [1, 2, 3].map((n) => ({ '@odata.type': `Microsoft.Dynamics.CRM.${msdyn_workorder.logicalName}`, msdyn_name: `WO-DWA-BULK-${n}`, pfb_sourcekey: `dwa-bulk-${n}` }));
    const res = await dwa.callAction<{ Ids: string[] }>({ collection: msdyn_workorder.entitySetName, actionName: 'Microsoft.Dynamics.CRM.CreateMultiple', action: { Targets: targets } });

    expect(res.Ids).toHaveLength(3);
    const created = await rows<{ msdyn_workorderid: string; pfb_sourcekey: string }>(
      `${msdyn_workorder.entitySetName}?$select=pfb_sourcekey&$filter=startswith(pfb_sourcekey,'dwa-bulk-')&$orderby=pfb_sourcekey`,
    );
    expect(created.map((r) => r.pfb_sourcekey)).toEqual(['dwa-bulk-1', 'dwa-bulk-2', 'dwa-bulk-3']);
    expect(created.map((r) => r.msdyn_workorderid).sort()).toEqual([...res.Ids].sort());
  });
});

describe('errors', () => {
  it('a 404 exposes the status, Dataverse\'s code and message', async () => {
    const err = await failure(dwa.retrieve({ collection: account.entitySetName, key: MISSING }));
    expect(err).toBeInstanceOf(Error);
    expect(err.status).toBe(404);
    expect(err.code).toBe('0x80040217');
    expect(err.message).toBe(`account With Id = ${MISSING} Does Not Exist`);
  });

  it('a 429 from the service protection limits exposes the status and Retry-After (the library does not retry)', async () => {
    const limited = await startTestDataverse({ limits: { requests: 3, executionMs: 1_200_000, windowMs: 60_000, concurrent: 52 } });
    try {
      const api = dynamicsWebApi(limited);
      for (let i = 0; i < 3; i += 1) await api.retrieveMultiple({ collection: account.entitySetName, select: ['name'] });
      const err = await failure(api.retrieveMultiple({ collection: account.entitySetName, select: ['name'] }));
      expect(err.status).toBe(429);
      expect(err.code).toBe('0x80072322');
      const retryAfter = Number((err.headers as Record<string, string>)['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.server.stats.throttled).toBe(1);
    } finally {
      await limited.close();
    }
  });
});
