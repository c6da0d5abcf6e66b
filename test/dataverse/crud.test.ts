/**
 * Create, retrieve, update/upsert and delete over HTTP, checked against the published samples
 * (perform-conditional-operations, use-upsert-insert-update-record, compose-http-requests-handle-errors).
 */
import { client, readResponseSample, useTestDataverse } from '../support/sandbox';

const env = useTestDataverse();

const ACCOUNT = '3a0e2c55-1d71-4d0f-9c55-7a1b1b2e0001';

describe('authentication', () => {
  it('answers 401 without a bearer token, as Dataverse does', async () => {
    const res = await client(env.dv.url, null).get('accounts');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('accepts any bearer token and tells WhoAmI', async () => {
    const res = await env.api.get('WhoAmI');
    expect(res.status).toBe(200);
    const body = res.json<{ UserId: string; BusinessUnitId: string; OrganizationId: string }>();
    expect(body.UserId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.BusinessUnitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body['@odata.context' as keyof typeof body]).toContain('$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse');
  });
});

describe('create', () => {
  it('answers 204 with OData-EntityId, and the row exists', async () => {
    const res = await env.api.post('accounts', { name: 'Contoso Towers', accountnumber: 'C-1' });
    expect(res.status).toBe(204);
    const entityId = res.headers.get('odata-entityid') ?? '';
    expect(entityId).toMatch(new RegExp(`^${env.dv.url.replace(/[.]/g, '\\.')}/accounts\\([0-9a-f-]{36}\\)$`));
    const read = await env.api.get(`${entityId.slice(env.dv.url.length + 1)}?$select=name,accountnumber`);
    expect(read.json()).toMatchObject({ name: 'Contoso Towers', accountnumber: 'C-1' });
  });

  it('answers 201 with the row under Prefer: return=representation', async () => {
    const res = await env.api.post('accounts?$select=name', { name: 'Fabrikam' }, { Prefer: 'return=representation' });
    expect(res.status).toBe(201);
    const body = res.json();
    expect(body['name']).toBe('Fabrikam');
    expect(body['@odata.etag']).toMatch(/^W\/"\d+"$/);
    expect(body['@odata.context']).toBe(`${env.dv.url}/$metadata#accounts(name)/$entity`);
    expect(res.headers.get('preference-applied')).toContain('return=representation');
  });

  it('binds lookups with @odata.bind and reads them back as _x_value with annotations', async () => {
    await env.api.post('accounts', { accountid: ACCOUNT, name: 'Adventure Works' });
    const contact = await env.api.post(
      'contacts',
      { firstname: 'Rosa', lastname: 'Diaz', 'parentcustomerid_account@odata.bind': `/accounts(${ACCOUNT})` },
      { Prefer: 'return=representation' },
    );
    expect(contact.status).toBe(201);
    const id = contact.json()['contactid'] as string;
    await env.api.patch(`accounts(${ACCOUNT})`, { 'primarycontactid@odata.bind': `contacts(${id})` }, { 'If-Match': '*' });
    const res = await env.api.get(`accounts(${ACCOUNT})?$select=name,_primarycontactid_value`, {
      Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.associatednavigationproperty,Microsoft.Dynamics.CRM.lookuplogicalname"',
    });
    expect(res.json()).toMatchObject({
      _primarycontactid_value: id,
      '_primarycontactid_value@OData.Community.Display.V1.FormattedValue': 'Rosa Diaz',
      '_primarycontactid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'contact',
      '_primarycontactid_value@Microsoft.Dynamics.CRM.associatednavigationproperty': 'primarycontactid',
    });
  });

  it('refuses an unknown column, a _x_value write and a too-long string with Dataverse\'s messages, writing nothing', async () => {
    const before = (await env.api.get('accounts?$count=true')).json()['@odata.count'];
    const unknown = await env.api.post('accounts', { name: 'x', nosuchcolumn: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.json()['error']).toMatchObject({ message: expect.stringContaining("The property 'nosuchcolumn' does not exist on type 'Microsoft.Dynamics.CRM.account'") });
    const direct = await env.api.post('contacts', { lastname: 'x', _parentcustomerid_value: ACCOUNT });
    expect(direct.json()['error']).toMatchObject({ message: 'CRM do not support direct update of Entity Reference properties, Use Navigation properties insteed.' });
    const long = await env.api.post('accounts', { name: 'x'.repeat(161) });
    expect(long.status).toBe(400);
    expect((long.json()['error'] as { message: string }).message).toMatch(/^A validation error occurred\. {2}The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'\.$/);
    expect((await env.api.get('accounts?$count=true')).json()['@odata.count']).toBe(before);
  });

  it('refuses a lookup to a row that does not exist, creating nothing', async () => {
    const missing = '3a0e2c55-1d71-4d0f-9c55-7a1b1b2effff';
    const res = await env.api.post('contacts', { lastname: 'Orphan', 'parentcustomerid_account@odata.bind': `/accounts(${missing})` });
    expect(res.status).toBe(404);
    expect((res.json()['error'] as { message: string }).message).toBe(`account With Id = ${missing} Does Not Exist`);
    expect((await env.api.get("contacts?$filter=lastname eq 'Orphan'&$count=true")).json()['@odata.count']).toBe(0);
  });

  it('refuses a duplicate primary key', async () => {
    const res = await env.api.post('accounts', { accountid: ACCOUNT, name: 'again' });
    expect(res.status).toBe(412);
  });
});

describe('update and upsert', () => {
  it('a plain PATCH to a missing id creates the row (PATCH is an upsert)', async () => {
    const id = '3a0e2c55-1d71-4d0f-9c55-7a1b1b2e0099';
    const res = await env.api.patch(`accounts(${id})`, { name: 'Created by PATCH' });
    expect(res.status).toBe(204);
    expect((await env.api.get(`accounts(${id})?$select=name`)).json()['name']).toBe('Created by PATCH');
  });

  it('If-Match: * prevents the create: 404 with the sample\'s message', async () => {
    const sample = readResponseSample('errors-upsert-prevent-create-404.response.http');
    const id = '00000000-0000-0000-0000-000000000001';
    const res = await env.api.patch(`accounts(${id})`, { name: 'x' }, { 'If-Match': '*' });
    expect(res.status).toBe(sample.status);
    expect((res.json()['error'] as { message: string }).message).toBe(JSON.parse(sample.body).error.message);
    expect((await env.api.get(`accounts(${id})`)).status).toBe(404);
  });

  it('If-None-Match: * prevents the update: 412 with the sample\'s message, row unchanged', async () => {
    const sample = readResponseSample('errors-upsert-prevent-update-412.response.http');
    const res = await env.api.patch(`accounts(${ACCOUNT})`, { name: 'changed' }, { 'If-None-Match': '*' });
    expect(res.status).toBe(sample.status);
    expect((res.json()['error'] as { message: string }).message).toBe(JSON.parse(sample.body).error.message);
    expect((await env.api.get(`accounts(${ACCOUNT})?$select=name`)).json()['name']).toBe('Adventure Works');
  });

  it('If-Match with a stale etag is refused with 412 (optimistic concurrency), the current etag succeeds', async () => {
    const sample = readResponseSample('errors-occ-update-412.response.http');
    const current = (await env.api.get(`accounts(${ACCOUNT})?$select=name`)).json()['@odata.etag'] as string;
    const ok = await env.api.patch(`accounts(${ACCOUNT})`, { telephone1: '555-0100' }, { 'If-Match': current });
    expect(ok.status).toBe(204);
    const stale = await env.api.patch(`accounts(${ACCOUNT})`, { telephone1: '555-0199' }, { 'If-Match': current });
    expect(stale.status).toBe(sample.status);
    expect((stale.json()['error'] as { message: string }).message).toBe(JSON.parse(sample.body).error.message);
    const del = await env.api.delete(`accounts(${ACCOUNT})`, { 'If-Match': current });
    expect(del.status).toBe(412);
  });

  it('conditional retrieval: If-None-Match with the current etag answers 304', async () => {
    const first = await env.api.get(`accounts(${ACCOUNT})?$select=name`);
    const etag = first.json()['@odata.etag'] as string;
    const again = await env.api.get(`accounts(${ACCOUNT})?$select=name`, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    const changed = await env.api.get(`accounts(${ACCOUNT})?$select=name`, { 'If-None-Match': 'W/"1"' });
    expect(changed.status).toBe(200);
  });

  it('upserts by alternate key: 204 with the key in OData-EntityId; 201 then 200 with return=representation', async () => {
    const key = "msdyn_workorders(pfb_sourcekey='task-1:0')";
    const created = await env.api.patch(key, { msdyn_workordersummary: 'first' });
    expect(created.status).toBe(204);
    expect(created.headers.get('odata-entityid')).toBe(`${env.dv.url}/${key}`);
    const updated = await env.api.patch(key, { msdyn_workordersummary: 'second' });
    expect(updated.status).toBe(204);
    const rows = (await env.api.get("msdyn_workorders?$filter=pfb_sourcekey eq 'task-1:0'&$select=msdyn_workordersummary")).json()['value'] as unknown[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ msdyn_workordersummary: 'second' });

    const key2 = "msdyn_workorders(pfb_sourcekey='task-1:1')";
    const c2 = await env.api.patch(`${key2}?$select=pfb_sourcekey`, { msdyn_workordersummary: 'a' }, { Prefer: 'return=representation' });
    expect(c2.status).toBe(201);
    expect(c2.json()['pfb_sourcekey']).toBe('task-1:1');
    const u2 = await env.api.patch(`${key2}?$select=msdyn_workordersummary`, { msdyn_workordersummary: 'b' }, { Prefer: 'return=representation' });
    expect(u2.status).toBe(200);
    expect(u2.json()['msdyn_workordersummary']).toBe('b');
    expect((await env.api.get(key2)).status).toBe(200);
  });

  it('refuses a create whose alternate key value is already taken', async () => {
    const res = await env.api.post('msdyn_workorders', { pfb_sourcekey: 'task-1:0' });
    expect(res.status).toBe(412);
    expect((await env.api.get("msdyn_workorders?$filter=pfb_sourcekey eq 'task-1:0'&$count=true")).json()['@odata.count']).toBe(1);
  });

  it('updates and clears a single property, and sets and removes a lookup with $ref', async () => {
    expect((await env.api.request('PUT', `accounts(${ACCOUNT})/telephone1`, { body: { value: '555-0111' } })).status).toBe(204);
    expect((await env.api.get(`accounts(${ACCOUNT})/telephone1`)).json()['value']).toBe('555-0111');
    expect((await env.api.delete(`accounts(${ACCOUNT})/telephone1`)).status).toBe(204);
    expect((await env.api.get(`accounts(${ACCOUNT})?$select=telephone1`)).json()['telephone1']).toBeNull();
    expect((await env.api.delete(`accounts(${ACCOUNT})/primarycontactid/$ref`)).status).toBe(204);
    expect((await env.api.get(`accounts(${ACCOUNT})?$select=_primarycontactid_value`)).json()['_primarycontactid_value']).toBeNull();
  });
});

describe('delete', () => {
  it('answers 204, then 404 for the same id', async () => {
    const res = await env.api.post('accounts', { name: 'to delete' }, { Prefer: 'return=representation' });
    const id = res.json()['accountid'] as string;
    expect((await env.api.delete(`accounts(${id})`)).status).toBe(204);
    const again = await env.api.delete(`accounts(${id})`);
    expect(again.status).toBe(404);
    expect((again.json()['error'] as { message: string }).message).toBe(`account With Id = ${id} Does Not Exist`);
  });
});

describe('navigation properties', () => {
  it('GET of a single-valued navigation property named like its lookup column returns the related row', async () => {
    const contact = await env.api.post('contacts', { firstname: 'Nav', lastname: 'Target' }, { Prefer: 'return=representation' });
    const contactId = contact.json()['contactid'] as string;
    const acc = await env.api.post('accounts', { name: 'Nav source', 'primarycontactid@odata.bind': `/contacts(${contactId})` }, { Prefer: 'return=representation' });
    const res = await env.api.get(`accounts(${acc.json()['accountid'] as string})/primarycontactid?$select=fullname`);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ contactid: contactId, fullname: 'Nav Target' });
  });
});
