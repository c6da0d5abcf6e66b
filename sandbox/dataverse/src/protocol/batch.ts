/**
 * `$batch` wire format: multipart/mixed bodies (OData 4.0 §11.7, as Dataverse speaks it in
 * webapi/execute-batch-operations-using-web-api). Parsing and serializing only; what the requests do is
 * batchExecutor.ts.
 *
 * Conformance notes (checked against ../shared/reference/microsoft-docs-samples/batch-*.http):
 * - Line endings: CRLF or bare LF are both accepted (Microsoft's printed samples use LF); output is always CRLF.
 * - Content-Length headers are ignored: parts are delimited by boundaries only (Microsoft's own samples print
 *   Content-Length values that don't match their bodies).
 * - Header names are matched case-insensitively and `Name:value` without a space is accepted.
 * - A request body runs from the blank line after the request headers to the next delimiter; trailing line
 *   breaks are dropped (the samples put a blank line between a JSON body and the next delimiter).
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { DataverseError, errors } from './errors';

/** One HTTP request carried in a batch part. */
export interface InnerRequest {
  /** Upper-cased HTTP method. */
  method: string;
  /**
   * The URL as written in the part: absolute (`http://host/api/data/v9.2/accounts`), service-root-relative
   * (`/api/data/v9.2/accounts` or `accounts`) or a Content-ID reference (`$1`, `$1/lastname`). The executor turns
   * it into a service-root-relative URL before handing the request on.
   */
  url: string;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  body: string;
  /** The part's Content-ID (the MIME part header, or failing that an inner `Content-ID` header). */
  contentId?: string;
}

export type BatchPart = { kind: 'request'; request: InnerRequest } | { kind: 'changeset'; requests: InnerRequest[] };

/** One HTTP response carried in a batch response part. Header names keep their casing (they are written as given). */
export interface InnerResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
  /** Echoed as the part's `Content-ID` header. */
  contentId?: string;
}

export type ResponsePart = { kind: 'response'; response: InnerResponse } | { kind: 'changeset'; responses: InnerResponse[] };

/** "Batch requests can contain up to 1000 individual requests" (execute-batch-operations-using-web-api). */
export const MAX_BATCH_REQUESTS = 1000;

const CRLF = '\r\n';
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*)$/;
const CHANGE_SET_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// ---------------------------------------------------------------------------------------------------------------
// Parsing

/**
 * Parses a `$batch` request body. `contentType` is the request's Content-Type header
 * (`multipart/mixed; boundary=batch_…`). Throws a 400 DataverseError for anything Dataverse would refuse before
 * running a single request: no boundary, no closing delimiter, a part that is neither application/http nor a
 * change set, a GET inside a change set, a nested change set or `$batch`, duplicate Content-IDs in a change set,
 * more than 1000 requests.
 */
export function parseBatch(body: string, contentType: string): BatchPart[] {
  const boundary = multipartBoundary(contentType, 'batch request');
  const parts: BatchPart[] = [];
  let requestCount = 0;
  for (const raw of splitMultipart(body, boundary)) {
    const { headers, rest } = readHeaderBlock(raw);
    const type = parseContentType(headers['content-type']);
    if (type.mediaType === 'multipart/mixed') {
      const requests = parseChangeSet(rest, type);
      requestCount += requests.length;
      parts.push({ kind: 'changeset', requests });
    } else if (type.mediaType === 'application/http') {
      const request = parseInnerRequest(rest, headers['content-id']);
      requestCount += 1;
      parts.push({ kind: 'request', request });
    } else {
      throw partTypeError(headers['content-type']);
    }
    if (requestCount > MAX_BATCH_REQUESTS) throw tooManyRequestsInBatch();
  }
  return parts;
}

function parseChangeSet(body: string, type: ContentType): InnerRequest[] {
  const boundary = type.params.boundary;
  if (!boundary) throw errors.badRequest('A change set part must have a Content-Type of multipart/mixed with a boundary parameter.');
  const requests: InnerRequest[] = [];
  const contentIds = new Set<string>();
  for (const raw of splitMultipart(body, boundary)) {
    const { headers, rest } = readHeaderBlock(raw);
    const partType = parseContentType(headers['content-type']);
    if (partType.mediaType === 'multipart/mixed') throw errors.badRequest('A change set can\'t contain another change set.');
    if (partType.mediaType !== 'application/http') throw partTypeError(headers['content-type']);
    const request = parseInnerRequest(rest, headers['content-id']);
    // "GET request are not allowed within change sets" (execute-batch-operations-using-web-api, Change sets).
    if (!CHANGE_SET_METHODS.has(request.method)) {
      throw errors.badRequest(
        `The HTTP method '${request.method}' isn't allowed in a change set (request '${request.method} ${request.url}'). Change sets accept only POST, PUT, PATCH and DELETE requests; send ${request.method} requests outside the change set.`,
      );
    }
    if (request.contentId !== undefined) {
      if (contentIds.has(request.contentId)) {
        throw errors.badRequest(`The Content-ID '${request.contentId}' appears more than once in the same change set. Content-IDs must be unique within a change set.`);
      }
      contentIds.add(request.contentId);
    }
    requests.push(request);
    // Wording of the live service's refusal (reported in AleksandrRogov/DynamicsWebApi#71).
    if (requests.length > MAX_BATCH_REQUESTS) {
      throw errors.badRequest(`The current change set contains too many operations. A maximum number of '${MAX_BATCH_REQUESTS}' operations are allowed in a change set.`);
    }
  }
  return requests;
}

