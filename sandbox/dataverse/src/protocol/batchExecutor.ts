/**
 * `$batch` execution semantics, as Dataverse documents them (webapi/execute-batch-operations-using-web-api):
 * - Parts run in order and the responses come back in the same order.
 * - A change set is one transaction: "if any one of the operations fails, any completed operations will be rolled
 *   back". Its answer is then the failing request's response alone (with its Content-ID), still wrapped in a
 *   change set response part: that is what a live environment returned in MicrosoftDocs/powerapps-docs#2843.
 * - Without `Prefer: odata.continue-on-error` processing stops at the first failed request, inside or outside a
 *   change set, and later parts get no response; the batch itself then answers with that request's status
 *   (the batch-error-stop sample: `HTTP/1.1 400 BadRequest`). With the preference the batch answers 200 and goes on.
 * - `$n` (Content-ID n) names the entity created or changed by request n of the same change set, in the URL
 *   (`$1`, `$1/lastname`, `$1/primarycontactid/$ref`) and in `@odata.bind` / `@odata.id` values. A reference that
 *   isn't declared earlier in the same change set fails with "Content-ID Reference: '$n' does not exist in the batch
 *   context." (the batch-content-id-undeclared sample).
 *
 * Handlers see service-root-relative URLs (`accounts(…)?$select=name`): an absolute URL or one starting with the
 * service root path (`/api/data/v9.2/…`) is cut down to the part after the root, the query string kept. The host of
 * an absolute URL isn't checked. Resolved `$n` references use the same relative form, also inside bodies.
 */
import { randomUUID } from 'node:crypto';
import { DataverseError, errors } from './errors';
import { reasonPhrase, type BatchPart, type InnerRequest, type InnerResponse, type ResponsePart } from './batch';

export interface BatchHandlers {
  /** Executes one inner request synchronously and returns its response (never throws for request-level errors: return an error response). */
  handle(request: InnerRequest): InnerResponse;
  /** Runs fn inside a database transaction; if fn throws, everything it did is rolled back. */
  atomic<T>(fn: () => T): T;
}

export interface BatchOptions {
  /** The batch carried `Prefer: odata.continue-on-error` (see prefersContinueOnError in batch.ts). */
  continueOnError: boolean;
  /** e.g. `http://127.0.0.1:5555/api/data/v9.2/` */
  serviceRoot: string;
}

export function executeBatch(parts: BatchPart[], options: BatchOptions, handlers: BatchHandlers): ResponsePart[] {
  const root = serviceRootPath(options.serviceRoot);
  const answered: ResponsePart[] = [];
  for (const part of parts) {
    let failed: boolean;
    if (part.kind === 'request') {
      // Content-IDs are only visible inside their own change set, so a top-level request resolves nothing.
      const response = runRequest(part.request, new Map(), root, handlers);
      answered.push({ kind: 'response', response });
      failed = isFailure(response);
    } else {
      const outcome = runChangeSet(part.requests, root, handlers);
      answered.push({ kind: 'changeset', responses: outcome.responses });
      failed = outcome.failed;
    }
    if (failed && !options.continueOnError) break;
  }
  return answered;
}

/**
 * Status of the `$batch` response itself: 200, or without continue-on-error the status of the request that stopped
 * the batch. `reason` is written the way the batch-error-stop sample prints it (`400 BadRequest`).
 */
export function batchStatus(parts: ResponsePart[], continueOnError: boolean): { status: number; reason: string } {
  if (!continueOnError) {
    for (const part of parts) {
      const responses = part.kind === 'response' ? [part.response] : part.responses;
      const failure = responses.find(isFailure);
      if (failure) return { status: failure.status, reason: reasonPhrase(failure.status).replace(/ /g, '') };
    }
  }
  return { status: 200, reason: 'OK' };
}

/** Thrown inside atomic() to roll a change set back; carries nothing, the failing response is kept outside. */
class RollBackChangeSet extends Error {}

function runChangeSet(requests: InnerRequest[], root: ServiceRoot, handlers: BatchHandlers): { responses: InnerResponse[]; failed: boolean } {
  let failure: InnerResponse | undefined;
  try {
    const responses = handlers.atomic(() => {
      const entityUrls = new Map<string, string>();
      const done: InnerResponse[] = [];
      for (const request of requests) {
        const response = runRequest(request, entityUrls, root, handlers);
        if (isFailure(response)) {
          failure = response;
          throw new RollBackChangeSet();
        }
        done.push(response);
        const entityUrl = headerValue(response.headers, 'OData-EntityId') ?? headerValue(response.headers, 'Location');
        if (request.contentId !== undefined && entityUrl) entityUrls.set(request.contentId, entityUrl);
      }
      return done;
    });
    return { responses, failed: false };
  } catch (error) {
    // atomic() itself failing (the commit) fails the change set as a whole.
    return { responses: [failure ?? errorResponse(error, undefined)], failed: true };
  }
}

function runRequest(request: InnerRequest, entityUrls: Map<string, string>, root: ServiceRoot, handlers: BatchHandlers): InnerResponse {
  let response: InnerResponse;
  try {
    response = asBatchPart(handlers.handle(resolveRequest(request, entityUrls, root)));
  } catch (error) {
    response = asBatchPart(errorResponse(error, request));
  }
  if (request.contentId === undefined) return response;
  return { ...response, contentId: request.contentId };
}

