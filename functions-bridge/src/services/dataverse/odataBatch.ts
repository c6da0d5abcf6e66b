/**
 * A `$batch` with several change sets: the one shape `dynamics-web-api` cannot build (it puts every write of a batch
 * in one change set). The field-event worker needs one change set per booking — "an event either takes full effect
 * once or not at all" per booking, while one booking's conflict must not undo another's — in one HTTP request, which
 * Dataverse counts as one against the 6,000-per-5-minutes limit.
 *
 * Format (Web API "Execute batch operations using the Web API", samples in
 * ../shared/reference/microsoft-docs-samples/batch-*.http): a multipart/mixed body; each change set a nested
 * multipart/mixed part whose requests carry a Content-ID; each GET its own application/http part. With
 * `Prefer: odata.continue-on-error` Dataverse runs every part even after one fails; a failed change set answers with
 * one application/http part (its failing request's error) instead of a nested multipart.
 */
import { randomUUID } from 'node:crypto';

export interface BatchRequest {
  readonly method: 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the service root, e.g. `pfb_fieldevents` or `bookableresourcebookings(<id>)`. */
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type BatchItem = { readonly kind: 'get'; readonly url: string } | { readonly kind: 'changeSet'; readonly requests: readonly BatchRequest[] };

export interface BatchPartResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the part has a JSON body, else undefined. */
  readonly body: unknown;
}

export type BatchItemResult =
  | { readonly kind: 'get'; readonly ok: boolean; readonly response: BatchPartResponse }
  | { readonly kind: 'changeSet'; readonly ok: true; readonly responses: readonly BatchPartResponse[] }
  | { readonly kind: 'changeSet'; readonly ok: false; readonly response: BatchPartResponse };

const CRLF = '\r\n';

/** The request body and its Content-Type; `servicePath` is the service root's path, e.g. /api/data/v9.2. */
export function buildBatch(items: readonly BatchItem[], servicePath: string): { contentType: string; body: string } {
  const boundary = `batch_${randomUUID()}`;
  const root = servicePath.replace(/\/$/, '');
  const lines: string[] = [];
  let contentId = 0;
  for (const item of items) {
    lines.push(`--${boundary}`);
    if (item.kind === 'get') {
      lines.push('Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', `GET ${root}/${item.url} HTTP/1.1`, 'Accept: application/json', '', '');
      continue;
    }
    const changeset = `changeset_${randomUUID()}`;
    lines.push(`Content-Type: multipart/mixed; boundary=${changeset}`, '');
    for (const r of item.requests) {
      contentId += 1;
      lines.push(`--${changeset}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${contentId}`, '');
      lines.push(`${r.method} ${root}/${r.url} HTTP/1.1`);
      for (const [name, value] of Object.entries(r.headers ?? {})) lines.push(`${name}: ${value}`);
      if (r.body !== undefined) lines.push('Content-Type: application/json', '', JSON.stringify(r.body));
      else lines.push('');
    }
    lines.push(`--${changeset}--`);
  }
  lines.push(`--${boundary}--`, '');
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: lines.join(CRLF) };
}

function boundaryOf(contentType: string): string | undefined {
  return /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
}

/** The parts between `--boundary` lines, each as raw text (headers, blank line, content). */
function splitParts(text: string, boundary: string): string[] {
  const parts: string[] = [];
  const delimiter = `--${boundary}`;
  const chunks = text.split(delimiter);
  // chunks[0] is the preamble; the last starts with "--" (the close delimiter).
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    parts.push(chunk.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
  }
  return parts;
}

function splitHead(text: string): { head: string; rest: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text, rest: '' };
  return { head: text.slice(0, m.index), rest: text.slice(m.index + m[0].length) };
}

function headerMap(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

/** One application/http part: its embedded status line, headers and JSON body. */
function parseHttpPart(part: string): BatchPartResponse {
  const { rest } = splitHead(part); // the MIME headers of the part
  const { head, rest: content } = splitHead(rest);
  const [statusLine = '', ...headerLines] = head.split(/\r?\n/);
  const status = Number(/^HTTP\/1\.1\s+(\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers = headerMap(headerLines.join('\n'));
  const trimmed = content.trim();
  let body: unknown;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      body = JSON.parse(trimmed) as unknown;
    } catch {
      body = undefined;
    }
  }
  return { status, headers, body };
}

/** Maps the response parts back onto the items sent, in order. */
export function parseBatchResponse(items: readonly BatchItem[], contentType: string, text: string): BatchItemResult[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error(`The $batch response is not multipart (Content-Type: ${contentType || 'none'}).`);
  const parts = splitParts(text, boundary);
  const results: BatchItemResult[] = [];
  items.forEach((item, i) => {
    const part = parts[i];
    if (part === undefined) {
      // Without continue-on-error Dataverse stops at the first failure; the rest were not run.
      const response: BatchPartResponse = { status: 424, headers: {}, body: { error: { code: 'NotExecuted', message: 'An earlier part of the $batch failed; this part was not run.' } } };
      results.push(item.kind === 'get' ? { kind: 'get', ok: false, response } : { kind: 'changeSet', ok: false, response });
      return;
    }
    const { head, rest } = splitHead(part);
    const partType = headerMap(head)['content-type'] ?? '';
    if (item.kind === 'get') {
      const response = parseHttpPart(part);
      results.push({ kind: 'get', ok: response.status >= 200 && response.status < 300, response });
      return;
    }
    const nested = partType.toLowerCase().startsWith('multipart/mixed') ? boundaryOf(partType) : undefined;
    if (nested) {
      const responses = splitParts(rest, nested).map(parseHttpPart);
      const failed = responses.find((r) => r.status >= 400);
      results.push(failed ? { kind: 'changeSet', ok: false, response: failed } : { kind: 'changeSet', ok: true, responses });
    } else {
      // A failed change set answers with its failing request alone; a lone success (a one-request set) is read as such.
      const response = parseHttpPart(part);
      results.push(response.status < 400 ? { kind: 'changeSet', ok: true, responses: [response] } : { kind: 'changeSet', ok: false, response });
    }
  });
  return results;
}

/** Dataverse's error message of a failed part, in one line. */
export function partError(response: BatchPartResponse): { code: string; message: string } {
  const error = (response.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    code: typeof error?.code === 'string' && error.code !== '' ? error.code : String(response.status),
    message: typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
  };
}