function parseInnerRequest(text: string, partContentId: string | undefined): InnerRequest {
  const { first, afterFirst } = firstLine(text);
  const line = /^(\S+)[ \t]+(.+?)(?:[ \t]+HTTP\/\d+(?:\.\d+)?)?[ \t]*$/i.exec(first);
  if (!line) throw errors.badRequest(`A batch part doesn't start with an HTTP request line (method, URL, HTTP version); found '${first.slice(0, 200)}'.`);
  const method = (line[1] as string).toUpperCase();
  const url = (line[2] as string).trim();
  const { headers, rest } = readHeaderBlock(afterFirst);
  if (/(?:^|\/)\$batch(?:[?#]|$)/i.test(url)) {
    // "Batch requests … can't contain other batch requests" (execute-batch-operations-using-web-api).
    throw errors.badRequest('Batch requests can\'t contain other batch requests.');
  }
  const request: InnerRequest = { method, url, headers, body: trimTrailingLineBreaks(rest) };
  const contentId = partContentId ?? headers['content-id'];
  if (contentId !== undefined && contentId !== '') request.contentId = contentId;
  return request;
}

/**
 * Parses a `$batch` response body (the inverse of serializeBatchResponse): for clients of a real or local
 * Dataverse and for conformance tests against Microsoft's printed responses.
 */
export function parseBatchResponse(body: string, contentType: string): ResponsePart[] {
  const boundary = multipartBoundary(contentType, 'batch response');
  return splitMultipart(body, boundary).map((raw): ResponsePart => {
    const { headers, rest } = readHeaderBlock(raw);
    const type = parseContentType(headers['content-type']);
    if (type.mediaType === 'multipart/mixed') {
      const changeSetBoundary = type.params.boundary;
      if (!changeSetBoundary) throw errors.badRequest('A change set response part has no boundary parameter.');
      const responses = splitMultipart(rest, changeSetBoundary).map((innerRaw) => {
        const inner = readHeaderBlock(innerRaw);
        return parseInnerResponse(inner.rest, inner.headers['content-id']);
      });
      return { kind: 'changeset', responses };
    }
    if (type.mediaType !== 'application/http') throw partTypeError(headers['content-type']);
    return { kind: 'response', response: parseInnerResponse(rest, headers['content-id']) };
  });
}

function parseInnerResponse(text: string, contentId: string | undefined): InnerResponse {
  const { first, afterFirst } = firstLine(text);
  const statusLine = /^HTTP\/\d+(?:\.\d+)?[ \t]+(\d{3})\b/i.exec(first);
  if (!statusLine) throw errors.badRequest(`A batch response part doesn't start with an HTTP status line; found '${first.slice(0, 200)}'.`);
  const { names, rest } = readHeaderBlock(afterFirst);
  const response: InnerResponse = { status: Number(statusLine[1]), headers: names };
  const body = trimTrailingLineBreaks(rest);
  if (body !== '') response.body = body;
  if (contentId !== undefined && contentId !== '') response.contentId = contentId;
  return response;
}

/** The parts between `--boundary` delimiter lines, up to the closing `--boundary--`; preamble and epilogue dropped. */
function splitMultipart(body: string, boundary: string): string[] {
  // A delimiter is a whole line; the line break before it belongs to the delimiter (RFC 2046 §5.1.1).
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const parts: string[] = [];
  let partStart = -1;
  let sawDelimiter = false;
  for (let match = delimiter.exec(body); match; match = delimiter.exec(body)) {
    sawDelimiter = true;
    if (partStart >= 0) parts.push(body.slice(partStart, match.index));
    if (match[1] === '--') return parts;
    const afterDelimiter = match.index + match[0].length;
    partStart = body.startsWith('\r\n', afterDelimiter) ? afterDelimiter + 2 : body.startsWith('\n', afterDelimiter) ? afterDelimiter + 1 : afterDelimiter;
  }
  if (!sawDelimiter) throw errors.badRequest(`The batch body doesn't contain the boundary delimiter '--${boundary}' named in its Content-Type.`);
  throw errors.badRequest(`The batch body ends without the closing delimiter '--${boundary}--'.`);
}

interface HeaderBlock {
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Names as written (first spelling wins). */
  names: Record<string, string>;
  rest: string;
}

/**
 * Reads header lines up to the first blank line. A line that isn't `name: value` also ends the block (Microsoft
 * prints at least one sample with no blank line before the body); folded header lines aren't supported.
 */
function readHeaderBlock(text: string): HeaderBlock {
  const headers: Record<string, string> = {};
  const names: Record<string, string> = {};
  const spelled: Record<string, string> = {};
  let position = 0;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const end = newline === -1 ? text.length : newline;
    const next = newline === -1 ? text.length : newline + 1;
    const line = text.slice(position, end).replace(/\r$/, '');
    if (line === '') return { headers, names, rest: text.slice(next) };
    const header = HEADER_LINE.exec(line);
    if (!header) return { headers, names, rest: text.slice(position) };
    const name = header[1] as string;
    const value = (header[2] as string).trim();
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
    const writtenAs = spelled[key] ?? name;
    spelled[key] = writtenAs;
    names[writtenAs] = headers[key] as string;
    position = next;
  }
  return { headers, names, rest: '' };
}

function firstLine(text: string): { first: string; afterFirst: string } {
  const trimmed = text.replace(/^(?:[ \t]*\r?\n)+/, '');
  const newline = trimmed.indexOf('\n');
  if (newline === -1) return { first: trimmed.trim(), afterFirst: '' };
  return { first: trimmed.slice(0, newline).trim(), afterFirst: trimmed.slice(newline + 1) };
}

interface ContentType {
  mediaType: string;
  params: Record<string, string>;
}

function parseContentType(value: string | undefined): ContentType {
  if (!value) return { mediaType: '', params: {} };
  const [media, ...rawParams] = value.split(';');
  const params: Record<string, string> = {};
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    if (eq === -1) continue;
    const name = raw.slice(0, eq).trim().toLowerCase();
    let paramValue = raw.slice(eq + 1).trim();
    if (paramValue.length >= 2 && paramValue.startsWith('"') && paramValue.endsWith('"')) paramValue = paramValue.slice(1, -1);
    params[name] = paramValue;
  }
  return { mediaType: (media ?? '').trim().toLowerCase(), params };
}