/**
 * What a part carries that the same request answered outside a batch doesn't, as the batch samples print it:
 * `Location` next to every `OData-EntityId` (also for `PATCH $1` in batch-changeset-ref-navprop-patch, where a
 * plain upsert answers OData-EntityId alone), and a `REQ_ID` on failed parts (batch-error-stop,
 * batch-error-continue-on-error).
 */
function asBatchPart(response: InnerResponse): InnerResponse {
  const entityId = headerValue(response.headers, 'OData-EntityId');
  const needsLocation = entityId !== undefined && headerValue(response.headers, 'Location') === undefined;
  const needsRequestId = isFailure(response) && headerValue(response.headers, 'REQ_ID') === undefined;
  if (!needsLocation && !needsRequestId) return response;
  const headers: Record<string, string> = needsRequestId ? { REQ_ID: randomUUID() } : {};
  for (const [name, value] of Object.entries(response.headers)) {
    // The samples print Location before OData-EntityId.
    if (needsLocation && name.toLowerCase() === 'odata-entityid') headers['Location'] = value;
    headers[name] = value;
  }
  return { ...response, headers };
}

function isFailure(response: InnerResponse): boolean {
  return response.status >= 400;
}

// ---------------------------------------------------------------------------------------------------------------
// URLs and Content-ID references

interface ServiceRoot {
  /** Lower-cased path of the service root with a trailing slash, e.g. `/api/data/v9.2/`. */
  path: string;
}

function serviceRootPath(serviceRoot: string): ServiceRoot {
  const path = new URL(serviceRoot).pathname;
  return { path: (path.endsWith('/') ? path : `${path}/`).toLowerCase() };
}

/**
 * Cuts a URL down to the part after the service root: `http://host/api/data/v9.2/accounts?$top=1`,
 * `/api/data/v9.2/accounts?$top=1` and `accounts?$top=1` all give `accounts?$top=1`. Another Web API version in the
 * path (`/api/data/v9.1/…`) is cut the same way.
 */
export function toServiceRelativeUrl(url: string, serviceRoot: string): string {
  return relativeTo(url, serviceRootPath(serviceRoot));
}

function relativeTo(url: string, root: ServiceRoot): string {
  let rest = url.trim();
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
  if (origin) rest = rest.slice(origin[0].length) || '/';
  if (!rest.startsWith('/')) return rest;
  if (rest.toLowerCase().startsWith(root.path)) return rest.slice(root.path.length);
  const versioned = /^\/api\/data\/v\d+(?:\.\d+)*\//i.exec(rest);
  if (versioned) return rest.slice(versioned[0].length);
  return rest.slice(1);
}

/** `$name` at the start of a URL or bind value, `name` being a Content-ID; OData's own `$` segments aren't references. */
const REFERENCE = /^\$([A-Za-z0-9._~-]+)(?=$|[/?#])/;
const SYSTEM_SEGMENTS = new Set(['metadata', 'batch', 'entity', 'crossjoin', 'all', 'root', 'ref', 'count', 'value', 'each', 'filter', 'search']);

function referenceAt(text: string): { token: string; contentId: string } | undefined {
  const match = REFERENCE.exec(text);
  if (!match || SYSTEM_SEGMENTS.has((match[1] as string).toLowerCase())) return undefined;
  return { token: match[0], contentId: match[1] as string };
}

/** Replaces a leading `$n` by the relative URL of entity n, or throws the undeclared-reference error. */
function resolveReference(text: string, entityUrls: Map<string, string>, root: ServiceRoot): string {
  const reference = referenceAt(text);
  if (!reference) return text;
  const entityUrl = entityUrls.get(reference.contentId);
  // Exact wording of the batch-content-id-undeclared sample.
  if (entityUrl === undefined) throw errors.badRequest(`Content-ID Reference: '${reference.token}' does not exist in the batch context.`);
  return relativeTo(entityUrl, root) + text.slice(reference.token.length);
}

function resolveRequest(request: InnerRequest, entityUrls: Map<string, string>, root: ServiceRoot): InnerRequest {
  const url = resolveReference(relativeTo(request.url, root), entityUrls, root);
  return { ...request, url, body: resolveBodyReferences(request.body, entityUrls, root) };
}

/** Rewrites `$n` in `…@odata.bind` and `@odata.id` values at any depth of a JSON body; other bodies pass unchanged. */
function resolveBodyReferences(body: string, entityUrls: Map<string, string>, root: ServiceRoot): string {
  if (!body.includes('"$')) return body;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return body; // not JSON: the handler reports it as it would outside a batch
  }
  let changed = false;
  const resolveValue = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    const resolved = resolveReference(value, entityUrls, root);
    if (resolved !== value) changed = true;
    return resolved;
  };
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const isReference = key.endsWith('@odata.bind') || key === '@odata.id';
      copy[key] = isReference ? (Array.isArray(inner) ? inner.map(resolveValue) : resolveValue(inner)) : walk(inner);
    }
    return copy;
  };
  const rewritten = walk(json);
  return changed ? JSON.stringify(rewritten) : body;
}

// ---------------------------------------------------------------------------------------------------------------
// Responses

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The error part Dataverse writes: JSON error body, `application/json; odata.metadata=minimal`. */
export function errorResponse(error: unknown, request: InnerRequest | undefined): InnerResponse {
  const failure = error instanceof DataverseError ? error : errors.internal(error instanceof Error ? error.message : String(error));
  const includeAnnotations = /odata\.include-annotations/i.test(request?.headers.prefer ?? '');
  return {
    status: failure.status,
    headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0', ...failure.headers },
    body: JSON.stringify(failure.toBody(includeAnnotations)),
  };
}
