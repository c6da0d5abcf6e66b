/**
 * `Xrm.WebApi` over the Dataverse Web API: the record methods (createRecord, retrieveRecord,
 * retrieveMultipleRecords, updateRecord, deleteRecord) and `online.execute` / `online.executeMultiple`, which send
 * request objects (getMetadata) as one request or as one `$batch` with change sets (executemultiple.md: "an array of
 * request objects, or change sets — arrays of request objects"). Every method call is exactly one HTTP request.
 */
/// <reference types="xrm" />
import { parseBatchResponse, serializeBatch, type BatchItem } from './batch';
import { clientError, errorFromResponse } from './errors';
import { parseCsdl, type EntityMetadataIndex } from './metadata';
import { OperationBuilder, type ExecuteRequestObject, type HttpOperation } from './operations';
import { Transport, type TransportOptions } from './transport';
import { withCallbacks, xrmPromise } from './xrmPromise';

export interface WebApiOptions extends TransportOptions {
  /** Table names → entity sets; read from `$metadata` when not given (one request). */
  readonly metadata?: EntityMetadataIndex;
}

export interface SandboxWebApi extends Xrm.WebApi {
  readonly metadata: EntityMetadataIndex;
  readonly transport: Transport;
}

/** Reads the service's CSDL: GET $metadata. */
export async function loadMetadata(transport: Transport): Promise<EntityMetadataIndex> {
  const result = await transport.send({ method: 'GET', path: '$metadata', headers: { Accept: 'application/xml' } });
  return parseCsdl(result.text);
}

const GUID_IN_ENTITY_ID = /\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)\s*$/i;
const bareId = (id: string): string => id.replace(/[{}]/g, '').toLowerCase();
const query = (options: string | undefined): string => (!options ? '' : options.startsWith('?') ? options : `?${options}`);

/** `?fetchXml=<fetch …>`: the XML is URL-encoded as the Web API requires; other options go as they are. */
function retrieveMultipleQuery(options: string | undefined): string {
  const q = query(options);
  const m = /^\?fetchXml=(.*)$/is.exec(q);
  return m && /^\s*</.test(m[1] as string) ? `?fetchXml=${encodeURIComponent(m[1] as string)}` : q;
}

function toResponse(status: number, statusText: string, headers: Headers | Readonly<Record<string, string>>, body: string): Response {
  // 204 and 304 answers carry no body (a Response with one throws).
  const empty = status === 204 || status === 304 || body === '';
  return new Response(empty ? null : body, { status, statusText, headers: headers instanceof Headers ? headers : new Headers(headers as Record<string, string>) });
}

