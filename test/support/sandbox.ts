/**
 * Test support: a real local Dataverse on 127.0.0.1 (in-process server, real SQLite), a small HTTP client, and
 * readers for the published Microsoft samples in ../shared/reference/microsoft-docs-samples.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startDataverse, type RunningDataverse, type StartOptions } from '@pfb/sandbox';

export const SAMPLES_DIR = path.resolve(__dirname, '../../../shared/reference/microsoft-docs-samples');

export async function startTestDataverse(options: StartOptions = {}): Promise<RunningDataverse> {
  return startDataverse({ seed: 'empty', limits: null, scheduleApplyDelayMs: 10, webhookTimeoutMs: 2000, ...options });
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface Client {
  request(method: string, path: string, options?: { headers?: Record<string, string>; body?: unknown }): Promise<HttpResult>;
  get(path: string, headers?: Record<string, string>): Promise<HttpResult>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  delete(path: string, headers?: Record<string, string>): Promise<HttpResult>;
}

/** A client for the Web API at `serviceRoot`; `path` is relative to it (e.g. `accounts?$select=name`). */
export function client(serviceRoot: string, token: string | null = 'local-test-token'): Client {
  const request: Client['request'] = async (method, p, options = {}) => {
    const headers: Record<string, string> = { Accept: 'application/json', 'OData-Version': '4.0', 'OData-MaxVersion': '4.0', ...options.headers };
    if (token) headers['Authorization'] = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(`${serviceRoot}/${p}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
  };
  return {
    request,
    get: (p, headers) => request('GET', p, { headers }),
    post: (p, body, headers) => request('POST', p, { body, headers }),
    patch: (p, body, headers) => request('PATCH', p, { body, headers }),
    delete: (p, headers) => request('DELETE', p, { headers }),
  };
}

export interface HttpSample {
  method: string;
  /** Path and query after `/api/data/v9.2/`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Reads a `.request.http` sample: request line, headers, blank line, body (LF or CRLF). */
export function readRequestSample(name: string): HttpSample {
  const raw = fs.readFileSync(path.join(SAMPLES_DIR, name), 'utf8').replace(/\r\n/g, '\n');
  const blank = raw.indexOf('\n\n');
  const head = blank < 0 ? raw : raw.slice(0, blank);
  const body = blank < 0 ? '' : raw.slice(blank + 2);
  const [requestLine = '', ...headerLines] = head.split('\n');
  // The URL may hold Microsoft's `[Organization Uri]` placeholder (with a space): it runs up to ` HTTP/1.1`.
  const m = /^(\w+)\s+(.+?)(?:\s+HTTP\/1\.1)?\s*$/.exec(requestLine);
  if (!m) throw new Error(`${name}: no request line`);
  const url = m[2] as string;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return { method: m[1] as string, path: url.replace(/^.*\/api\/data\/v9\.2\//, ''), headers, body };
}

/** Reads a `.response.http` sample: status, headers and the parsed JSON body when there is one. */
export function readResponseSample(name: string): { status: number; headers: Record<string, string>; body: string } {
  const raw = fs.readFileSync(path.join(SAMPLES_DIR, name), 'utf8').replace(/\r\n/g, '\n');
  const lines = raw.split('\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1]);
  const headers: Record<string, string> = {};
  let i = 1;
  for (; i < lines.length && (lines[i] ?? '').trim() !== ''; i += 1) {
    const line = lines[i] as string;
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim()] = line.slice(c + 1).trim();
  }
  return { status, headers, body: lines.slice(i + 1).join('\n') };
}

/** Every key path and value type of a JSON value, for comparing shapes rather than values. */
export function shapeOf(value: unknown, prefix = '$'): string[] {
  if (Array.isArray(value)) return [`${prefix}:array`, ...(value.length ? shapeOf(value[0], `${prefix}[]`) : [])];
  if (value !== null && typeof value === 'object') {
    return [`${prefix}:object`, ...Object.entries(value).flatMap(([k, v]) => shapeOf(v, `${prefix}.${k}`))];
  }
  return [`${prefix}:${value === null ? 'null' : typeof value}`];
}

/**
 * One local Dataverse for a test file: started before its tests, closed after. Read `dv` and `api` inside tests
 * (they are set by the time a test runs).
 */
export function useTestDataverse(options: StartOptions = {}): { readonly dv: RunningDataverse; readonly api: Client } {
  let dv: RunningDataverse | undefined;
  let api: Client | undefined;
  beforeAll(async () => {
    dv = await startTestDataverse(options);
    api = client(dv.url);
  });
  afterAll(() => dv?.close());
  return {
    get dv(): RunningDataverse {
      if (!dv) throw new Error('useTestDataverse: the server starts in beforeAll; read dv inside a test');
      return dv;
    },
    get api(): Client {
      if (!api) throw new Error('useTestDataverse: the server starts in beforeAll; read api inside a test');
      return api;
    },
  };
}
