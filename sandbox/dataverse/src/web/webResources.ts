/**
 * `GET /WebResources/<name>` (and `/{<version>}/WebResources/<name>`, the cache-busting form model-driven apps
 * request): an organization serves each web resource row's content under its name, as forms and ribbons load
 * their scripts. Names compare case-insensitively, like Dataverse's. The local Dataverse serves them without a
 * bearer token — a browser loading a script sends none; a real organization uses its session cookie.
 */
import { webresource, WebResourceType } from '@pfb/solution';
import type { SchemaModel } from '@pfb/domain';
import type { Store } from '../store/store';

const CONTENT_TYPES: Readonly<Record<number, string>> = {
  [WebResourceType.Html]: 'text/html; charset=utf-8',
  [WebResourceType.Css]: 'text/css; charset=utf-8',
  [WebResourceType.JScript]: 'text/javascript; charset=utf-8',
  [WebResourceType.Xml]: 'text/xml; charset=utf-8',
  [WebResourceType.Png]: 'image/png',
  [WebResourceType.Jpg]: 'image/jpeg',
  [WebResourceType.Gif]: 'image/gif',
  [WebResourceType.Xap]: 'application/x-silverlight-app',
  [WebResourceType.Xsl]: 'text/xsl; charset=utf-8',
  [WebResourceType.Ico]: 'image/x-icon',
  [WebResourceType.Svg]: 'image/svg+xml',
  [WebResourceType.Resx]: 'text/xml; charset=utf-8',
};

const PATH = /^\/(?:(?:%7B|\{)[^/]*(?:%7D|\})\/)?WebResources\/(.+)$/i;

/** The web resource name a request path asks for, or undefined when the path is not a web resource path. */
export function webResourceNameOf(url: string): string | undefined {
  const m = PATH.exec(url.split('?')[0] ?? '');
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1] as string);
  } catch {
    return undefined;
  }
}

export interface WebResourceResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export function serveWebResource(store: Store, schema: SchemaModel, name: string, method: string): WebResourceResponse {
  const text = (status: number, message: string): WebResourceResponse => ({ status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from(message) });
  if (method !== 'GET' && method !== 'HEAD') return text(405, `Web resources are read with GET, not ${method}.`);
  if (!schema.table(webresource.logicalName)) return text(404, `No web resource ${name}: this local Dataverse was started without the solution framework.`);
  const row = store.select(webresource.logicalName, 't0."name" = ? COLLATE NOCASE', [name], 'LIMIT 1')[0];
  if (!row) return text(404, `No web resource named ${name}.`);
  const body = Buffer.from(typeof row['content'] === 'string' ? row['content'] : '', 'base64');
  const type = CONTENT_TYPES[row['webresourcetype'] as number] ?? 'application/octet-stream';
  return { status: 200, headers: { 'Content-Type': type, 'Content-Length': String(body.length), 'Cache-Control': 'no-cache', ETag: `W/"${String(row['versionnumber'] ?? 0)}"` }, body: method === 'HEAD' ? Buffer.alloc(0) : body };
}
