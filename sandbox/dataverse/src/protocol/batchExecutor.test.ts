/**
 * $batch execution semantics, driven with Microsoft's printed samples (../shared/reference/microsoft-docs-samples)
 * against a small in-memory Dataverse whose atomic() snapshots and restores its Map.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBatch, serializeBatchResponse, type BatchPart, type InnerRequest, type InnerResponse, type ResponsePart } from './batch';
import { batchStatus, executeBatch, toServiceRelativeUrl, type BatchHandlers } from './batchExecutor';
import { DataverseError } from './errors';

const SAMPLES = join(__dirname, '../../../../../shared/reference/microsoft-docs-samples');
const ORIGIN = 'http://127.0.0.1:5555';
const SERVICE_ROOT = `${ORIGIN}/api/data/v9.2/`;
const OPTIONS = { continueOnError: false, serviceRoot: SERVICE_ROOT };
const SUBJECT_TOO_LONG = {
  code: '0x80044331',
  message: "A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'.",
};

/** A sample request with Microsoft's `[Organization URI]` placeholder pointed at the local service. */
function sampleBatch(name: string): BatchPart[] {
  const text = readFileSync(join(SAMPLES, name), 'utf8').replace(/\[Organization U[Rr][Ii]\]/g, ORIGIN);
  if (name.endsWith('.request-body.http')) return parseBatch(text, 'multipart/mixed; boundary=batch_AAA123');
  const split = /\r?\n\r?\n/.exec(text);
  if (!split) throw new Error(`${name} has no blank line after its headers`);
  const contentType = /^content-type:\s*(.*)$/im.exec(text.slice(0, split.index))?.[1] ?? '';
  return parseBatch(text.slice(split.index + split[0].length), contentType.trim());
}

function sampleResponseBody(name: string): string {
  const text = readFileSync(join(SAMPLES, name), 'utf8');
  return text.slice(/\r?\n\r?\n/.exec(text)?.index ?? 0).replace(/\[Organization U[Rr][Ii]\]/g, ORIGIN);
}

/**
 * Just enough Dataverse for batches: POST creates (204 + Location/OData-EntityId), PATCH merges, PUT sets one
 * property or a `$ref`, GET reads. `@odata.bind` values must name an existing row; a subject over 200 characters
 * fails as in the samples; `name: "FAIL"` fails on purpose.
 */
class FakeDataverse implements BatchHandlers {
  rows = new Map<string, Record<string, unknown>>();
  handled: InnerRequest[] = [];
  private nextId = 1;

  handle(request: InnerRequest): InnerResponse {
    this.handled.push(request);
    const body = request.body === '' ? {} : (JSON.parse(request.body) as Record<string, unknown>);
    const path = request.url.split('?')[0] as string;
    const collection = /^([a-z_]+)$/.exec(path);
    if (request.method === 'POST' && collection) {
      if (typeof body.subject === 'string' && body.subject.length > 200) return this.error(400, SUBJECT_TOO_LONG.code, SUBJECT_TOO_LONG.message);
      if (body.name === 'FAIL') return this.error(400, '0x80040203', 'Told to fail.');
      const unbound = this.unboundReference(body);
      if (unbound) return this.error(400, '0x80040217', `No row at ${unbound}.`);
      const key = `${collection[1]}(${this.newId()})`;
      this.rows.set(key, body);
      return { status: 204, headers: { 'OData-Version': '4.0', Location: SERVICE_ROOT + key, 'OData-EntityId': SERVICE_ROOT + key } };
    }
    const row = /^([a-z_]+\([0-9a-f-]+\))(?:\/([a-z_]+))?(\/\$ref)?$/.exec(path);
    const existing = row ? this.rows.get(row[1] as string) : undefined;
    if (!row || !existing) return this.error(404, '0x80040217', `Does Not Exist: ${path}`);
    const key = row[1] as string;
    if (request.method === 'GET') return { status: 200, headers: { 'Content-Type': 'application/json; odata.metadata=minimal' }, body: JSON.stringify(existing) };
    if (request.method === 'PATCH' && !row[2]) {
      const unbound = this.unboundReference(body);
      if (unbound) return this.error(400, '0x80040217', `No row at ${unbound}.`);
      this.rows.set(key, { ...existing, ...body });
      return { status: 204, headers: { 'OData-Version': '4.0', Location: SERVICE_ROOT + key, 'OData-EntityId': SERVICE_ROOT + key } };
    }
    if (request.method === 'PUT' && row[2] && row[3]) {
      const target = toServiceRelativeUrl(String(body['@odata.id']), SERVICE_ROOT);
      if (!this.rows.has(target)) return this.error(400, '0x80040217', `No row at ${target}.`);
      this.rows.set(key, { ...existing, [`${row[2]}@odata.bind`]: target });
      return { status: 204, headers: { 'OData-Version': '4.0' } };
    }
    if (request.method === 'PUT' && row[2]) {
      this.rows.set(key, { ...existing, [row[2]]: body.value });
      return { status: 204, headers: { 'OData-Version': '4.0' } };
    }
    return this.error(405, '0x80060888', `${request.method} ${path} isn't supported by the fake.`);
  }

