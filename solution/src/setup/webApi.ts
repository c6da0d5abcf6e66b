/**
 * The little of the Dataverse Web API the setup command needs: JSON GET, POST and PATCH with the bearer token, and
 * failures that keep Dataverse's status, code and message. The token is sent in a header and never appears in an
 * error or a log line.
 */

export class WebApiError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly dataverseMessage: string,
  ) {
    super(`${operation} failed${status ? ` with HTTP ${status}` : ''}${code ? ` (${code})` : ''}: ${dataverseMessage}`);
    this.name = 'WebApiError';
  }

  /** Dataverse's answer for a table (entity set) or column the organization does not have. */
  get notFoundSegment(): boolean {
    return this.status === 404 && /Resource not found for the segment/i.test(this.dataverseMessage);
  }

  get unknownProperty(): boolean {
    return this.status === 400 && /Could not find a property named/i.test(this.dataverseMessage);
  }
}

export type Row = Record<string, unknown>;

export interface WebApi {
  /** The service root, e.g. https://contoso.crm.dynamics.com/api/data/v9.2 */
  readonly serviceRoot: string;
  get(path: string, operation: string): Promise<Row>;
  post(path: string, body: Row, operation: string): Promise<void>;
  patch(path: string, body: Row, operation: string, headers?: Record<string, string>): Promise<void>;
}

/** The Web API service root for an organization URL (`https://org.crm.dynamics.com`) or a service root already. */
export function serviceRootOf(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`--url must be an http(s) URL, not ${u.protocol}`);
  const trimmed = `${u.origin}${u.pathname}`.replace(/\/+$/, '');
  return /\/api\/data\/v9\.\d$/i.test(trimmed) ? trimmed : `${u.origin}/api/data/v9.2`;
}

export function createWebApi(url: string, token: string, fetchImpl: typeof fetch = fetch): WebApi {
  const serviceRoot = serviceRootOf(url);
  const request = async (method: string, path: string, operation: string, body?: Row, extra: Record<string, string> = {}): Promise<Response> => {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'OData-Version': '4.0',
      'OData-MaxVersion': '4.0',
      'If-None-Match': 'null',
      Authorization: `Bearer ${token}`,
      ...extra,
    };
    if (body) headers['Content-Type'] = 'application/json; charset=utf-8';
    let res: Response;
    try {
      res = await fetchImpl(`${serviceRoot}/${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new WebApiError(operation, undefined, cause?.code, `cannot reach ${serviceRoot} (${cause?.message ?? (e as Error).message})`);
    }
    if (res.ok) return res;
    const text = await res.text();
    let code: string | undefined;
    let message = text.slice(0, 500) || res.statusText;
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
      code = parsed.error?.code || undefined;
      message = parsed.error?.message ?? message;
    } catch {
      // Not Dataverse's JSON error body (a proxy or a sign-in page): keep the start of the text.
    }
    throw new WebApiError(operation, res.status, code, message);
  };
  return {
    serviceRoot,
    async get(path, operation) {
      return (await (await request('GET', path, operation)).json()) as Row;
    },
    async post(path, body, operation) {
      await request('POST', path, operation, body);
    },
    async patch(path, body, operation, headers = {}) {
      await request('PATCH', path, operation, body, headers);
    },
  };
}

/** An OData string literal (single quotes doubled). */
export const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;
