/**
 * The organisation's origin, as a browser sees it: pages and web resources are served from the same host as the
 * Web API, so client code calls `/api/data/v9.2/...` relatively — exactly as web resources and PCF controls do in a
 * model-driven app (`Xrm.Utility.getGlobalContext().getClientUrl()` is the page's origin there).
 *
 * Serves static directories under URL prefixes and forwards `/api/` and `/WebResources/` to the local Dataverse, unchanged (method,
 * headers, body, status). In a model-driven app the browser's calls are authenticated by the session cookie; here the
 * origin plays the signed-in session and adds `Authorization: Bearer <sessionToken>` when the browser sent none (the
 * local Dataverse resolves the token to a systemuser: see sandbox/dataverse/src/auth.ts). Listens on 127.0.0.1 only.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export interface OriginServerOptions {
  /** Service root of the local Dataverse, e.g. http://127.0.0.1:5555/api/data/v9.2 */
  readonly dataverseUrl: string;
  /** URL prefix (starting and ending with '/') → directory served under it. */
  readonly staticRoots: Readonly<Record<string, string>>;
  /** Extra routes answered before static files (exact path → handler). */
  readonly routes?: Readonly<Record<string, http.RequestListener>>;
  readonly port?: number;
  /** Bearer token for the signed-in user (default: any token, i.e. the sandbox admin). */
  readonly sessionToken?: string;
  /** URL prefixes forwarded to the local Dataverse (default `/api/` and `/WebResources/`, which it serves). */
  readonly forward?: readonly string[];
}

export interface RunningOrigin {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  readonly url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.resx': 'application/xml; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export async function startOriginServer(options: OriginServerOptions): Promise<RunningOrigin> {
  const target = new URL(options.dataverseUrl);
  const forwarded = options.forward ?? ['/api/', '/WebResources/'];
  const prefixes = Object.entries(options.staticRoots).sort(([a], [b]) => b.length - a.length);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin.invalid');
    if (forwarded.some((prefix) => url.pathname.startsWith(prefix))) return forward(req, res, target, options.sessionToken ?? 'sandbox-session');
    const route = options.routes?.[url.pathname];
    if (route) return route(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', `${req.method} is not allowed here.`);
    for (const [prefix, dir] of prefixes) {
      if (!url.pathname.startsWith(prefix)) continue;
      const relative = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
      const file = path.resolve(dir, relative);
      // Never serve outside the configured directory (../ in the URL).
      if (!file.startsWith(path.resolve(dir) + path.sep)) return send(res, 403, 'text/plain', 'Outside the served directory.');
      return fs.readFile(file, (err, body) => {
        if (err) return send(res, 404, 'text/plain', `Not found: ${url.pathname}`);
        send(res, 200, CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', body);
      });
    }
    send(res, 404, 'text/plain', `Not found: ${url.pathname}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, target: URL, sessionToken: string): void {
  const headers = { ...req.headers, host: target.host, authorization: req.headers.authorization ?? `Bearer ${sessionToken}` };
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (e) => send(res, 502, 'text/plain', `The local Dataverse at ${target.origin} did not answer: ${e.message}`));
  req.pipe(upstream);
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}