  atomic<T>(fn: () => T): T {
    const snapshot = new Map([...this.rows].map(([key, row]) => [key, structuredClone(row)]));
    const nextId = this.nextId;
    try {
      return fn();
    } catch (error) {
      this.rows = snapshot;
      this.nextId = nextId;
      throw error;
    }
  }

  rowsOf(entitySet: string): Array<[string, Record<string, unknown>]> {
    return [...this.rows].filter(([key]) => key.startsWith(`${entitySet}(`));
  }

  /** The one row of an entity set, as [key, row]; fails the test when there isn't exactly one. */
  onlyRow(entitySet: string): [string, Record<string, unknown>] {
    const rows = this.rowsOf(entitySet);
    expect(rows).toHaveLength(1);
    return rows[0] as [string, Record<string, unknown>];
  }

  private newId(): string {
    return `00000000-0000-0000-0000-${String(this.nextId++).padStart(12, '0')}`;
  }

  private unboundReference(body: Record<string, unknown>): string | undefined {
    return Object.entries(body)
      .filter(([name]) => name.endsWith('@odata.bind'))
      .map(([, value]) => String(value))
      .find((value) => !this.rows.has(value));
  }

  private error(status: number, code: string, message: string): InnerResponse {
    return {
      status,
      headers: { REQ_ID: '11111111-2222-3333-4444-555555555555', 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
      body: JSON.stringify({ error: { code, message } }),
    };
  }
}

const post = (entitySet: string, body: object, contentId?: string): InnerRequest => ({
  method: 'POST',
  url: `/api/data/v9.2/${entitySet}`,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  ...(contentId === undefined ? {} : { contentId }),
});

function statuses(parts: ResponsePart[]): unknown[] {
  return parts.map((part) => (part.kind === 'response' ? part.response.status : { changeset: part.responses.map((r) => r.status) }));
}

function errorOf(response: InnerResponse | undefined): { code: string; message: string } {
  return (JSON.parse(response?.body ?? '{}') as { error: { code: string; message: string } }).error;
}

/** Serialized output against a printed response: meaningful lines, with GUIDs (boundaries, ids, REQ_ID) blanked. */
function skeleton(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd().replace(/^([A-Za-z_-]+):\s*/, '$1: ').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<guid>'))
    .filter((line) => line !== '');
}

describe('change sets are atomic', () => {
  it('a change set whose second request fails leaves no trace of the first, and answers with the failure alone', () => {
    const dataverse = new FakeDataverse();
    const parts: BatchPart[] = [{ kind: 'changeset', requests: [post('accounts', { name: 'Contoso' }, '1'), post('contacts', { name: 'FAIL' }, '2')] }];
    const answered = executeBatch(parts, OPTIONS, dataverse);
    expect(dataverse.handled.map((r) => r.url)).toEqual(['accounts', 'contacts']); // the first really ran…
    expect(dataverse.rows.size).toBe(0); // …and was rolled back
    expect(answered).toEqual([{ kind: 'changeset', responses: [expect.objectContaining({ status: 400, contentId: '2' })] }]);
    expect(errorOf(answered[0]?.kind === 'changeset' ? answered[0].responses[0] : undefined).message).toBe('Told to fail.');
    expect(batchStatus(answered, false)).toEqual({ status: 400, reason: 'BadRequest' });
  });

  it('a change set that succeeds keeps every row and echoes every Content-ID', () => {
    const dataverse = new FakeDataverse();
    const answered = executeBatch(sampleBatch('batch-changeset.request.http').slice(0, 1), OPTIONS, dataverse);
    expect(dataverse.rowsOf('tasks')).toHaveLength(0); // the account they point at doesn't exist in the fake
    expect(statuses(answered)).toEqual([{ changeset: [400] }]);

    const withAccount = new FakeDataverse();
    withAccount.rows.set('accounts(00000000-0000-0000-0000-000000000001)', { name: 'Fourth Coffee' });
    const parts = sampleBatch('batch-changeset.request.http');
    const ok = executeBatch(parts, OPTIONS, withAccount);
    expect(withAccount.rowsOf('tasks').map(([, row]) => row.subject)).toEqual(['Task 1 in batch', 'Task 2 in batch', 'Task 3 in batch']);
    expect(ok[0]?.kind === 'changeset' && ok[0].responses.map((r) => r.contentId)).toEqual(['1', '2', '3']);
  });

  it('a failure inside one change set doesn\'t undo an earlier change set or top-level request', () => {
    const dataverse = new FakeDataverse();
    const answered = executeBatch(
      [
        { kind: 'request', request: post('accounts', { name: 'kept 1' }) },
        { kind: 'changeset', requests: [post('accounts', { name: 'kept 2' }, '1')] },
        { kind: 'changeset', requests: [post('accounts', { name: 'undone' }, '1'), post('accounts', { name: 'FAIL' }, '2')] },
      ],
      { ...OPTIONS, continueOnError: true },
      dataverse,
    );
    expect(statuses(answered)).toEqual([204, { changeset: [204] }, { changeset: [400] }]);
    expect(dataverse.rowsOf('accounts').map(([, row]) => row.name)).toEqual(['kept 1', 'kept 2']);
  });

  it('a handler that throws (against its contract) fails and rolls back its change set with a 500', () => {
    const dataverse = new FakeDataverse();
    const handlers: BatchHandlers = {
      handle: (request) => {
        if (request.url === 'contacts') throw new Error('disk on fire');
        return dataverse.handle(request);
      },
      atomic: (fn) => dataverse.atomic(fn),
    };
    const answered = executeBatch([{ kind: 'changeset', requests: [post('accounts', { name: 'A' }, '1'), post('contacts', {}, '2')] }], OPTIONS, handlers);
    expect(dataverse.rows.size).toBe(0);
    const failure = answered[0]?.kind === 'changeset' ? answered[0].responses[0] : undefined;
    expect(failure).toMatchObject({ status: 500, contentId: '2' });
    expect(errorOf(failure).message).toBe('disk on fire');
  });

  it('a transaction that fails to commit fails the change set', () => {
    const dataverse = new FakeDataverse();
    const handlers: BatchHandlers = {
      handle: (request) => dataverse.handle(request),
      atomic: () => {
        throw new DataverseError(503, '0x80040216', 'The database is unavailable.');
      },
    };
    const answered = executeBatch([{ kind: 'changeset', requests: [post('accounts', { name: 'A' }, '1')] }], OPTIONS, handlers);
    expect(statuses(answered)).toEqual([{ changeset: [503] }]);
  });
});

describe('stopping at the first error, or continuing with Prefer: odata.continue-on-error', () => {
  it('batch-error-stop: only the failing request is answered, nothing is written, the batch answers 400 BadRequest', () => {
    const dataverse = new FakeDataverse();
    dataverse.rows.set('accounts(00000000-0000-0000-0000-000000000001)', { name: 'Fourth Coffee' });
    const answered = executeBatch(sampleBatch('batch-error-stop.request.http'), OPTIONS, dataverse);
    expect(statuses(answered)).toEqual([400]);
    expect(dataverse.handled).toHaveLength(1);
    expect(dataverse.rowsOf('tasks')).toHaveLength(0);
    expect(errorOf(answered[0]?.kind === 'response' ? answered[0].response : undefined)).toEqual(SUBJECT_TOO_LONG);
    expect(batchStatus(answered, false)).toEqual({ status: 400, reason: 'BadRequest' });
    expect(skeleton(serializeBatchResponse(answered).body)).toEqual(skeleton(sampleResponseBody('batch-error-stop.response.http')));
  });

  it('batch-error-continue-on-error: the failure and both creations are answered, the batch answers 200', () => {
    const dataverse = new FakeDataverse();
    dataverse.rows.set('accounts(00000000-0000-0000-0000-000000000001)', { name: 'Fourth Coffee' });
    const answered = executeBatch(sampleBatch('batch-error-continue-on-error.request.http'), { ...OPTIONS, continueOnError: true }, dataverse);
    expect(statuses(answered)).toEqual([400, 204, 204]);
    expect(dataverse.rowsOf('tasks').map(([, row]) => row.subject)).toEqual(['Task 2 in batch', 'Task 3 in batch']);
    expect(batchStatus(answered, true)).toEqual({ status: 200, reason: 'OK' });
    expect(skeleton(serializeBatchResponse(answered).body)).toEqual(skeleton(sampleResponseBody('batch-error-continue-on-error.response.http')));
  });

  it('a failure in the middle keeps what ran before it and runs nothing after it', () => {
    const dataverse = new FakeDataverse();
    const parts: BatchPart[] = [
      { kind: 'request', request: post('accounts', { name: 'first' }) },
      { kind: 'request', request: post('accounts', { name: 'FAIL' }) },
      { kind: 'request', request: post('accounts', { name: 'never' }) },
    ];
    const answered = executeBatch(parts, OPTIONS, dataverse);
    expect(statuses(answered)).toEqual([204, 400]);
    expect(dataverse.rowsOf('accounts').map(([, row]) => row.name)).toEqual(['first']);
    expect(batchStatus(answered, false)).toEqual({ status: 400, reason: 'BadRequest' });
  });

  it('a failed change set stops the batch too, unless continue-on-error', () => {
    const parts: BatchPart[] = [
      { kind: 'changeset', requests: [post('accounts', { name: 'FAIL' }, '1')] },
      { kind: 'request', request: post('accounts', { name: 'after' }) },
    ];
    const stopped = new FakeDataverse();
    expect(statuses(executeBatch(parts, OPTIONS, stopped))).toEqual([{ changeset: [400] }]);
    expect(stopped.rows.size).toBe(0);
    const continued = new FakeDataverse();
    expect(statuses(executeBatch(parts, { ...OPTIONS, continueOnError: true }, continued))).toEqual([{ changeset: [400] }, 204]);
    expect(continued.rowsOf('accounts')).toHaveLength(1);
  });

  it('the batch answers with the status of the request that stopped it (404 NotFound, 412 PreconditionFailed)', () => {
    const notFound: ResponsePart[] = [{ kind: 'response', response: { status: 204, headers: {} } }, { kind: 'response', response: { status: 404, headers: {} } }];
    expect(batchStatus(notFound, false)).toEqual({ status: 404, reason: 'NotFound' });
    expect(batchStatus([{ kind: 'changeset', responses: [{ status: 412, headers: {} }] }], false)).toEqual({ status: 412, reason: 'PreconditionFailed' });
    expect(batchStatus(notFound, true)).toEqual({ status: 200, reason: 'OK' });
  });
});

describe('Content-ID references', () => {
  it('batch-changeset-ref-uris-in-body: $1 and $2 in @odata.bind become the created rows', () => {
    const dataverse = new FakeDataverse();
    const answered = executeBatch(sampleBatch('batch-changeset-ref-uris-in-body.request.http'), OPTIONS, dataverse);
    expect(statuses(answered)).toEqual([{ changeset: [204, 204, 204] }]);
    const [leadKey] = dataverse.onlyRow('leads');
    const [contactKey] = dataverse.onlyRow('contacts');
    expect(dataverse.rowsOf('accounts')[0]?.[1]).toEqual({
      name: 'IcM Account',
      'originatingleadid@odata.bind': leadKey,
      'primarycontactid@odata.bind': contactKey,
    });
    expect(skeleton(serializeBatchResponse(answered).body)).toEqual(skeleton(sampleResponseBody('batch-changeset-ref-uris-in-body.response.http')));
  });

  it('batch-changeset-ref-uri-in-url: PUT $1/lastname goes to the created contact', () => {
    const dataverse = new FakeDataverse();
    const answered = executeBatch(sampleBatch('batch-changeset-ref-uri-in-url.request.http'), OPTIONS, dataverse);
    const [contactKey, contact] = dataverse.onlyRow('contacts');
    expect(dataverse.handled[1]).toMatchObject({ method: 'PUT', url: `${contactKey}/lastname` });
    expect(contact).toEqual({ firstname: 'First Name', lastname: 'BBBBB' });
    expect(skeleton(serializeBatchResponse(answered).body)).toEqual(skeleton(sampleResponseBody('batch-changeset-ref-uri-in-url.response.http')));
  });

  it('batch-changeset-ref-odata-id: PUT $1/primarycontactid/$ref with {"@odata.id":"$2"}', () => {
    const dataverse = new FakeDataverse();
    const answered = executeBatch(sampleBatch('batch-changeset-ref-odata-id.request.http'), OPTIONS, dataverse);
    const [accountKey, account] = dataverse.onlyRow('accounts');
    const [contactKey] = dataverse.onlyRow('contacts');
    expect(dataverse.handled[2]).toMatchObject({ url: `${accountKey}/primarycontactid/$ref`, body: JSON.stringify({ '@odata.id': contactKey }) });
    expect(account?.['primarycontactid@odata.bind']).toBe(contactKey);
    expect(skeleton(serializeBatchResponse(answered).body)).toEqual(skeleton(sampleResponseBody('batch-changeset-ref-odata-id.response.http')));
  });

  it('batch-changeset-ref-navprop-patch: PATCH $1 with primarycontactid@odata.bind "$2"', () => {
    const dataverse = new FakeDataverse();
    const answered = executeBatch(sampleBatch('batch-changeset-ref-navprop-patch.request.http'), OPTIONS, dataverse);
    const [accountKey, account] = dataverse.onlyRow('accounts');
    const [contactKey] = dataverse.onlyRow('contacts');
    expect(dataverse.handled[2]).toMatchObject({ method: 'PATCH', url: accountKey });
    expect(account).toEqual({ name: 'Account name', 'primarycontactid@odata.bind': contactKey });
    expect(skeleton(serializeBatchResponse(answered).body)).toEqual(skeleton(sampleResponseBody('batch-changeset-ref-navprop-patch.response.http')));
  });

  it('batch-content-id-undeclared: referencing $1 before it is declared gives the sample\'s 400 and writes nothing', () => {
    const dataverse = new FakeDataverse();
    const answered = executeBatch(sampleBatch('batch-content-id-undeclared.request-body.http'), OPTIONS, dataverse);
    expect(dataverse.handled).toHaveLength(0);
    expect(dataverse.rows.size).toBe(0);
    const failure = answered[0]?.kind === 'changeset' ? answered[0].responses : [];
    expect(failure).toHaveLength(1);
    expect(failure[0]).toMatchObject({ status: 400, contentId: '2' });
    // batch-content-id-undeclared.response.http: "Content-ID Reference: '$1' does not exist in the batch context."
    const printed = readFileSync(join(SAMPLES, 'batch-content-id-undeclared.response.http'), 'utf8').split(/\r?\n/)[1];
    expect(errorOf(failure[0]).message).toBe(printed);
    expect(batchStatus(answered, false)).toEqual({ status: 400, reason: 'BadRequest' });
  });

  it('Content-IDs are visible only inside their own change set', () => {
    const dataverse = new FakeDataverse();
    const answered = executeBatch(
      [
        { kind: 'changeset', requests: [post('contacts', { firstname: 'A' }, '1')] },
        { kind: 'changeset', requests: [post('accounts', { name: 'B', 'primarycontactid@odata.bind': '$1' }, '2')] },
        { kind: 'request', request: { method: 'PATCH', url: '$1', headers: {}, body: '{"firstname":"C"}' } },
      ],
      { ...OPTIONS, continueOnError: true },
      dataverse,
    );
    expect(statuses(answered)).toEqual([{ changeset: [204] }, { changeset: [400] }, 400]);
    const last = answered[2]?.kind === 'response' ? answered[2].response : undefined;
    expect(errorOf(last).message).toBe("Content-ID Reference: '$1' does not exist in the batch context.");
    expect(dataverse.rowsOf('accounts')).toHaveLength(0);
  });

  it('resolves references in collection binds and nested objects, and leaves OData\'s own $ segments alone', () => {
    const dataverse = new FakeDataverse();
    const seen: InnerRequest[] = [];
    const handlers: BatchHandlers = {
      handle: (request) => {
        seen.push(request);
        return request.method === 'POST' ? dataverse.handle(request) : { status: 204, headers: {} };
      },
      atomic: (fn) => dataverse.atomic(fn),
    };
    executeBatch(
      [
        {
          kind: 'changeset',
          requests: [
            post('contacts', { firstname: 'A' }, '1'),
            {
              method: 'PATCH',
              url: '$1?$select=firstname',
              headers: {},
              body: JSON.stringify({ 'x@odata.bind': ['$1'], nested: { 'y@odata.bind': '$1', note: '$1' }, list: [{ '@odata.id': '$1' }] }),
              contentId: '2',
            },
          ],
        },
        { kind: 'request', request: { method: 'GET', url: `${SERVICE_ROOT}$metadata`, headers: {}, body: '' } },
      ],
      OPTIONS,
      handlers,
    );
    const contact = dataverse.rowsOf('contacts')[0]?.[0];
    expect(seen[1]?.url).toBe(`${contact}?$select=firstname`);
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual({ 'x@odata.bind': [contact], nested: { 'y@odata.bind': contact, note: '$1' }, list: [{ '@odata.id': contact }] });
    expect(seen[2]?.url).toBe('$metadata');
  });
});

describe('URLs reach the handler relative to the service root', () => {
  it.each([
    [`${SERVICE_ROOT}accounts?$select=name`, 'accounts?$select=name'],
    ['https://contoso.crm.dynamics.com/api/data/v9.2/accounts(1)', 'accounts(1)'],
    ['/api/data/v9.2/accounts?$filter=name eq \'A\'', "accounts?$filter=name eq 'A'"],
    ['/api/data/v9.1/accounts', 'accounts'],
    ['accounts', 'accounts'],
    ['$1/lastname', '$1/lastname'],
  ])('%s → %s', (url, relative) => {
    expect(toServiceRelativeUrl(url, SERVICE_ROOT)).toBe(relative);
  });

  it('the sample requests arrive as entity set paths', () => {
    const dataverse = new FakeDataverse();
    dataverse.rows.set('accounts(00000000-0000-0000-0000-000000000001)', { name: 'Fourth Coffee' });
    const answered = executeBatch(sampleBatch('batch-no-changeset.request.http'), OPTIONS, dataverse);
    expect(dataverse.handled.map((r) => r.url)).toEqual([
      'tasks',
      'tasks',
      'tasks',
      'accounts(00000000-0000-0000-0000-000000000001)/Account_Tasks?$select=subject',
    ]);
    // The fake has no Account_Tasks navigation: the GET fails, after the three creations were kept.
    expect(statuses(answered)).toEqual([204, 204, 204, 404]);
    expect(dataverse.rowsOf('tasks')).toHaveLength(3);
  });
});

describe('headers a part carries that a plain response doesn\'t', () => {
  const answering = (response: InnerResponse): BatchHandlers => ({ handle: () => response, atomic: (fn) => fn() });
  const patch: InnerRequest = { method: 'PATCH', url: 'accounts(1)', headers: {}, body: '{}', contentId: '1' };

  it('adds Location before OData-EntityId, as every printed batch response has both (PATCH $1 included)', () => {
    const entityId = `${SERVICE_ROOT}accounts(1)`;
    const [part] = executeBatch([{ kind: 'changeset', requests: [patch] }], OPTIONS, answering({ status: 204, headers: { 'OData-Version': '4.0', 'OData-EntityId': entityId } }));
    const response = part?.kind === 'changeset' ? part.responses[0] : undefined;
    expect(Object.entries(response?.headers ?? {})).toEqual([
      ['OData-Version', '4.0'],
      ['Location', entityId],
      ['OData-EntityId', entityId],
    ]);
  });

  it('adds a REQ_ID to a failed part that has none, and keeps one that has', () => {
    const error = { status: 400, headers: { 'Content-Type': 'application/json; odata.metadata=minimal' }, body: '{"error":{"code":"0x0","message":"no"}}' };
    const [added] = executeBatch([{ kind: 'request', request: patch }], OPTIONS, answering(error));
    expect(added?.kind === 'response' && added.response.headers['REQ_ID']).toMatch(/^[0-9a-f-]{36}$/);
    const [kept] = executeBatch([{ kind: 'request', request: patch }], OPTIONS, answering({ ...error, headers: { ...error.headers, REQ_ID: 'r' } }));
    expect(kept?.kind === 'response' && kept.response.headers).toEqual({ ...error.headers, REQ_ID: 'r' });
  });
});

describe('batches Dataverse refuses run nothing', () => {
  const create = (n: number) =>
    `--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nPOST /api/data/v9.2/accounts HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{"name":"A${n}"}\r\n`;

  it('a GET inside a change set', () => {
    const body =
      '--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n' +
      '--c\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\nPOST /api/data/v9.2/accounts HTTP/1.1\r\n\r\n{"name":"A"}\r\n' +
      '--c\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 2\r\n\r\nGET /api/data/v9.2/accounts HTTP/1.1\r\n\r\n\r\n' +
      '--c--\r\n--b--\r\n';
    const dataverse = new FakeDataverse();
    expect(() => executeBatch(parseBatch(body, 'multipart/mixed; boundary=b'), OPTIONS, dataverse)).toThrow(/'GET' isn't allowed in a change set/);
    expect(dataverse.handled).toHaveLength(0);
  });

  it('1001 requests', () => {
    const body = `${Array.from({ length: 1001 }, (_, i) => create(i)).join('')}--b--\r\n`;
    const dataverse = new FakeDataverse();
    let thrown: unknown;
    try {
      executeBatch(parseBatch(body, 'multipart/mixed; boundary=b'), OPTIONS, dataverse);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DataverseError);
    expect(thrown).toMatchObject({ status: 400, message: expect.stringMatching(/maximum number of '1000'/) });
    expect(dataverse.handled).toHaveLength(0);
  });
});