function multipartBoundary(contentType: string, what: string): string {
  const type = parseContentType(contentType);
  const boundary = type.params.boundary;
  if (type.mediaType !== 'multipart/mixed' || !boundary) {
    throw errors.badRequest(`The ${what} must have a Content-Type of multipart/mixed with a boundary parameter, for example 'multipart/mixed; boundary="batch_<unique identifier>"'; got '${contentType}'.`);
  }
  return boundary;
}

function partTypeError(contentType: string | undefined): DataverseError {
  return errors.badRequest(`Each part of a batch must have a Content-Type of application/http (a request) or multipart/mixed (a change set); got '${contentType ?? ''}'.`);
}

/** Wording of the live service's refusal (reported in MicrosoftDocs/powerapps-docs#1890, with its limit of the day). */
function tooManyRequestsInBatch(): DataverseError {
  return errors.badRequest(`The current batch message contains too many parts. Only batch messages with a maximum number of '${MAX_BATCH_REQUESTS}' query operations, including changeset operations, are allowed.`);
}

// ---------------------------------------------------------------------------------------------------------------
// Serializing

export interface SerializeOptions {
  /** Supplies each change set response's boundary; `changesetresponse_<guid>` by default. */
  changeSetBoundary?: () => string;
}

/**
 * Writes a `$batch` response body in the shape of Dataverse's printed responses: `batchresponse_<guid>` and
 * `changesetresponse_<guid>` boundaries, CRLF line endings, each part `Content-Type: application/http` and
 * `Content-Transfer-Encoding: binary` (plus `Content-ID` when the response has one), then the status line, the
 * inner headers (OData-Version: 4.0 added when missing), a blank line and the body.
 */
