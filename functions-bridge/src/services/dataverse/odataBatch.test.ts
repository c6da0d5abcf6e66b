/**
 * The bridge's multi-change-set $batch against Microsoft's published samples: the responses parse into the outcome of
 * each part, and the request the builder writes parses back with the local Dataverse's own batch parser (which is
 * itself checked against the sample requests).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseBatch } from '../../../../sandbox/dataverse/src/protocol/batch';
import { buildBatch, parseBatchResponse, partError, type BatchItem } from './odataBatch';

const SAMPLES = path.resolve(__dirname, '../../../../../shared/reference/microsoft-docs-samples');

/** A sample response's body and its boundary (the samples omit the Content-Type header; the first line names it). */
function sampleResponse(name: string): { contentType: string; body: string } {
  const raw = fs.readFileSync(path.join(SAMPLES, name), 'utf8').replace(/\r?\n/g, '\r\n');
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const boundary = /^--(\S+)/.exec(body)?.[1] as string;
  return { contentType: `multipart/mixed; boundary=${boundary}`, body };
}

it('reads the sample change set response: every request of the set answered, then the GET', () => {
  const { contentType, body } = sampleResponse('batch-changeset.response.http');
  const items: BatchItem[] = [
    { kind: 'changeSet', requests: [1, 2, 3].map(() => ({ method: 'POST' as const, url: 'tasks', body: {} })) },
    { kind: 'get', url: 'accounts' },
  ];
  const [set, get] = parseBatchResponse(items, contentType, body);
  expect(set).toMatchObject({ kind: 'changeSet', ok: true });
  expect(set?.kind === 'changeSet' && set.ok && set.responses.map((r) => r.status)).toEqual([204, 204, 204]);
  expect(get).toMatchObject({ kind: 'get', ok: true, response: { status: 200 } });
  expect((get?.kind === 'get' && (get.response.body as { value: unknown[] }).value.length) || 0).toBeGreaterThan(0);
});

it('reads the sample continue-on-error response: the failed part carries Dataverse’s error, the others succeed', () => {
  const { contentType, body } = sampleResponse('batch-error-continue-on-error.response.http');
  const items: BatchItem[] = [0, 1, 2].map(() => ({ kind: 'changeSet', requests: [{ method: 'POST', url: 'tasks', body: {} }] }));
  const results = parseBatchResponse(items, contentType, body);
  expect(results.map((r) => r.ok)).toEqual([false, true, true]);
  const failed = results[0];
  if (failed?.kind !== 'changeSet' || failed.ok) throw new Error('expected a failed change set');
  expect(partError(failed.response)).toMatchObject({ code: '0x80044331', message: expect.stringContaining("exceeded the maximum allowed length of '200'") });
});

it('reads the sample stop-on-error response: parts after the failure were not run', () => {
  const { contentType, body } = sampleResponse('batch-error-stop.response.http');
  const items: BatchItem[] = [0, 1, 2].map(() => ({ kind: 'changeSet', requests: [{ method: 'POST', url: 'tasks', body: {} }] }));
  const results = parseBatchResponse(items, contentType, body);
  expect(results[0]?.ok).toBe(false);
  expect(results.slice(1).map((r) => !r.ok && r.kind === 'changeSet' && r.response.status)).toEqual([424, 424]);
});

it('writes a batch the Dataverse batch parser reads back: change sets with their Content-IDs, GETs outside them', () => {
  const items: BatchItem[] = [
    { kind: 'changeSet', requests: [{ method: 'POST', url: 'pfb_fieldevents', body: { pfb_eventid: 'e1' } }, { method: 'PATCH', url: 'bookableresourcebookings(1f0c)', headers: { 'If-Match': 'W/"12"' }, body: { pfb_fieldstage: 724310001 } }] },
    { kind: 'get', url: 'msdyn_workorders?$select=msdyn_name' },
    { kind: 'changeSet', requests: [{ method: 'PATCH', url: 'pfb_tasksyncs(2a)', headers: { 'If-Match': '*' }, body: { pfb_percentcomplete: 50 } }] },
  ];
  const { contentType, body } = buildBatch(items, '/api/data/v9.2');
  expect(parseBatch(body, contentType)).toMatchObject([
    {
      kind: 'changeset',
      requests: [
        { method: 'POST', url: '/api/data/v9.2/pfb_fieldevents', contentId: '1', body: '{"pfb_eventid":"e1"}' },
        { method: 'PATCH', url: '/api/data/v9.2/bookableresourcebookings(1f0c)', contentId: '2', headers: { 'if-match': 'W/"12"' } },
      ],
    },
    { kind: 'request', request: { method: 'GET', url: '/api/data/v9.2/msdyn_workorders?$select=msdyn_name' } },
    { kind: 'changeset', requests: [{ method: 'PATCH', contentId: '3', headers: { 'if-match': '*' } }] },
  ]);
});
