/**
 * `$batch` on the wire, as execute-batch-operations-using-web-api.md shows it (and the samples in
 * reference/microsoft-docs-samples/batch-*.http): multipart/mixed with a `batch_<id>` boundary; each request an
 * `application/http` part with `Content-Transfer-Encoding: binary`; a change set a nested multipart/mixed part with a
 * `changeset_<id>` boundary whose requests carry a `Content-ID`; CRLF line ends; the URLs relative to the host
 * (`/api/data/v9.2/...`). GET is not allowed inside a change set.
 */
import type { HttpOperation } from './operations';

export type BatchItem = HttpOperation | readonly HttpOperation[];

export interface BatchPart {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Set on the parts of a change set. */
  readonly contentId?: string;
}

const CRLF = '\r\n';

let sequence = 0;
/** Boundaries only need to be unique within the body. */
export function newBoundaryId(): string {
  sequence += 1;
  const random = Math.random().toString(16).slice(2, 10).padEnd(8, '0');
  return `${Date.now().toString(16)}-${sequence.toString(16).padStart(4, '0')}-${random}`;
}

function requestPart(op: HttpOperation, servicePath: string, contentId?: number): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== undefined) lines.push(`Content-ID: ${contentId}`);
  lines.push('', `${op.method} ${servicePath}/${op.path} HTTP/1.1`);
  const headers: Record<string, string> = { ...op.headers };
  if (op.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  // A body in a change set is an entry (batch-changeset.request.http: "application/json; type=entry").
  if (op.body !== undefined && contentId !== undefined) headers['Content-Type'] = 'application/json; type=entry';
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  lines.push('', op.body ?? '');
  return lines.join(CRLF);
}

/** The body and Content-Type of a `$batch` POST. `servicePath` is the service root's path, e.g. /api/data/v9.2. */
export function serializeBatch(items: readonly BatchItem[], servicePath: string, boundaryId: string = newBoundaryId()): { contentType: string; body: string } {
  const batch = `batch_${boundaryId}`;
  const parts: string[] = [];
  let contentId = 0;
  for (const [index, item] of items.entries()) {
    if (Array.isArray(item)) {
      const ops = item as readonly HttpOperation[];
      const get = ops.find((op) => op.method === 'GET');
      if (get) throw new Error(`GET ${get.path} cannot be part of a change set: a change set only holds writes (execute-batch-operations).`);
      const changeset = `changeset_${boundaryId}-${index}`;
      const inner = ops.map((op) => `--${changeset}${CRLF}${requestPart(op, servicePath, (contentId += 1))}`);
      parts.push(`--${batch}${CRLF}Content-Type: multipart/mixed; boundary="${changeset}"${CRLF}${CRLF}${inner.join(CRLF)}${CRLF}--${changeset}--${CRLF}`);
    } else {
      parts.push(`--${batch}${CRLF}${requestPart(item as HttpOperation, servicePath)}${CRLF}`);
    }
  }
  return { contentType: `multipart/mixed; boundary="${batch}"`, body: `${parts.join('')}--${batch}--${CRLF}` };
}

const boundaryOf = (contentType: string): string | undefined => /boundary="?([^";]+)"?/i.exec(contentType)?.[1];

/** Splits a multipart body into its parts' raw text (headers, blank line, content). */
function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const out: string[] = [];
  let rest = body;
  let start = rest.indexOf(delimiter);
  while (start >= 0) {
    rest = rest.slice(start + delimiter.length);
    if (rest.startsWith('--')) break;
    const next = rest.indexOf(delimiter);
    out.push((next < 0 ? rest : rest.slice(0, next)).replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
    if (next < 0) break;
    start = 0;
    rest = rest.slice(next);
  }
  return out;
}

function splitHead(text: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  return m ? { head: text.slice(0, m.index), body: text.slice(m.index + m[0].length) } : { head: text, body: '' };
}

function headerMap(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function parseHttpPart(raw: string, contentId?: string): BatchPart {
  const { head, body } = splitHead(raw);
  const [statusLine = '', ...headerLines] = head.split(/\r?\n/);
  const m = /^HTTP\/1\.1\s+(\d{3})\s*(.*)$/.exec(statusLine.trim());
  if (!m) throw new Error(`Unreadable $batch response part: '${statusLine}'`);
  return { status: Number(m[1]), statusText: m[2] ?? '', headers: headerMap(headerLines), body: body.replace(/\r?\n$/, ''), ...(contentId ? { contentId } : {}) };
}

/** The responses of a `$batch`, change sets flattened, in order. */
export function parseBatchResponse(contentType: string, body: string): BatchPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error(`The $batch response has no multipart boundary (Content-Type: ${contentType}).`);
  const out: BatchPart[] = [];
  for (const raw of splitMultipart(body, boundary)) {
    const { head, body: content } = splitHead(raw);
    const headers = headerMap(head.split(/\r?\n/));
    const type = headers['content-type'] ?? '';
    if (/^multipart\/mixed/i.test(type)) {
      const inner = boundaryOf(type);
      if (!inner) throw new Error('A change set response has no boundary.');
      for (const part of splitMultipart(content, inner)) {
        const { head: partHead, body: partBody } = splitHead(part);
        out.push(parseHttpPart(partBody, headerMap(partHead.split(/\r?\n/))['content-id']));
      }
    } else {
      out.push(parseHttpPart(content));
    }
  }
  return out;
}