export async function createWebApi(options: WebApiOptions): Promise<SandboxWebApi> {
  const transport = new Transport(options);
  const metadata = options.metadata ?? (await loadMetadata(transport));
  const ops = new OperationBuilder(metadata);
  const set = (entity: string): string => ops.entitySet(entity);

  const run = <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return work();
    } catch (e) {
      return Promise.reject(e);
    }
  };

  const records = {
    createRecord(entityLogicalName: string, record: unknown, success?: (r: Xrm.CreateResponse) => void, failure?: (e: unknown) => void) {
      return withCallbacks(
        run(async () => {
          const result = await transport.send({ method: 'POST', path: set(entityLogicalName), headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(record ?? {}) });
          const id = GUID_IN_ENTITY_ID.exec(result.headers.get('odata-entityid') ?? '')?.[1];
          return { entityType: entityLogicalName, id: id ? id.toLowerCase() : '' };
        }),
        success,
        failure,
      );
    },
    retrieveRecord(entityLogicalName: string, id: string, options?: string, success?: (r: unknown) => void, failure?: (e: unknown) => void) {
      return withCallbacks(
        run(async () => JSON.parse((await transport.send({ method: 'GET', path: `${set(entityLogicalName)}(${bareId(id)})${query(options)}`, headers: {} })).text) as unknown),
        success,
        failure,
      );
    },
    retrieveMultipleRecords(entityLogicalName: string, options?: string, maxPageSize?: number, success?: (r: Xrm.RetrieveMultipleResult) => void, failure?: (e: unknown) => void) {
      return withCallbacks(
        run(async () => {
          // A nextLink handed back as the options continues that query (retrievemultiplerecords.md).
          const path = options && /^https?:/i.test(options) ? options : `${set(entityLogicalName)}${retrieveMultipleQuery(options)}`;
          const headers: Record<string, string> = maxPageSize ? { Prefer: `odata.maxpagesize=${maxPageSize}` } : {};
          const body = JSON.parse((await transport.send({ method: 'GET', path, headers })).text) as { value?: unknown[]; '@odata.nextLink'?: string };
          const result: Xrm.RetrieveMultipleResult = { entities: body.value ?? [], nextLink: body['@odata.nextLink'] as string };
          if (!body['@odata.nextLink']) delete (result as { nextLink?: string }).nextLink;
          return result;
        }),
        success,
        failure,
      );
    },
    updateRecord(entityLogicalName: string, id: string, data: unknown, success?: (r: Xrm.UpdateResponse) => void, failure?: (e: unknown) => void) {
      return withCallbacks(
        run(async () => {
          await transport.send({ method: 'PATCH', path: `${set(entityLogicalName)}(${bareId(id)})`, headers: { 'Content-Type': 'application/json; charset=utf-8', 'If-Match': '*' }, body: JSON.stringify(data ?? {}) });
          return { entityType: entityLogicalName, id: bareId(id) };
        }),
        success,
        failure,
      );
    },
    deleteRecord(entityLogicalName: string, id: string, success?: (r: unknown) => void, failure?: (e: unknown) => void) {
      return withCallbacks(
        run(async () => {
          await transport.send({ method: 'DELETE', path: `${set(entityLogicalName)}(${bareId(id)})`, headers: {} });
          return { entityType: entityLogicalName, id: bareId(id) };
        }),
        success,
        failure,
      );
    },
    isAvailableOffline: () => false,
  };

  const operationsOf = (request: unknown): HttpOperation[] => ops.build(request as ExecuteRequestObject);

  const online = {
    ...records,
    execute(request: unknown) {
      return xrmPromise(
        run(async () => {
          const list = operationsOf(request);
          if (list.length === 0) throw clientError('The request sends nothing (no related records to associate?).');
          let last: Response | undefined;
          for (const op of list) {
            const r = await transport.send(op);
            last = toResponse(r.status, r.statusText, r.headers, r.text);
          }
          return last as Response;
        }),
      );
    },
    executeMultiple(requests: unknown[]) {
      return xrmPromise(
        run(async () => {
          if (!Array.isArray(requests) || requests.length === 0) throw clientError('executeMultiple needs a non-empty array of requests or change sets.');
          // A change set (an inner array) stays one item; a lone request is one part per HTTP request it stands for.
          const items: BatchItem[] = requests.flatMap((item): BatchItem[] => (Array.isArray(item) ? [item.flatMap(operationsOf)] : operationsOf(item)));
          const { contentType, body } = serializeBatch(items, transport.servicePath);
          const result = await transport.send({ method: 'POST', path: '$batch', headers: { 'Content-Type': contentType }, body }, true);
          const parts = parseBatchResponse(result.headers.get('content-type') ?? '', result.text);
          const failed = parts.find((p) => p.status >= 400);
          if (failed) throw errorFromResponse(failed.status, failed.statusText, { get: (n) => failed.headers[n.toLowerCase()] ?? null }, failed.body);
          return parts.map((p) => toResponse(p.status, p.statusText, p.headers, p.body));
        }),
      );
    },
  };

  const offline = {
    ...records,
    retrieveMultipleRecords: () => xrmPromise(Promise.reject(clientError('Offline mode is not available in the sandbox.'))),
  };

  return { ...records, online, offline, metadata, transport } as unknown as SandboxWebApi;
}
