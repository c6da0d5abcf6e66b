/**
 * The HTTP transport of the local Dataverse: Web API v9.2 on http://127.0.0.1:<port>/api/data/v9.2/. Adds what
 * sits in front of the handlers in the real service: bearer authentication, service protection limits,
 * `$metadata` and `$batch`. Listens on loopback only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { bearerToken, resolveCaller } from './auth';
import type { LocalDataverse } from './dataverse';
import { InjectedFaults } from './limits/injectedFaults';
import { ServiceProtection, type LimitSettings } from './limits/serviceProtection';
import { DataverseError, errors } from './protocol/errors';
import { parseBatch, serializeBatchResponse } from './protocol/batch';
import { batchStatus, executeBatch } from './protocol/batchExecutor';
import { buildCsdl } from './protocol/metadata';
import { parsePrefer } from './web/prefer';
import { serveWebResource, webResourceNameOf } from './web/webResources';
import { errorResponse } from './web/response';
import type { ApiResponse } from './web/types';

export const API_PATH = '/api/data/v9.2/';
/** Dataverse accepts request bodies well beyond this; 128 MB keeps a runaway client from exhausting memory. */
const MAX_BODY_BYTES = 128 * 1024 * 1024;

export interface ServerOptions {
  readonly port?: number;
  /** Loopback only: the sandbox never listens beyond this machine. */
  readonly host?: '127.0.0.1';
  readonly limits: LimitSettings | null;
  /** The systemuser a token without recognisable claims acts as. */
  readonly defaultUserId: string;
}

export interface RequestStats {
  /** Requests as Dataverse counts them for the service protection limit ($batch = 1). */
  total: number;
  byUser: Map<string, number>;
  /** Requests answered 429. */
  throttled: number;
}

export class DataverseServer {
  readonly http: http.Server;
  readonly protection: ServiceProtection;
  /** Faults a test injects (throttle storms, 5xx bursts) and the Retry-After violations they reveal. */
  readonly faults = new InjectedFaults();
  readonly stats: RequestStats = { total: 0, byUser: new Map(), throttled: 0 };
  private metadata?: { readonly version: number; readonly text: string };

  constructor(
    readonly dataverse: LocalDataverse,
    private readonly options: ServerOptions,
  ) {
    this.protection = new ServiceProtection(options.limits);
    this.http = http.createServer((req, res) => void this.serve(req, res));
    this.http.keepAliveTimeout = 5000;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return this.url;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The service root, e.g. http://127.0.0.1:5555/api/data/v9.2 */
  get url(): string {
    return `http://127.0.0.1:${this.port}${API_PATH.slice(0, -1)}`;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  resetStats(): void {
    this.stats.total = 0;
    this.stats.byUser.clear();
    this.stats.throttled = 0;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let response: ApiResponse;
    let admission: { done(ms: number): void } | undefined;
    const started = performance.now();
    const webResource = webResourceNameOf(req.url ?? '/');
    if (webResource !== undefined) {
      const served = serveWebResource(this.dataverse.store, this.dataverse.schema, webResource, req.method ?? 'GET');
      res.writeHead(served.status, { REQ_ID: requestId, ...served.headers });
      res.end(served.body);
      return;
    }
    try {
      const url = req.url ?? '/';
      const prefix = /^\/api\/data\/v9\.[0-2]\//i.exec(url);
      if (!prefix) throw new DataverseError(404, '', `The path ${url.split('?')[0]} is not a Dataverse Web API endpoint. Use ${API_PATH}.`);
      const token = bearerToken(req.headers.authorization);
      const caller = resolveCaller(this.dataverse.store, token, this.options.defaultUserId);
      const injected = this.faults.inject(caller.userId, `${req.method ?? 'GET'} ${url.split('?')[0] ?? url}`);
      if (injected.refuse) throw injected.refuse;
      try {
        admission = this.protection.admit(caller.userId);
      } catch (e) {
        this.stats.throttled += 1;
        throw e;
      }
      this.stats.total += 1;
      this.stats.byUser.set(caller.userId, (this.stats.byUser.get(caller.userId) ?? 0) + 1);

      const body = await readBody(req);
      const relative = url.slice(prefix[0].length);
      const serviceRoot = `http://${req.headers.host ?? `127.0.0.1:${this.port}`}${prefix[0]}`;
      const headers = lowerCaseHeaders(req.headers);
      const correlationId = headers['x-ms-correlation-request-id'] ?? randomUUID();

      if (relative.split('?')[0] === '$metadata') {
        // Rebuilt when an import changed the metadata.
        if (this.metadata?.version !== this.dataverse.schema.version) this.metadata = { version: this.dataverse.schema.version, text: buildCsdl(this.dataverse.schema) };
        response = { status: 200, headers: { 'Content-Type': 'application/xml', 'OData-Version': '4.0' }, body: this.metadata.text };
      } else if (relative.split('?')[0] === '$batch') {
        if (req.method !== 'POST') throw errors.methodNotAllowed(req.method ?? '', '$batch');
        const parts = parseBatch(body, headers['content-type'] ?? '');
        const prefs = parsePrefer(headers['prefer']);
        const results = executeBatch(
          parts,
          { continueOnError: prefs.continueOnError, serviceRoot },
          {
            handle: (inner) => this.dataverse.handle({ ...inner, headers: { ...inner.headers } }, caller, serviceRoot, correlationId),
            atomic: (fn) => this.dataverse.atomic(fn),
          },
        );
        const out = serializeBatchResponse(results);
        const status = batchStatus(results, prefs.continueOnError);
        response = { status: status.status, headers: { 'Content-Type': out.contentType, 'OData-Version': '4.0' }, body: out.body, reason: status.reason };
      } else {
        response = this.dataverse.handle({ method: req.method ?? 'GET', url: relative, headers, body }, caller, serviceRoot, correlationId);
      }
      if (injected.failAfter) response = errorResponse(injected.failAfter);
      response.headers = { ...response.headers, ...this.protection.remaining(caller.userId) };
    } catch (e) {
      admission?.done(performance.now() - started);
      // The client went away mid-request: there is no one to answer.
      if (req.socket.destroyed || (e as NodeJS.ErrnoException).code === 'ECONNRESET') return;
      if (!(e instanceof DataverseError)) console.error('[local dataverse] unexpected error', e);
      response = errorResponse(e);
    }
    admission?.done(performance.now() - started);
    // Dataverse words the status of a failed $batch its own way (batch-error-stop sample: "400 BadRequest").
    const reason = response.reason;
    const headers = { REQ_ID: requestId, 'x-ms-service-request-id': requestId, ...response.headers };
    if (reason) res.writeHead(response.status, reason, headers);
    else res.writeHead(response.status, headers);
    res.end(response.body);
  }
}

function lowerCaseHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw errors.payloadTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
