/**
 * Error bodies and the alternate-key upsert responses, against the published samples
 * (compose-http-requests-handle-errors, use-upsert-insert-update-record).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SAMPLES_DIR, readRequestSample, readResponseSample, shapeOf, useTestDataverse } from '../support/sandbox';

const env = useTestDataverse();

/** Keys of a JSON object as printed, in order (Microsoft's sample is not valid JSON: a comma is missing). */
function printedKeys(text: string): string[] {
  return [...text.matchAll(/^\s*"([^"]+)"\s*:/gm)].map((m) => m[1] as string);
}

it('an error body is {"error":{"code","message"}} as the format template shows', async () => {
  const template = JSON.parse(readResponseSample('errors-upsert-prevent-create-404.response.http').body.replace(/ {2}$/gm, ''));
  const res = await env.api.get('accounts(00000000-0000-0000-0000-0000000000aa)');
  expect(res.status).toBe(404);
  expect(shapeOf(res.json())).toEqual(shapeOf(template));
  expect(Object.keys(res.json()['error'] as object)).toEqual(['code', 'message']);
});

it('with Prefer: odata.include-annotations="*" the error carries the sample\'s annotations, in its order', async () => {
  const sample = readRequestSample('errors-plugin-include-annotations.request.http');
  const printed = readResponseSample('errors-plugin-include-annotations.response.http');
  // Microsoft printed this response with no blank line before its body: read the keys from the whole text.
  const printedText = fs.readFileSync(path.join(SAMPLES_DIR, 'errors-plugin-include-annotations.response.http'), 'utf8');
  // The sample's request succeeds on its own; make it fail the same way a plug-in would refuse it: a too-long name.
  const res = await env.api.post('accounts', { name: 'x'.repeat(161) }, { Prefer: sample.headers['Prefer'] as string });
  expect(res.status).toBe(printed.status);
  expect(['error', ...Object.keys(res.json()['error'] as object)]).toEqual(printedKeys(printedText));
  const error = res.json()['error'] as Record<string, string>;
  expect(error['@Microsoft.PowerApps.CDS.HelpLink']).toBe(`http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a${error['code']?.slice(2)}&client=platform`);
  expect(error['@Microsoft.PowerApps.CDS.InnerError.Message']).toBe(error['message']);
});

describe('alternate-key upserts, replaying use-upsert-insert-update-record', () => {
  // The sample's table has a two-column key (example_key1, example_key2); ours has one (pfb_sourcekey).
  const mapPath = (path: string): string =>
    path
      .replace(/example_records\(example_key1=(\d+),example_key2=(\d+)\)/, (_m, a: string, b: string) => `msdyn_workorders(pfb_sourcekey='${a}:${b}')`)
      .replace(/example_recordid/g, 'msdyn_workorderid');
  const mapBody = (body: string): string => body.replace(/example_name/g, 'msdyn_workordersummary');

  it.each([
    ['upsert-altkey-create', null],
    ['upsert-altkey-update', 'upsert-altkey-create'],
    ['upsert-altkey-create-return-representation', null],
    ['upsert-altkey-update-return-representation', 'upsert-altkey-create-return-representation'],
  ])('%s answers with the sample\'s status, headers and body shape', async (name, before) => {
    if (before) {
      const first = readRequestSample(`${before}.request.http`);
      await env.api.request(first.method, mapPath(first.path), { body: mapBody(first.body), headers: { 'Content-Type': 'application/json' } });
    }
    const sample = readRequestSample(`${name}.request.http`);
    const printed = readResponseSample(`${name}.response.http`);
    const headers = Object.fromEntries(Object.entries(sample.headers).filter(([k]) => !['content-length', 'accept'].includes(k.toLowerCase())));
    const res = await env.api.request(sample.method, mapPath(sample.path), { body: mapBody(sample.body), headers });
    expect(res.status).toBe(printed.status);
    for (const header of Object.keys(printed.headers)) expect(res.headers.get(header)).not.toBeNull();
    if (printed.headers['OData-EntityId']) {
      expect(res.headers.get('odata-entityid')).toBe(`${env.dv.url}/${mapPath(printed.headers['OData-EntityId'].replace(/^.*\/api\/data\/v9\.2\//, ''))}`);
    }
    if (printed.body.trim()) {
      const body = res.json();
      expect(shapeOf(body)).toEqual(shapeOf(JSON.parse(mapBody(printed.body.replace(/example_records/g, 'msdyn_workorders').replace(/example_recordid/g, 'msdyn_workorderid')))));
      expect(body['@odata.context']).toBe(`${env.dv.url}/$metadata#msdyn_workorders(msdyn_workorderid)/$entity`);
      expect(res.headers.get('etag')).toBe(body['@odata.etag']);
    }
  });
});
