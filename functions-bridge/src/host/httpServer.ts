/**
 * Serves HTTP function definitions over node:http on 127.0.0.1, as the Functions host would: `/api/<route>`, the
 * registered methods (405 otherwise), the request turned into an @azure/functions HttpRequest and the handler's
 * HttpResponseInit written back. authLevel 'function'/'admin' endpoints are checked against the local host's function
 * key (`x-functions-key` or `?code=`), as the host checks its keys; 'anonymous' ones check their own.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { format } from 'node:util';
import { HttpRequest, HttpResponse, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { Bridge } from '../app/bridge';
import type { HttpFunctionDefinition } from '../app/functionDefinition';
import { invokeHttpFunction } from '../app/queueOutage';
import { problemResponse } from '../webhooks/problem';
import { keysMatch, presentedKey } from '../webhooks/webhookKey';

/** Bodies above this are refused before a handler sees them (the webhook handlers' own limit is lower). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is already in use on 127.0.0.1: choose another with --port (0 picks a free one).`);
    this.name = 'PortInUseError';
  }
}

export interface HttpServerOptions {
  readonly functions: readonly HttpFunctionDefinition[];
  readonly bridge: Bridge;
  readonly port?: number;
  /** The local stand-in for Functions keys; without it, function-level endpoints answer 401. */
  readonly functionKey?: string;
}

export interface RunningHttpServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Connection-level headers the host does not pass on to functions. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

const LOG_LEVELS: Record<string, 'info' | 'warn' | 'error'> = { trace: 'info', debug: 'info', information: 'info', warning: 'warn', error: 'error', critical: 'error', none: 'info' };

async function send(res: http.ServerResponse, result: HttpResponseInit | HttpResponse): Promise<void> {
  const response = result instanceof HttpResponse ? result : new HttpResponse(result);
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | 'tooLarge'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.pause();
        resolve('tooLarge');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function serveHttpFunctions(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { bridge, functionKey } = options;
  const byRoute = new Map<string, HttpFunctionDefinition[]>();
  for (const f of options.functions) byRoute.set(`/api/${f.route}`.toLowerCase(), [...(byRoute.get(`/api/${f.route}`.toLowerCase()) ?? []), f]);
  let port = options.port ?? 0;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const candidates = byRoute.get(url.pathname.replace(/\/+$/, '').toLowerCase());
    if (!candidates) {
      await send(res, problemResponse({ status: 404, title: 'Not found', detail: `No function is routed at ${url.pathname}.` }));
      return;
    }
    const definition = candidates.find((f) => f.methods.includes(method as HttpFunctionDefinition['methods'][number]));
    if (!definition) {
      const allow = [...new Set(candidates.flatMap((f) => f.methods))].join(', ');
      await send(res, problemResponse({ status: 405, title: 'Method not allowed', detail: `${url.pathname} takes ${allow}.` }, { Allow: allow }));
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;

    if (definition.authLevel !== 'anonymous') {
      const key = presentedKey({ query: url.searchParams, headers: { get: (n) => headers[n.toLowerCase()] ?? null } });
      if (!functionKey || !key || !keysMatch(key, functionKey)) {
        const detail = functionKey ? 'Send the function key as x-functions-key or ?code=.' : 'Function-level endpoints are off in this local host: start it with BRIDGE_FUNCTION_KEY set.';
        await send(res, problemResponse({ status: 401, title: 'Function key required', detail }));
        return;
      }
    }

    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (body === 'tooLarge') {
      res.setHeader('Connection', 'close');
      await send(res, problemResponse({ status: 413, title: 'Body too large', detail: `Requests are limited to ${MAX_REQUEST_BYTES} bytes.` }));
      req.destroy();
      return;
    }
    const request = new HttpRequest({
      method,
      url: url.toString(),
      headers,
      query: Object.fromEntries(url.searchParams),
      params: {},
      ...(body.length > 0 ? { body: { bytes: new Uint8Array(body) } } : {}),
    });
    const context = new InvocationContext({
      invocationId: randomUUID(),
      functionName: definition.name,
      logHandler: (level, ...args) => bridge.telemetry.log(LOG_LEVELS[level] ?? 'info', format(...args), { function: definition.name }),
    });
    let result: HttpResponseInit | HttpResponse;
    try {
      result = await invokeHttpFunction(definition, bridge, request, context);
    } catch (e) {
      bridge.telemetry.log('error', `${definition.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, { function: definition.name });
      result = problemResponse({ status: 500, title: 'Internal error', detail: `${definition.name} failed; the bridge's log has the details.` });
    }
    await send(res, result);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      bridge.telemetry.log('error', `HTTP handling failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => reject(e.code === 'EADDRINUSE' ? new PortInUseError(port) : e);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
