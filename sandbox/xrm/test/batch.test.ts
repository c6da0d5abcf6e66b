/** The $batch wire format against Microsoft's published samples (reference/microsoft-docs-samples/batch-*.http). */
import { readRequestSample, readResponseSample } from '../../../test/support/sandbox';
import { parseBatchResponse, serializeBatch } from '../src/webApi/batch';
import type { HttpOperation } from '../src/webApi/operations';

const task = (n: number): HttpOperation => ({
  method: 'POST',
  path: 'tasks',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ subject: `Task ${n} in batch`, 'regardingobjectid_account_task@odata.bind': 'accounts(00000000-0000-0000-0000-000000000001)' }),
});

/** The lines that carry structure (boundaries, part headers, request lines), boundary ids and bodies left out. */
function skeleton(body: string): string[] {
  return body
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.replace(/(batch|changeset)_[0-9a-f-]+/g, '$1_ID'))
    .filter((l) => /^--|^Content-|^(GET|POST|PATCH|DELETE) /.test(l))
    .map((l) => l.replace(/; type=entry$/, '').replace(/"/g, ''));
}

describe('$batch', () => {
  it('writes a change set and a GET the way batch-changeset.request.http does', () => {
    const sample = readRequestSample('batch-changeset.request.http');
    const ours = serializeBatch([[task(1), task(2), task(3)], { method: 'GET', path: 'accounts(00000000-0000-0000-0000-000000000001)/Account_Tasks?$select=subject', headers: {} }], '/api/data/v9.2');
    expect(ours.contentType).toMatch(/^multipart\/mixed; boundary="batch_[0-9a-f-]+"$/);
    expect(skeleton(ours.body)).toEqual(skeleton(sample.body));
    expect(ours.body).toContain('\r\n');
  });

  it('refuses a GET inside a change set (execute-batch-operations: GET isn’t allowed in a change set)', () => {
    expect(() => serializeBatch([[task(1), { method: 'GET', path: 'accounts', headers: {} }]], '/api/data/v9.2')).toThrow(/cannot be part of a change set/);
  });

  it('reads batch-changeset.response.http: three 204 with their entity ids, then the 200 with the tasks', () => {
    const sample = readResponseSample('batch-changeset.response.http');
    const contentType = `multipart/mixed; boundary=${/^--(batchresponse_[0-9a-f-]+)/m.exec(sample.body)?.[1]}`;
    const parts = parseBatchResponse(contentType, sample.body);
    expect(parts.map((p) => [p.status, p.contentId])).toEqual([
      [204, '1'],
      [204, '2'],
      [204, '3'],
      [200, undefined],
    ]);
    expect(parts[0]?.headers['odata-entityid']).toMatch(/tasks\(e73ffc82-e292-ed11-aad1-000d3a9933c9\)$/);
    expect((JSON.parse(parts[3]?.body ?? '{}') as { value: unknown[] }).value).toHaveLength(3);
  });

  it('reads batch-error-stop.response.http: the failing request and its error', () => {
    const sample = readResponseSample('batch-error-stop.response.http');
    const contentType = `multipart/mixed; boundary=${/^--(batchresponse_[0-9a-f-]+)/m.exec(sample.body)?.[1]}`;
    const [part] = parseBatchResponse(contentType, sample.body);
    expect(part?.status).toBe(400);
    expect(JSON.parse(part?.body ?? '{}')).toEqual({ error: { code: '0x80044331', message: expect.stringContaining("The length of the 'subject' attribute") } });
  });
});
