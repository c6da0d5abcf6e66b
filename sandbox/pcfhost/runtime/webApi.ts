/// <reference lib="dom" />
/// <reference types="powerapps-component-framework" />
/**
 * `context.webAPI` over the page's origin, as model-driven apps provide it: the Web API of the organisation, reached
 * relatively (the origin server forwards /api/ to the local Dataverse), entity types by logical name, formatted values
 * and lookup annotations included (Prefer: odata.include-annotations="*"), `maxPageSize` as `odata.maxpagesize`, and
 * `nextLink` handed back for the next call. Errors reject with the service's message and code.
 */
import { entitySetOf } from './schemaInfo';

export interface RequestLog {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly ms: number;
}

export class WebApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: string,
  ) {
    super(message);
    this.name = 'WebApiError';
  }
}

export interface HostHttp {
  readonly apiRoot: string;
  readonly log: RequestLog[];
  request(method: string, pathAndQuery: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<Response>;
}

export function createHttp(apiRoot: string, onRequest?: (entry: RequestLog) => void): HostHttp {
  const log: RequestLog[] = [];
  const root = apiRoot.replace(/\/$/, '');
  return {
    apiRoot: root,
    log,
    async request(method, pathAndQuery, init = {}) {
      const started = performance.now();
      // Absolute links (Dataverse's nextLink) and site-absolute paths are used as they are; the rest is relative to the root.
      const url = /^https?:/.test(pathAndQuery) ? sameOrigin(pathAndQuery) : pathAndQuery.startsWith('/') ? pathAndQuery : `${root}/${pathAndQuery}`;
      const headers: Record<string, string> = { Accept: 'application/json', 'OData-Version': '4.0', 'OData-MaxVersion': '4.0', ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers['Content-Type'] = 'application/json; charset=utf-8';
      }
      const res = await fetch(url, { method, headers, body, credentials: 'same-origin' });
      const entry = { method, url, status: res.status, ms: performance.now() - started };
      log.push(entry);
      onRequest?.(entry);
      return res;
    },
  };
}

/** Dataverse answers with absolute links on its own host; the browser reaches it through the page's origin. */
export function sameOrigin(url: string): string {
  const u = new URL(url, window.location.href);
  return `${u.pathname}${u.search}`;
}

export async function failure(res: Response): Promise<WebApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return new WebApiError(body.error?.message ?? `HTTP ${res.status}`, res.status, body.error?.code ?? '');
  } catch {
    return new WebApiError(text || `HTTP ${res.status}`, res.status, '');
  }
}

const ANNOTATIONS = 'odata.include-annotations="*"';

function withQuery(options: string | undefined): string {
  if (!options) return '';
  return options.startsWith('?') ? options : `?${options}`;
}

export function createWebApi(http: HostHttp): ComponentFramework.WebApi {
  const idFromEntityId = (res: Response): string => {
    const header = res.headers.get('OData-EntityId') ?? '';
    return /\(([0-9a-fA-F-]{36})\)\s*$/.exec(header)?.[1] ?? '';
  };
  return {
    async createRecord(entityType, data) {
      const res = await http.request('POST', entitySetOf(entityType), { body: data });
      if (!res.ok) throw await failure(res);
      return { id: idFromEntityId(res), name: '', entityType } as ComponentFramework.LookupValue;
    },
    async updateRecord(entityType, id, data) {
      // Xrm.WebApi.updateRecord updates an existing row only: If-Match: * turns the PATCH's upsert into an update.
      const res = await http.request('PATCH', `${entitySetOf(entityType)}(${bare(id)})`, { body: data, headers: { 'If-Match': '*' } });
      if (!res.ok) throw await failure(res);
      return { id: bare(id), name: '', entityType } as ComponentFramework.LookupValue;
    },
    async deleteRecord(entityType, id) {
      const res = await http.request('DELETE', `${entitySetOf(entityType)}(${bare(id)})`);
      if (!res.ok) throw await failure(res);
      return { id: bare(id), name: '', entityType } as ComponentFramework.LookupValue;
    },
    async retrieveRecord(entityType, id, options) {
      const res = await http.request('GET', `${entitySetOf(entityType)}(${bare(id)})${withQuery(options)}`, { headers: { Prefer: ANNOTATIONS } });
      if (!res.ok) throw await failure(res);
      return (await res.json()) as ComponentFramework.WebApi.Entity;
    },
    async retrieveMultipleRecords(entityType, options, maxPageSize) {
      const prefer = maxPageSize ? `odata.maxpagesize=${maxPageSize},${ANNOTATIONS}` : ANNOTATIONS;
      const res = await http.request('GET', `${entitySetOf(entityType)}${withQuery(options)}`, { headers: { Prefer: prefer } });
      if (!res.ok) throw await failure(res);
      const body = (await res.json()) as { value: ComponentFramework.WebApi.Entity[]; '@odata.nextLink'?: string };
      return { entities: body.value, nextLink: body['@odata.nextLink'] ?? (undefined as unknown as string) };
    },
  };
}

export function bare(id: string): string {
  return id.replace(/[{}]/g, '').toLowerCase();
}
