/**
 * HTTP to the Web API. In a model-driven app the browser calls its own origin and the session cookie authenticates;
 * here the page calls its origin too (the sandbox origin server adds the session's token), and Node callers (tests,
 * benchmarks) pass the service root and an Authorization header. Headers as the Web API docs use them:
 * OData-MaxVersion/OData-Version 4.0, Accept JSON, `If-None-Match: null` on reads (so no browser cache answers for
 * Dataverse, compose-http-requests-handle-errors "HTTP headers"), all annotations on reads (Xrm.WebApi returns
 * formatted values and lookup annotations).
 */
import { errorFromResponse, networkError } from './errors';
import type { HttpOperation } from './operations';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<Response>;

export interface TransportOptions {
  /** e.g. http://127.0.0.1:5555/api/data/v9.2 (no trailing slash). */
  readonly serviceRoot: string;
  readonly fetch?: FetchLike;
  /** Sent with every request (e.g. Authorization outside a browser session). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpResult {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly text: string;
}

export class Transport {
  readonly serviceRoot: string;
  /** The service root's path, for the URLs inside a $batch: /api/data/v9.2 */
  readonly servicePath: string;
  private readonly fetchFn: FetchLike;

  constructor(private readonly options: TransportOptions) {
    this.serviceRoot = options.serviceRoot.replace(/\/+$/, '');
    this.servicePath = new URL(this.serviceRoot).pathname.replace(/\/+$/, '');
    const f = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
    if (!f) throw new Error('No fetch: pass one in the options.');
    this.fetchFn = f;
  }

  headersFor(method: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      ...(method === 'GET' ? { 'If-None-Match': 'null', Prefer: 'odata.include-annotations="*"' } : {}),
      ...this.options.headers,
    };
    for (const [k, v] of Object.entries(extra)) {
      // Prefer values combine (include-annotations and maxpagesize).
      if (k.toLowerCase() === 'prefer' && headers['Prefer']) headers['Prefer'] = `${headers['Prefer']},${v}`;
      else headers[k] = v;
    }
    return headers;
  }

  /**
   * Sends one request; rejects with the client API's error object on a non-2xx answer or a network failure. A failed
   * `$batch` answers 4xx with the failing request inside a multipart body (batch-error-stop sample): with
   * `multipartErrors` that body is returned for the caller to read the failing part.
   */
  async send(op: HttpOperation, multipartErrors = false): Promise<HttpResult> {
    const url = /^https?:/i.test(op.path) ? op.path : `${this.serviceRoot}/${op.path}`;
    let response: Response;
    try {
      response = await this.fetchFn(url, { method: op.method, headers: this.headersFor(op.method, op.headers), ...(op.body !== undefined ? { body: op.body } : {}) });
    } catch (e) {
      throw networkError(e);
    }
    const text = await response.text();
    if (!response.ok && !(multipartErrors && /^multipart\/mixed/i.test(response.headers.get('content-type') ?? ''))) throw errorFromResponse(response.status, response.statusText, response.headers, text);
    return { status: response.status, statusText: response.statusText, headers: response.headers, text };
  }
}
