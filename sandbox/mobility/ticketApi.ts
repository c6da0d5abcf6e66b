/**
 * The ticket API's operations (mobility-api.yaml), from a parsed request to an answer; no sockets here. The server
 * applies faults before calling `handle` and writes the answer after.
 */
import { IdempotencyStore, requestFingerprint } from './idempotencyStore';
import { isJsonContentType, parseJson } from './httpIo';
import { PROBLEM_TYPES, problem, validationProblem, type Problem } from './problem';
import { TicketStore } from './ticketStore';
import { validateCancel, validateTicket } from './validateTicket';

export interface ApiRequest {
  readonly method: string;
  /** The URL's path, without the query. */
  readonly path: string;
  readonly contentType: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly bodyText: string;
}

export interface Answer {
  readonly status: number;
  /** A Problem when `isProblem`. */
  readonly body: unknown;
  readonly isProblem: boolean;
  readonly headers: Record<string, string>;
  /** A stored answer sent again for a repeated Idempotency-Key. */
  readonly replayed: boolean;
}

const TICKET = /^\/v1\/tickets\/([^/]+)$/;
const CANCEL = /^\/v1\/tickets\/([^/]+)\/cancel$/;
const MAX_KEY = 255;

function ok(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return { status, body, isProblem: false, headers, replayed: false };
}

function fail(p: Problem, headers: Record<string, string> = {}): Answer {
  return { status: p.status, body: p, isProblem: true, headers, replayed: false };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export class TicketApi {
  constructor(
    private readonly store: TicketStore,
    private readonly idempotency: IdempotencyStore,
    private readonly now: () => Date,
  ) {}

  handle(req: ApiRequest): Answer {
    const { method, path } = req;
    if (path === '/v1/health') {
      return method === 'GET' ? ok(200, { status: 'ok' }) : this.methodNotAllowed(req, 'GET');
    }
    const cancel = CANCEL.exec(path);
    if (cancel) {
      const id = decode(cancel[1] ?? '');
      if (id === undefined) return this.notFound(req);
      return method === 'POST' ? this.cancel(req, id) : this.methodNotAllowed(req, 'POST');
    }
    const ticket = TICKET.exec(path);
    if (ticket) {
      const id = decode(ticket[1] ?? '');
      if (id === undefined) return this.notFound(req);
      if (method === 'PUT') return this.upsert(req, id);
      if (method === 'GET') return this.get(req, id);
      return this.methodNotAllowed(req, 'GET, PUT');
    }
    return this.notFound(req);
  }

  private upsert(req: ApiRequest, ticketId: string): Answer {
    const key = req.idempotencyKey;
    if (key === undefined || key.trim() === '') {
      return fail(
        problem(PROBLEM_TYPES.idempotencyKeyMissing, 400, 'Idempotency-Key header required', 'PUT /v1/tickets/{ticketId} needs an Idempotency-Key header; send the same key again when retrying the same change.', { instance: req.path }),
      );
    }
    return this.withBody(req, (body) => {
      const checked = this.checkKey(req, key, body);
      if (checked) return checked;
      const v = validateTicket(body, ticketId);
      if (!v.ok) return fail(validationProblem(v.errors, req.path));
      const result = this.store.upsert(v.value, this.now());
      const answer = ok(result.status, result.receipt, result.status === 201 ? { location: `/v1/tickets/${encodeURIComponent(v.value.ticketId)}` } : {});
      this.idempotency.remember(key, requestFingerprint(req.method, req.path, body), req.method, req.path, { status: answer.status, body: answer.body });
      return answer;
    });
  }

  private cancel(req: ApiRequest, ticketId: string): Answer {
    const key = req.idempotencyKey?.trim() ? req.idempotencyKey : undefined;
    return this.withBody(req, (body) => {
      if (key !== undefined) {
        const checked = this.checkKey(req, key, body);
        if (checked) return checked;
      }
      const v = validateCancel(body);
      if (!v.ok) return fail(validationProblem(v.errors, req.path));
      const result = this.store.cancel(ticketId, v.value.reason, this.now());
      if (!result) return this.ticketNotFound(req, ticketId);
      const answer = ok(200, result.receipt);
      if (key !== undefined) this.idempotency.remember(key, requestFingerprint(req.method, req.path, body), req.method, req.path, { status: 200, body: answer.body });
      return answer;
    });
  }

  private get(req: ApiRequest, ticketId: string): Answer {
    const stored = this.store.get(ticketId);
    return stored ? ok(200, stored) : this.ticketNotFound(req, ticketId);
  }

  /** A replay answers the stored result; the same key on another request is a conflict; undefined = go ahead. */
  private checkKey(req: ApiRequest, key: string, body: unknown): Answer | undefined {
    if (key.length > MAX_KEY) {
      return fail(problem(PROBLEM_TYPES.validation, 400, 'Idempotency-Key too long', `The Idempotency-Key is ${key.length} characters long; at most ${MAX_KEY} are allowed.`, { instance: req.path }));
    }
    const found = this.idempotency.lookup(key, requestFingerprint(req.method, req.path, body));
    if (found.kind === 'replay') return { status: found.answer.status, body: found.answer.body, isProblem: false, headers: { 'idempotent-replayed': 'true' }, replayed: true };
    if (found.kind === 'conflict') {
      return fail(
        problem(
          PROBLEM_TYPES.idempotencyKeyReused,
          409,
          'Idempotency-Key already used for a different request',
          `The Idempotency-Key '${key}' was first used for ${found.firstUse.method} ${found.firstUse.path} with a different body; a key may only be repeated with the identical request. Use a new key for a new change.`,
          { instance: req.path },
        ),
      );
    }
    return undefined;
  }

  private withBody(req: ApiRequest, then: (body: unknown) => Answer): Answer {
    if (!isJsonContentType(req.contentType)) {
      return fail(problem(PROBLEM_TYPES.unsupportedMediaType, 415, 'JSON body required', `Send the body as application/json, not '${req.contentType ?? '(no Content-Type)'}'.`, { instance: req.path }));
    }
    const parsed = parseJson(req.bodyText);
    if (!parsed.ok) return fail(problem(PROBLEM_TYPES.malformedJson, 400, 'The body is not JSON', `The body could not be read as JSON (${parsed.reason}).`, { instance: req.path }));
    return then(parsed.value);
  }

  private ticketNotFound(req: ApiRequest, ticketId: string): Answer {
    return fail(problem(PROBLEM_TYPES.ticketNotFound, 404, 'Ticket not found', `There is no ticket '${ticketId}'; create it with PUT /v1/tickets/{ticketId} first.`, { instance: req.path }));
  }

  private notFound(req: ApiRequest): Answer {
    return fail(problem(PROBLEM_TYPES.notFound, 404, 'Not found', `${req.method} ${req.path} is not an operation of this API (see mobility-api.yaml).`, { instance: req.path }));
  }

  private methodNotAllowed(req: ApiRequest, allow: string): Answer {
    return fail(problem(PROBLEM_TYPES.methodNotAllowed, 405, 'Method not allowed', `${req.method} is not allowed on ${req.path}; allowed: ${allow}.`, { instance: req.path }), { allow });
  }
}
