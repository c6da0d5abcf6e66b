/**
 * CreateMultiple, UpdateMultiple and UpsertMultiple (bulk-operations; UpsertMultiple reference), replaying the
 * published samples with the sample's table (sample_example) mapped onto a table we model (msdyn_workorder).
 */
import { client, readRequestSample, readResponseSample, shapeOf, startTestDataverse, useTestDataverse } from '../support/sandbox';

const env = useTestDataverse();

/** The sample's table and columns, renamed to msdyn_workorder's. */
function mapSample(text: string): string {
  return text
    .replace(/sample_examples/g, 'msdyn_workorders')
    .replace(/sample_exampleid/g, 'msdyn_workorderid')
    .replace(/sample_example/g, 'msdyn_workorder')
    .replace(/sample_name/g, 'msdyn_name');
}

async function count(filter = ''): Promise<number> {
  return (await env.api.get(`msdyn_workorders?$count=true${filter ? `&$filter=${filter}` : ''}`)).json()['@odata.count'] as number;
}

it('CreateMultiple: 200 with Ids, in the shape of the published response, every row created', async () => {
  const sample = readRequestSample('bulk-createmultiple.request.http');
  const printed = readResponseSample('bulk-createmultiple.response.http');
  const res = await env.api.post(mapSample(sample.path), mapSample(sample.body));
  expect(res.status).toBe(printed.status);
  const body = res.json<{ Ids: string[] }>();
  expect(shapeOf(body)).toEqual(shapeOf(JSON.parse(printed.body)));
  expect(body['@odata.context' as keyof typeof body]).toBe(`${env.dv.url}/$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`);
  expect(body.Ids).toHaveLength(3);
  for (const [i, id] of body.Ids.entries()) {
    expect((await env.api.get(`msdyn_workorders(${id})?$select=msdyn_name`)).json()['msdyn_name']).toBe(`sample record 000000${i + 1}`);
  }
  // Field Service side effects ran per record: one requirement each.
  const reqs = (await env.api.get('msdyn_resourcerequirements?$count=true')).json()['@odata.count'];
  expect(reqs).toBe(3);
});

it('UpdateMultiple: 204 and every row updated', async () => {
  const ids = (await env.api.get("msdyn_workorders?$select=msdyn_name&$filter=startswith(msdyn_name,'sample record')&$orderby=msdyn_name")).json()['value'] as Record<string, string>[];
  const sample = readRequestSample('bulk-updatemultiple.request.http');
  const printed = readResponseSample('bulk-updatemultiple.response.http');
  // Put our ids where the sample has Microsoft's.
  const sampleIds = [...sample.body.matchAll(/"sample_exampleid": "([0-9a-f-]{36})"/g)].map((m) => m[1] as string);
  let body = mapSample(sample.body);
  sampleIds.forEach((sid, i) => (body = body.replace(sid, ids[i]?.['msdyn_workorderid'] as string)));
  const res = await env.api.post(mapSample(sample.path), body);
  expect(res.status).toBe(printed.status);
  expect(await count("endswith(msdyn_name,'Updated')")).toBe(3);
});

it('is all-or-nothing: one bad target rolls back the whole request', async () => {
  const before = await count();
  const res = await env.api.post('msdyn_workorders/Microsoft.Dynamics.CRM.CreateMultiple', {
    Targets: [
      { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_workorder', msdyn_name: 'ok 1' },
      { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_workorder', msdyn_name: 'ok 2' },
      { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_workorder', msdyn_name: 'x'.repeat(101) },
    ],
  });
  expect(res.status).toBe(400);
  expect(await count()).toBe(before);
});

it('requires @odata.type on every target and one table per request', async () => {
  const missing = await env.api.post('msdyn_workorders/Microsoft.Dynamics.CRM.CreateMultiple', { Targets: [{ msdyn_name: 'no type' }] });
  expect(missing.status).toBe(400);
  expect((missing.json()['error'] as { message: string }).message).toMatch(/@odata\.type/);
  const other = await env.api.post('msdyn_workorders/Microsoft.Dynamics.CRM.CreateMultiple', { Targets: [{ '@odata.type': 'Microsoft.Dynamics.CRM.account', name: 'x' }] });
  expect(other.status).toBe(400);
});

it('UpsertMultiple by alternate key creates missing rows and updates existing ones, 204, idempotent', async () => {
  const targets = (summary: string) =>
    ['wo-key:0', 'wo-key:1', 'wo-key:2'].map((key) => ({
      '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_workorder',
      '@odata.id': `msdyn_workorders(pfb_sourcekey='${key}')`,
      msdyn_workordersummary: summary,
    }));
  const first = await env.api.post('msdyn_workorders/Microsoft.Dynamics.CRM.UpsertMultiple', { Targets: targets('v1') });
  expect(first.status).toBe(204);
  expect(await count("startswith(pfb_sourcekey,'wo-key:')")).toBe(3);
  const second = await env.api.post('msdyn_workorders/Microsoft.Dynamics.CRM.UpsertMultiple', { Targets: targets('v2') });
  expect(second.status).toBe(204);
  expect(await count("startswith(pfb_sourcekey,'wo-key:')")).toBe(3);
  expect(await count("msdyn_workordersummary eq 'v2'")).toBe(3);
});

it('is refused for a table without the bulk message filter, as on a real environment', async () => {
  const res = await env.api.post('msdyn_projects/Microsoft.Dynamics.CRM.CreateMultiple', { Targets: [{ '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_project', msdyn_subject: 'x' }] });
  expect(res.status).toBe(400);
  expect((res.json()['error'] as { message: string }).message).toMatch(/CreateMultiple.*not enabled.*msdyn_project/);
});

it('counts as one request toward the service protection limit', async () => {
  const limited = await startTestDataverse({ limits: { requests: 2, executionMs: 1e9, windowMs: 60_000, concurrent: 52 } });
  try {
    const c = client(limited.url);
    const targets = Array.from({ length: 500 }, (_, i) => ({ '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_workorder', msdyn_name: `bulk ${i}` }));
    expect((await c.post('msdyn_workorders/Microsoft.Dynamics.CRM.CreateMultiple', { Targets: targets })).status).toBe(200);
    expect((await c.get('msdyn_workorders?$count=true&$top=1')).json()['@odata.count']).toBe(500);
    const third = await c.get('WhoAmI');
    expect(third.status).toBe(429);
  } finally {
    await limited.close();
  }
});