export function serializeBatchResponse(
  parts: ResponsePart[],
  boundary = `batchresponse_${randomUUID()}`,
  options: SerializeOptions = {},
): { contentType: string; body: string } {
  const lines: string[] = [];
  for (const part of parts) {
    lines.push(`--${boundary}`);
    if (part.kind === 'response') {
      lines.push(...responseLines(part.response));
      continue;
    }
    const changeSetBoundary = options.changeSetBoundary?.() ?? `changesetresponse_${randomUUID()}`;
    lines.push(`Content-Type: multipart/mixed; boundary=${changeSetBoundary}`, '');
    for (const response of part.responses) lines.push(`--${changeSetBoundary}`, ...responseLines(response));
    lines.push(`--${changeSetBoundary}--`);
  }
  lines.push(`--${boundary}--`, '');
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: lines.join(CRLF) };
}

function responseLines(response: InnerResponse): string[] {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (response.contentId !== undefined) lines.push(`Content-ID: ${response.contentId}`);
  lines.push('', `HTTP/1.1 ${response.status} ${reasonPhrase(response.status)}`);
  for (const [name, value] of orderedResponseHeaders(response.headers)) lines.push(`${name}: ${value}`);
  lines.push('', response.body ?? '');
  return lines;
}

/** Dataverse's order in the samples: REQ_ID, Content-Type, OData-Version, then the rest (Location, OData-EntityId…). */
function orderedResponseHeaders(headers: Record<string, string>): Array<[string, string]> {
  const rank = (name: string): number => ['req_id', 'content-type', 'odata-version'].indexOf(name.toLowerCase());
  const entries: Array<[string, string]> = Object.entries(headers).map(([name, value]) => [canonicalHeaderName(name), value]);
  if (!entries.some(([name]) => name.toLowerCase() === 'odata-version')) entries.push(['OData-Version', '4.0']);
  const first = entries.filter(([name]) => rank(name) >= 0).sort((a, b) => rank(a[0]) - rank(b[0]));
  return [...first, ...entries.filter(([name]) => rank(name) < 0)];
}

/**
 * Writes a `$batch` request body (for clients, and for round-trip tests of parseBatch): the counterpart of
 * parseBatch, in the layout of Microsoft's samples.
 */
export function serializeBatchRequest(
  parts: BatchPart[],
  boundary = `batch_${randomUUID()}`,
  options: { changeSetBoundary?: () => string } = {},
): { contentType: string; body: string } {
  const lines: string[] = [];
  for (const part of parts) {
    lines.push(`--${boundary}`);
    if (part.kind === 'request') {
      lines.push(...requestLines(part.request));
      continue;
    }
    const changeSetBoundary = options.changeSetBoundary?.() ?? `changeset_${randomUUID()}`;
    lines.push(`Content-Type: multipart/mixed; boundary=${changeSetBoundary}`, '');
    for (const request of part.requests) lines.push(`--${changeSetBoundary}`, ...requestLines(request));
    lines.push(`--${changeSetBoundary}--`);
  }
  lines.push(`--${boundary}--`, '');
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: lines.join(CRLF) };
}

function requestLines(request: InnerRequest): string[] {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (request.contentId !== undefined) lines.push(`Content-ID: ${request.contentId}`);
  lines.push('', `${request.method} ${request.url} HTTP/1.1`);
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${canonicalHeaderName(name)}: ${value}`);
  lines.push('', request.body);
  return lines;
}

const CANONICAL_HEADER_NAMES: Record<string, string> = {
  'content-type': 'Content-Type',
  'content-id': 'Content-ID',
  'odata-version': 'OData-Version',
  'odata-maxversion': 'OData-MaxVersion',
  'odata-entityid': 'OData-EntityId',
  etag: 'ETag',
  location: 'Location',
  prefer: 'Prefer',
  'preference-applied': 'Preference-Applied',
  'if-match': 'If-Match',
  'if-none-match': 'If-None-Match',
  'retry-after': 'Retry-After',
  req_id: 'REQ_ID',
  accept: 'Accept',
};

function canonicalHeaderName(name: string): string {
  return CANONICAL_HEADER_NAMES[name.toLowerCase()] ?? name;
}

/** Reason phrases as Dataverse (IIS/.NET) writes them in batch parts: `HTTP/1.1 204 No Content`. */
const REASON_PHRASES: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? STATUS_CODES[status] ?? 'Unknown';
}

// ---------------------------------------------------------------------------------------------------------------
// Headers of the $batch request itself

/** True when a Prefer header asks for `odata.continue-on-error` (OData 4.0; 4.01 also allows `continue-on-error`). */
export function prefersContinueOnError(prefer: string | undefined): boolean {
  if (!prefer) return false;
  return prefer.split(/[,;]/).some((raw) => {
    const [name, value] = raw.split('=').map((piece) => piece.trim().toLowerCase());
    return (name === 'odata.continue-on-error' || name === 'continue-on-error') && value !== 'false';
  });
}

function trimTrailingLineBreaks(text: string): string {
  return text.replace(/(?:\r?\n)+$/, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
